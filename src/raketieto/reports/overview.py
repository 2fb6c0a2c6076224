"""The overview grid of the tilannekuva: headline indicators × the area and its sub-areas."""

from __future__ import annotations

from dataclasses import dataclass

from raketieto.catalogue import Catalogue
from raketieto.cube.query import CubeReader
from raketieto.regions import Division
from raketieto.reports.cells import Cell, cell_from_row, cell_records, view_facts


@dataclass(frozen=True)
class GridColumn:
    """One area shown as a column of the grid."""

    region_code: str
    region_name: str
    level: str


@dataclass(frozen=True)
class GridRow:
    """One headline indicator of one phenomenon, with one cell per column (None: no value)."""

    phenomenon_id: str
    indicator_id: str
    label: str
    decimals: int
    year: int | None
    cells: list[Cell | None]


@dataclass(frozen=True)
class OverviewGrid:
    """Rows of headline indicators and columns of the area itself followed by its sub-areas."""

    region_code: str
    year: int | None
    columns: list[GridColumn]
    rows: list[GridRow]

    @property
    def has_synthetic(self) -> bool:
        """True when any cell holds a synthetic value."""
        return any(c is not None and c.synthetic for r in self.rows for c in r.cells)


def overview_grid(
    reader: CubeReader,
    catalogue: Catalogue,
    division: Division,
    region_code: str,
    *,
    year: int | None = None,
    lang: str = "fi",
) -> OverviewGrid:
    """The grid for region_code; each row shows the latest year (up to year) any column has."""
    region = division.get(region_code)
    areas = [region, *division.children(region.code)]
    columns = [GridColumn(a.code, a.name(lang), a.level.value) for a in areas]
    codes = [a.code for a in areas]
    ids = list(
        dict.fromkeys(i for p in catalogue.phenomena.values() for i in p.headline_indicators)
    )
    facts = view_facts(reader.facts(indicator_ids=ids, region_codes=codes))
    facts = facts[facts["value"].notna() | facts["suppressed"]]
    if year is not None:
        facts = facts[facts["year"] <= year]
    latest = facts.groupby("indicator_id")["year"].max().to_dict()
    cells: dict[tuple[str, str], Cell] = {}
    newest = facts[facts["year"] == facts["indicator_id"].map(latest)]
    for row in cell_records(newest, "indicator_id", "region_code"):
        cells[(str(row["indicator_id"]), str(row["region_code"]))] = cell_from_row(row)
    rows = []
    for phenomenon in catalogue.phenomena.values():
        for indicator_id in phenomenon.headline_indicators:
            indicator = catalogue.indicator(indicator_id)
            found = latest.get(indicator_id)
            rows.append(
                GridRow(
                    phenomenon_id=phenomenon.id,
                    indicator_id=indicator_id,
                    label=indicator.label.get(lang),
                    decimals=indicator.decimals,
                    year=int(found) if found is not None else None,
                    cells=[cells.get((indicator_id, code)) for code in codes],
                )
            )
    return OverviewGrid(region.code, year, columns, rows)
