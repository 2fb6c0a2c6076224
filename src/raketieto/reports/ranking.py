"""Ranking of the areas on one level by one indicator, with intervals, for one year."""

from __future__ import annotations

from dataclasses import dataclass

from raketieto.catalogue import Catalogue
from raketieto.cube.query import CubeReader
from raketieto.regions import Division, Level, Region
from raketieto.regions.division import COUNTRY_CODE
from raketieto.reports.cells import Cell, cell_from_fact


@dataclass(frozen=True)
class RankingRow:
    """One area's place: rank 1 is the highest value; None for suppressed or missing values."""

    rank: int | None
    region_code: str
    region_name: str
    cell: Cell | None
    highlighted: bool


@dataclass(frozen=True)
class Ranking:
    """Areas on one level inside one scope, highest value first, gaps last."""

    indicator_id: str
    label: str
    unit: str
    decimals: int
    polarity: str
    level: Level
    scope_code: str
    scope_name: str
    year: int | None
    country_value: float | None
    rows: list[RankingRow]
    #: The country's cell of the same year, shown beside the ranking (None without one).
    country_cell: Cell | None = None

    @property
    def ranked(self) -> list[RankingRow]:
        """Rows that have a value."""
        return [r for r in self.rows if r.rank is not None]

    @property
    def has_synthetic(self) -> bool:
        """True when any value shown is synthetic."""
        rows = any(r.cell is not None and r.cell.synthetic for r in self.rows)
        return rows or (self.country_cell is not None and self.country_cell.synthetic)


def ranking_scope(division: Division, region: Region, level: Level) -> Region:
    """The area whose regions on level are ranked when region is chosen.

    Collaborative areas and counties are ranked nationally, so that an area is seen among its
    peers; municipalities are ranked inside the chosen county (or collaborative area), where a
    comparison of some three hundred municipalities would not fit one screen.
    """
    if level is not Level.MUNICIPALITY:
        return division.get(COUNTRY_CODE)
    if region.level is Level.MUNICIPALITY:
        return division.ancestor_at(region.code, Level.COUNTY)
    return region


def ranking(
    reader: CubeReader,
    catalogue: Catalogue,
    division: Division,
    indicator_id: str,
    *,
    level: Level,
    scope_code: str = COUNTRY_CODE,
    year: int | None = None,
    highlight: frozenset[str] = frozenset(),
    lang: str = "fi",
) -> Ranking:
    """Rank the regions on level inside scope_code in year (None: the latest year with values)."""
    scope = division.get(scope_code)
    regions = division.descendants(scope.code, level) if scope.level.depth <= level.depth else []
    return rank_regions(
        reader, catalogue, indicator_id, regions, level=level, scope=scope, year=year,
        highlight=highlight, lang=lang,
    )  # fmt: skip


def rank_regions(
    reader: CubeReader,
    catalogue: Catalogue,
    indicator_id: str,
    regions: list[Region],
    *,
    level: Level,
    scope: Region,
    year: int | None = None,
    highlight: frozenset[str] = frozenset(),
    lang: str = "fi",
) -> Ranking:
    """Rank the given regions of one level in year (None: the latest year any of them has)."""
    indicator = catalogue.indicator(indicator_id)
    index = reader.index()
    if year is None:
        latest = [
            max(series)
            for r in regions
            if (series := [y for y, f in index.by_year(indicator.id, r.code).items() if f.shown])
        ]
        year = max(latest) if latest else None
    cells: dict[str, Cell] = {}
    country = None
    if year is not None:
        for r in regions:
            fact = index.at(indicator.id, r.code, year)
            if fact is not None and fact.shown:
                cells[r.code] = cell_from_fact(fact)
        country = index.at(indicator.id, COUNTRY_CODE, year)
    rows = _rank(regions, cells, highlight, lang)
    return Ranking(
        indicator_id=indicator.id,
        label=indicator.label.get(lang),
        unit=indicator.unit.value,
        decimals=indicator.decimals,
        polarity=indicator.polarity.value,
        level=level,
        scope_code=scope.code,
        scope_name=scope.name(lang),
        year=year,
        country_value=country.value if country is not None else None,
        rows=rows,
        country_cell=cell_from_fact(country) if country is not None and country.shown else None,
    )


def _rank(
    regions: list[Region], cells: dict[str, Cell], highlight: frozenset[str], lang: str
) -> list[RankingRow]:
    with_value = [r for r in regions if cells.get(r.code) and cells[r.code].value is not None]
    with_value.sort(key=lambda r: (-(cells[r.code].value or 0.0), r.code))
    rows = [
        RankingRow(n, r.code, r.name(lang), cells[r.code], r.code in highlight)
        for n, r in enumerate(with_value, start=1)
    ]
    ranked = {r.code for r in with_value}
    # Suppressed first among the gaps: they exist but are hidden, which is worth saying first.
    rest = sorted(
        (r for r in regions if r.code not in ranked),
        key=lambda r: (r.code not in cells, r.code),
    )
    rows.extend(
        RankingRow(None, r.code, r.name(lang), cells.get(r.code), r.code in highlight) for r in rest
    )
    return rows
