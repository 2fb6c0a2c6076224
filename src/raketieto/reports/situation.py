"""Tilannekuva (situational picture): every phenomenon's headline indicators for one area."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypedDict, cast

import numpy as np

from raketieto import ATTRIBUTION
from raketieto.catalogue import Catalogue
from raketieto.catalogue.models import Indicator
from raketieto.cube.memory import Fact
from raketieto.cube.query import CubeReader
from raketieto.errors import DataError, YearNotAvailableError
from raketieto.regions import Division, Region
from raketieto.regions.division import COUNTRY_CODE
from raketieto.reports.missing import missing_reason
from raketieto.reports.vintage import nearest_year
from raketieto.stats.intervals import IntervalMethod
from raketieto.stats.trend import recent_trend

TREND_PERIODS = 5
#: Without a catalogue value, a change smaller than this share of the window's first value is
#: too small to matter, however significant (see docs/statistics.md).
MEANINGFUL_SHARE = 0.05


class _Base(TypedDict):
    indicator_id: str
    label: str
    unit: str
    decimals: int


@dataclass(frozen=True)
class IndicatorSummary:
    """One headline indicator of one area: the latest value and how it moves and compares."""

    indicator_id: str
    label: str
    unit: str
    decimals: int
    year: int | None
    value: float | None
    ci_lower: float | None
    ci_upper: float | None
    country_value: float | None
    comparison: str
    change_previous: float | None
    previous_year: int | None
    change_five_years: float | None
    five_years_year: int | None
    trend: str
    #: The first year of the trend's window, and the change over that same window.
    trend_from: int | None
    change_trend_window: float | None
    #: The smallest change over the window that the indicator counts as meaningful.
    meaningful_change: float | None
    suppressed: bool
    suppression_reason: str | None
    synthetic: bool
    missing_reason: str | None
    country_synthetic: bool = False


@dataclass(frozen=True)
class PhenomenonBlock:
    """One phenomenon with its headline indicators."""

    phenomenon_id: str
    label: str
    indicators: list[IndicatorSummary]


@dataclass(frozen=True)
class SituationalPicture:
    """Everything the tilannekuva shows for one area."""

    region: Region
    ancestors: list[Region]
    children: list[Region]
    year: int | None
    lang: str
    blocks: list[PhenomenonBlock]
    built_at: str
    attribution: str = field(default=ATTRIBUTION)
    #: The years with a value in this view (the area and its sub-areas), for the year choice.
    years: list[int] = field(default_factory=list)
    #: The year asked for when it had no data here and the nearest year is shown instead.
    requested_year: int | None = None

    @property
    def has_synthetic(self) -> bool:
        """True when any number shown is synthetic and must be labelled so."""
        return any(s.synthetic or s.country_synthetic for b in self.blocks for s in b.indicators)


def situational_picture(
    reader: CubeReader,
    catalogue: Catalogue,
    division: Division,
    region_code: str,
    *,
    year: int | None = None,
    lang: str = "fi",
) -> SituationalPicture:
    """The picture for region_code up to year (None: each indicator's latest year).

    A year inside the cube's span without data for this area stands for the nearest year that
    has some (requested_year keeps the one asked for); a year outside the span is an error.
    """
    region = division.get(region_code)
    index = reader.index()
    years = situation_years(reader, catalogue, division, region.code)
    requested = None
    if year is not None and not (index.years and index.years[0] <= year <= index.years[-1]):
        # Outside every year the cube holds: an error, not a stand-in from decades away.
        raise YearNotAvailableError(year, index.years, subject="kuutio")
    if year is not None and year not in years:
        requested, year = year, nearest_year(years, year)
        if year is None:
            raise YearNotAvailableError(requested, index.years, subject="kuutio")
    blocks = []
    for phenomenon in sorted(catalogue.phenomena.values(), key=lambda p: p.order):
        summaries = [
            summarise(
                catalogue.indicator(i),
                index.shown(i, region.code, up_to=year),
                index.by_year(i, COUNTRY_CODE),
                level=region.level.value,
                has_any_data=i in index.indicator_ids,
                region_code=region.code,
                lang=lang,
            )
            for i in phenomenon.headline_indicators
        ]
        blocks.append(PhenomenonBlock(phenomenon.id, phenomenon.label.get(lang), summaries))
    return SituationalPicture(
        region=region,
        ancestors=division.ancestors(region.code),
        children=division.children(region.code),
        year=year,
        lang=lang,
        blocks=blocks,
        built_at=index.meta.get("built_at", ""),
        years=years,
        requested_year=requested,
    )


def situation_years(
    reader: CubeReader, catalogue: Catalogue, division: Division, region_code: str
) -> list[int]:
    """The years in which a headline indicator has a value (or a suppression) in the area or
    one of its sub-areas: the years the tilannekuva can show."""
    index = reader.index()
    codes = [region_code, *(r.code for r in division.children(region_code))]
    ids = dict.fromkeys(i for p in catalogue.phenomena.values() for i in p.headline_indicators)
    return sorted(
        {
            year
            for i in ids
            for code in codes
            for year, fact in index.by_year(i, code).items()
            if fact.shown
        }
    )


def summarise(
    indicator: Indicator,
    shown: Sequence[Fact],
    country: Mapping[int, Fact],
    *,
    level: str = "country",
    has_any_data: bool = True,
    lang: str = "fi",
    region_code: str | None = None,
) -> IndicatorSummary:
    """Summarise one indicator for one area from its shown facts (oldest first, up to the
    chosen year) and the country's facts by year."""
    base = _Base(
        indicator_id=indicator.id,
        label=indicator.label.get(lang),
        unit=indicator.unit.value,
        decimals=indicator.decimals,
    )
    if not shown:
        return IndicatorSummary(
            **base,
            year=None,
            value=None,
            ci_lower=None,
            ci_upper=None,
            country_value=None,
            comparison="not_compared",
            change_previous=None,
            previous_year=None,
            change_five_years=None,
            five_years_year=None,
            trend="not_enough_data",
            trend_from=None,
            change_trend_window=None,
            meaningful_change=None,
            suppressed=False,
            suppression_reason=None,
            synthetic=False,
            missing_reason=missing_reason(
                indicator, level, has_any_data=has_any_data, lang=lang, region_code=region_code
            ),
        )
    latest = shown[-1]
    by_year = {f.year: f.value for f in shown}
    previous_year = _earlier(by_year, latest.year, 1)
    five_year = _earlier(by_year, latest.year, 5)
    national = country.get(latest.year)
    trend = "not_enough_data"
    # The change column and the trend marker read the same window: the latest five periods.
    recent = shown[-TREND_PERIODS:]
    trend_from = recent[0].year if len(recent) >= 2 else None
    window_change = _change(latest.value, by_year, trend_from)
    meaningful = _meaningful(indicator, recent[0].value)
    if indicator.unit.ci_method != "none" and len(shown) >= TREND_PERIODS:
        # recent_trend tests the latest periods; a suppressed gap there means no trend.
        try:
            trend = recent_trend(
                [f.year for f in recent],
                np.array([_nan(f.numerator) for f in recent], dtype=float),
                np.array([_nan(f.denominator) for f in recent], dtype=float),
                cast(IntervalMethod, indicator.unit.ci_method),
            ).trend.value
        except DataError:
            trend = "not_enough_data"
        trend = _weigh(trend, window_change, meaningful)
    return IndicatorSummary(
        **base,
        year=latest.year,
        value=latest.value,
        ci_lower=latest.ci_lower,
        ci_upper=latest.ci_upper,
        country_value=national.value if national is not None else None,
        comparison=latest.comparison,
        change_previous=_change(latest.value, by_year, previous_year),
        previous_year=previous_year,
        change_five_years=_change(latest.value, by_year, five_year),
        five_years_year=five_year,
        trend=trend,
        trend_from=trend_from,
        change_trend_window=window_change,
        meaningful_change=meaningful,
        suppressed=latest.suppressed,
        suppression_reason=latest.suppression_reason if latest.suppressed else None,
        synthetic=latest.synthetic,
        missing_reason=None,
        country_synthetic=national is not None and national.synthetic,
    )


def _meaningful(indicator: Indicator, first: float | None) -> float | None:
    if indicator.meaningful_change is not None:
        return indicator.meaningful_change
    return None if first is None else abs(first) * MEANINGFUL_SHARE


def _weigh(trend: str, change: float | None, meaningful: float | None) -> str:
    """The trend, marked small when its window's change is under the meaningful one or opposite."""
    if trend not in ("increasing", "decreasing") or change is None or meaningful is None:
        return trend
    direction = 1.0 if trend == "increasing" else -1.0
    if change * direction < meaningful:
        return f"{trend}_small"
    return trend


def _nan(number: float | None) -> float:
    return math.nan if number is None else number


def _earlier(by_year: Mapping[int, float | None], year: int, back: int) -> int | None:
    wanted = year - back
    return wanted if by_year.get(wanted) is not None else None


def _change(
    value: float | None, by_year: Mapping[int, float | None], earlier: int | None
) -> float | None:
    if value is None or earlier is None:
        return None
    before = by_year[earlier]
    return None if before is None else value - before
