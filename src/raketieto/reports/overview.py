"""The overview grid of the tilannekuva: headline indicators × the area and its sub-areas."""

from __future__ import annotations

from dataclasses import dataclass

from raketieto.catalogue import Catalogue
from raketieto.cube.query import CubeReader
from raketieto.regions import Division
from raketieto.reports.cells import Cell, cell_from_fact


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
    index = reader.index()
    latest: dict[str, int] = {}
    cells: dict[tuple[str, str], Cell] = {}
    for indicator_id in ids:
        newest = {code: index.shown(indicator_id, code, up_to=year) for code in codes}
        years = [facts[-1].year for facts in newest.values() if facts]
        if not years:
            continue
        latest[indicator_id] = max(years)
        for code, facts in newest.items():
            if facts and facts[-1].year == latest[indicator_id]:
                cells[(indicator_id, code)] = cell_from_fact(facts[-1])
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
