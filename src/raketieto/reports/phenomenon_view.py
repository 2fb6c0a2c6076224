"""Ilmiönäkymä (phenomenon view): one phenomenon down to municipalities inside the chosen county."""

from __future__ import annotations

from dataclasses import dataclass, field

from raketieto import ATTRIBUTION
from raketieto.catalogue import Catalogue
from raketieto.cube.memory import FactIndex
from raketieto.cube.query import CubeReader
from raketieto.regions import Division, Level, Region
from raketieto.regions.division import COUNTRY_CODE
from raketieto.reports.cells import Cell, cell_from_fact
from raketieto.reports.phenomenon import (
    check_indicator_in,
    default_indicator,
    phenomenon_indicators,
    ranking_years,
)
from raketieto.reports.ranking import Ranking, ranking
from raketieto.reports.series import AreaSeries, area_series
from raketieto.reports.vintage import nearest_year


@dataclass(frozen=True)
class IndicatorChoice:
    """One of the phenomenon's indicators as an option, with whether the cube has any data."""

    indicator_id: str
    label: str
    has_data: bool


@dataclass(frozen=True)
class BreakdownRow:
    """One category of a breakdown (a sex or an age group) and its cell."""

    category: str
    cell: Cell


@dataclass(frozen=True)
class Breakdown:
    """The chosen area's value split by sex or by age group in one year."""

    dimension: str
    year: int
    rows: list[BreakdownRow]


@dataclass(frozen=True)
class PhenomenonView:
    """Everything the ilmiönäkymä shows for one phenomenon, area and indicator."""

    region: Region
    ancestors: list[Region]
    children: list[Region]
    phenomenon_id: str
    label: str
    lang: str
    indicators: list[IndicatorChoice]
    indicator_id: str
    indicator_label: str
    unit: str
    decimals: int
    polarity: str
    year: int | None
    years: list[int]
    comparison: Ranking
    comparison_level: Level
    breakdowns: list[Breakdown]
    series: list[AreaSeries]
    built_at: str
    attribution: str = field(default=ATTRIBUTION)
    #: The year asked for when it had no data here and the nearest year is shown instead.
    requested_year: int | None = None

    @property
    def has_synthetic(self) -> bool:
        """True when any number shown is synthetic."""
        in_series = any(p.synthetic for s in self.series for p in s.points)
        in_breakdowns = any(r.cell.synthetic for b in self.breakdowns for r in b.rows)
        return in_series or in_breakdowns or self.comparison.has_synthetic


def comparison_scope(division: Division, region: Region) -> tuple[Region, Level]:
    """Which areas the comparison table lists for region: the level below, or the siblings.

    The country lists its counties (five collaborative areas say little), a collaborative area
    its counties, a county its municipalities, and a municipality the municipalities of its county.
    """
    if region.level is Level.MUNICIPALITY:
        return division.ancestor_at(region.code, Level.COUNTY), Level.MUNICIPALITY
    if region.level is Level.COUNTY:
        return region, Level.MUNICIPALITY
    return region, Level.COUNTY


_AGE_ORDER = {"0-14": 0, "0-17": 1, "15-64": 2, "18-64": 3, "65+": 4}


def phenomenon_view(
    reader: CubeReader,
    catalogue: Catalogue,
    division: Division,
    region_code: str,
    phenomenon_id: str,
    *,
    indicator_id: str | None = None,
    year: int | None = None,
    lang: str = "fi",
) -> PhenomenonView:
    """The view of one phenomenon in one area for one indicator (default: the first headline)."""
    region = division.get(region_code)
    phenomenon = catalogue.phenomenon(phenomenon_id)
    chosen = check_indicator_in(
        catalogue,
        phenomenon.id,
        indicator_id or default_indicator(reader, catalogue, phenomenon.id, region.code),
    )
    index = reader.index()
    in_cube = index.indicator_ids
    choices = [
        IndicatorChoice(i.id, i.label.get(lang), i.id in in_cube)
        for i in phenomenon_indicators(catalogue, phenomenon.id)
    ]
    scope, level = comparison_scope(division, region)
    chain = [*division.ancestors(region.code), region]
    # The area first, then the areas above it up to the country, for the time series.
    areas = list(reversed(chain))
    if COUNTRY_CODE not in {a.code for a in areas}:
        areas.append(division.get(COUNTRY_CODE))
    series = area_series(index, chosen.id, areas, lang)
    shown_years = sorted(
        {p.year for s in series for p in s.points}
        | set(ranking_years(reader, division, chosen.id, level, scope.code))
    )
    requested = None
    if year is not None and year not in shown_years:
        requested, year = year, nearest_year(shown_years, year)
    compared = ranking(
        reader,
        catalogue,
        division,
        chosen.id,
        level=level,
        scope_code=scope.code,
        year=year,
        highlight=frozenset({region.code}),
        lang=lang,
    )
    shown_year = year if year is not None else compared.year
    breakdowns = _breakdowns(index, chosen.id, region.code, shown_year)
    return PhenomenonView(
        region=region,
        ancestors=division.ancestors(region.code),
        children=division.children(region.code),
        phenomenon_id=phenomenon.id,
        label=phenomenon.label.get(lang),
        lang=lang,
        indicators=choices,
        indicator_id=chosen.id,
        indicator_label=chosen.label.get(lang),
        unit=chosen.unit.value,
        decimals=chosen.decimals,
        polarity=chosen.polarity.value,
        year=shown_year,
        years=shown_years,
        comparison=compared,
        comparison_level=level,
        breakdowns=breakdowns,
        series=series,
        built_at=index.meta.get("built_at", ""),
        requested_year=requested,
    )


def _breakdowns(
    index: FactIndex, indicator_id: str, region_code: str, year: int | None
) -> list[Breakdown]:
    if year is None:
        return []
    by_sex: list[BreakdownRow] = []
    by_age: list[BreakdownRow] = []
    for (sex, age_group), facts in index.breakdowns(indicator_id, region_code).items():
        fact = facts.get(year)
        if fact is None or not fact.shown or (sex == "total") == (age_group == "total"):
            continue
        if age_group == "total":
            by_sex.append(BreakdownRow(sex, cell_from_fact(fact)))
        else:
            by_age.append(BreakdownRow(age_group, cell_from_fact(fact)))
    out = []
    if by_sex:
        by_sex.sort(key=lambda r: (r.category != "female", r.category))
        out.append(Breakdown("sex", year, by_sex))
    if by_age:
        by_age.sort(key=lambda r: (_AGE_ORDER.get(r.category, 99), r.category))
        out.append(Breakdown("age_group", year, by_age))
    return out
