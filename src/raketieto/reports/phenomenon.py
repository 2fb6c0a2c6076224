"""Ilmiöstä tiiviisti (a phenomenon at a glance): indicators by theme, trends, ranking and map."""

from __future__ import annotations

from dataclasses import dataclass, field

from raketieto import ATTRIBUTION
from raketieto.catalogue import Catalogue
from raketieto.catalogue.models import Indicator
from raketieto.cube.query import CubeReader
from raketieto.errors import NotFoundError
from raketieto.regions import Division, Level, Region
from raketieto.regions.division import COUNTRY_CODE
from raketieto.reports.ranking import Ranking, ranking, ranking_scope
from raketieto.reports.series import AreaSeries, area_series
from raketieto.reports.similar import SimilarAreas, similar_areas
from raketieto.reports.situation import IndicatorSummary, summarise
from raketieto.reports.spine import Spine, area_spine
from raketieto.reports.vintage import nearest_year


@dataclass(frozen=True)
class IndicatorTrend:
    """One indicator of the phenomenon: its summary and its series against the country."""

    summary: IndicatorSummary
    polarity: str
    headline: bool
    series: list[AreaSeries]


@dataclass(frozen=True)
class ThemeGroup:
    """One theme of the generic information need with what this phenomenon needs under it."""

    theme_id: str
    label: str
    need: str
    indicators: list[IndicatorTrend]


@dataclass(frozen=True)
class PhenomenonGlance:
    """Everything the ilmiöstä tiiviisti view shows for one phenomenon and area."""

    region: Region
    ancestors: list[Region]
    children: list[Region]
    phenomenon_id: str
    label: str
    description: str
    year: int | None
    lang: str
    themes: list[ThemeGroup]
    indicator_id: str
    ranking: Ranking
    built_at: str
    attribution: str = field(default=ATTRIBUTION)
    #: The years with a value in this view, for the year choice.
    years: list[int] = field(default_factory=list)
    #: The year asked for when it had no data here and the nearest year is shown instead.
    requested_year: int | None = None
    #: The year asked for when the ranking had no values then and shows the nearest year.
    ranking_requested_year: int | None = None
    #: The area profile against the counties' range (None for the whole country).
    spine: Spine | None = None
    #: The chosen indicator in the area and its most similar areas (municipalities, counties).
    similar: SimilarAreas | None = None

    @property
    def has_synthetic(self) -> bool:
        """True when any number shown is synthetic."""
        trends = any(
            p.synthetic
            for t in self.themes
            for i in t.indicators
            for s in i.series
            for p in s.points
        )
        return trends or self.ranking.has_synthetic


def phenomenon_indicators(catalogue: Catalogue, phenomenon_id: str) -> list[Indicator]:
    """The phenomenon's indicators in theme order, headline indicators first in each theme."""
    seen: dict[str, Indicator] = {}
    for members in catalogue.indicators_for(phenomenon_id).values():
        for indicator in members:
            seen.setdefault(indicator.id, indicator)
    return list(seen.values())


def check_indicator_in(catalogue: Catalogue, phenomenon_id: str, indicator_id: str) -> Indicator:
    """The indicator if the phenomenon uses it, else NotFoundError listing those it does use."""
    members = {i.id: i for i in phenomenon_indicators(catalogue, phenomenon_id)}
    if indicator_id not in members:
        raise NotFoundError("ilmiön indikaattori", indicator_id, members)
    return members[indicator_id]


def default_indicator(
    reader: CubeReader, catalogue: Catalogue, phenomenon_id: str, region_code: str | None = None
) -> str:
    """The first headline indicator with data for the area (or anywhere in the cube), else the
    first headline one."""
    headline = catalogue.phenomenon(phenomenon_id).headline_indicators
    index = reader.index()
    if region_code is not None:
        # A headline the source publishes only for the country (the national homelessness
        # counts) must not open a county's page on an empty ranking.
        for indicator_id in headline:
            if any(f.shown for f in index.by_year(indicator_id, region_code).values()):
                return indicator_id
    return next((i for i in headline if i in index.indicator_ids), headline[0])


def default_level(indicator: Indicator, region: Region) -> Level:
    """Counties where values add up to them; municipalities where they exist only there."""
    if region.level is Level.MUNICIPALITY or not indicator.aggregable:
        return Level.MUNICIPALITY
    return Level.COUNTY


def highlighted(division: Division, region: Region, level: Level) -> frozenset[str]:
    """The chosen area, the areas above it and, on a lower level, the areas inside it."""
    codes = {region.code, *(a.code for a in division.ancestors(region.code))}
    if region.level.depth < level.depth and region.code != COUNTRY_CODE:
        codes |= {r.code for r in division.descendants(region.code, level)}
    codes.discard(COUNTRY_CODE)
    return frozenset(codes)


def phenomenon_glance(
    reader: CubeReader,
    catalogue: Catalogue,
    division: Division,
    region_code: str,
    phenomenon_id: str,
    *,
    indicator_id: str | None = None,
    level: Level | None = None,
    year: int | None = None,
    lang: str = "fi",
) -> PhenomenonGlance:
    """The glance for one phenomenon in one area; the chosen indicator gets ranking and map."""
    region = division.get(region_code)
    phenomenon = catalogue.phenomenon(phenomenon_id)
    chosen_id = indicator_id or default_indicator(reader, catalogue, phenomenon.id, region.code)
    chosen = check_indicator_in(catalogue, phenomenon.id, chosen_id)
    indicators = phenomenon_indicators(catalogue, phenomenon.id)
    index = reader.index()
    index.prefetch(i.id for i in indicators)  # every member is read below, some of them twice
    areas = [region] if region.code == COUNTRY_CODE else [region, division.get(COUNTRY_CODE)]
    chosen_level = level or default_level(chosen, region)
    scope = ranking_scope(division, region, chosen_level)
    ranked_years = ranking_years(reader, division, chosen.id, chosen_level, scope.code)
    # The area's own years: a country value is shown only beside a value of the area, so a
    # year in which only the country has data (national homelessness counts) shows nothing here.
    years = sorted(
        set(ranked_years)
        | {
            y
            for indicator in indicators
            for y, fact in index.by_year(indicator.id, region.code).items()
            if fact.shown
        }
    )
    requested = None
    if year is not None and year not in years:
        requested, year = year, nearest_year(years, year)
    headline = set(phenomenon.headline_indicators)
    trends: dict[str, IndicatorTrend] = {}
    for indicator in indicators:
        summary = summarise(
            indicator,
            index.shown(indicator.id, region.code, up_to=year),
            index.by_year(indicator.id, COUNTRY_CODE),
            level=region.level.value,
            has_any_data=indicator.id in index.indicator_ids,
            region_code=region.code,
            lang=lang,
        )
        series = area_series(index, indicator.id, areas, lang, up_to=year)
        trends[indicator.id] = IndicatorTrend(
            summary, indicator.polarity.value, indicator.id in headline, series
        )
    themes = [
        ThemeGroup(
            theme_id=theme_id,
            label=catalogue.theme(theme_id).label.get(lang),
            need=phenomenon.themes[theme_id].get(lang) if theme_id in phenomenon.themes else "",
            indicators=[trends[i.id] for i in members],
        )
        for theme_id, members in catalogue.indicators_for(phenomenon.id).items()
    ]
    highlight = highlighted(division, region, chosen_level)
    ranking_year = year
    ranking_requested = None
    if year is not None and year not in ranked_years and ranked_years:
        # The page's year comes from another indicator; rank the nearest year and say so.
        ranking_requested, ranking_year = year, nearest_year(ranked_years, year)
    ranked = ranking(
        reader,
        catalogue,
        division,
        chosen.id,
        level=chosen_level,
        scope_code=scope.code,
        year=ranking_year,
        highlight=highlight,
        lang=lang,
    )
    return PhenomenonGlance(
        region=region,
        ancestors=division.ancestors(region.code),
        children=division.children(region.code),
        phenomenon_id=phenomenon.id,
        label=phenomenon.label.get(lang),
        description=phenomenon.description.get(lang),
        year=year,
        lang=lang,
        themes=themes,
        indicator_id=chosen.id,
        ranking=ranked,
        built_at=index.meta.get("built_at", ""),
        years=years,
        requested_year=requested,
        ranking_requested_year=ranking_requested,
        spine=None
        if region.code == COUNTRY_CODE
        else area_spine(index, division, region, indicators, year=year, lang=lang),
        similar=similar_areas(
            reader, catalogue, division, region.code, chosen.id, year=year, lang=lang
        ),
    )


def ranking_years(
    reader: CubeReader, division: Division, indicator_id: str, level: Level, scope_code: str
) -> list[int]:
    """The years in which an area of level inside scope_code has a value of the indicator."""
    scope = division.get(scope_code)
    if scope.level.depth > level.depth:
        return []
    index = reader.index()
    return sorted(
        {
            y
            for r in division.descendants(scope.code, level)
            for y, fact in index.by_year(indicator_id, r.code).items()
            if fact.shown
        }
    )
