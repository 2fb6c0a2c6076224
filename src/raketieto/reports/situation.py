"""Tilannekuva (situational picture): every phenomenon's headline indicators for one area."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict, cast

import numpy as np
import pandas as pd

from raketieto import ATTRIBUTION
from raketieto.catalogue import Catalogue
from raketieto.catalogue.models import Indicator
from raketieto.cube.query import CubeReader
from raketieto.errors import DataError, YearNotAvailableError
from raketieto.numbers import optional_float
from raketieto.regions import Division, Region
from raketieto.reports.cells import view_facts
from raketieto.stats.intervals import IntervalMethod
from raketieto.stats.trend import recent_trend

TREND_PERIODS = 5


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
    suppressed: bool
    suppression_reason: str | None
    synthetic: bool
    missing_reason: str | None


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

    @property
    def has_synthetic(self) -> bool:
        """True when any number shown is synthetic and must be labelled so."""
        return any(s.synthetic for b in self.blocks for s in b.indicators)


def situational_picture(
    reader: CubeReader,
    catalogue: Catalogue,
    division: Division,
    region_code: str,
    *,
    year: int | None = None,
    lang: str = "fi",
) -> SituationalPicture:
    """The picture for region_code in year (None: each indicator's latest year)."""
    region = division.get(region_code)
    if year is not None:
        available = reader.years()
        if year not in available:
            raise YearNotAvailableError(year, available, subject="kuutio")
    headline_ids = sorted({i for p in catalogue.phenomena.values() for i in p.headline_indicators})
    facts = view_facts(reader.facts(indicator_ids=headline_ids, region_codes=[region.code, "SSS"]))
    in_cube = set(reader.indicator_ids())
    by_indicator = {str(k): g for k, g in facts.groupby("indicator_id", sort=False)}
    blocks = []
    for phenomenon in sorted(catalogue.phenomena.values(), key=lambda p: p.order):
        summaries = [
            summarise(
                catalogue.indicator(i),
                by_indicator.get(i, facts.iloc[0:0]),
                region.code,
                level=region.level.value,
                has_any_data=i in in_cube,
                year=year,
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
        built_at=reader.meta().get("built_at", ""),
    )


def summarise(
    indicator: Indicator,
    facts: pd.DataFrame,
    region_code: str,
    *,
    level: str = "country",
    has_any_data: bool = True,
    year: int | None = None,
    lang: str = "fi",
) -> IndicatorSummary:
    """Summarise one indicator for one area from facts holding the area's and the country's rows."""
    mine = facts[(facts["indicator_id"] == indicator.id) & (facts["region_code"] == region_code)]
    if year is not None:
        mine = mine[mine["year"] <= year]
    shown = mine[mine["value"].notna() | mine["suppressed"]].sort_values("year")
    base = _Base(
        indicator_id=indicator.id,
        label=indicator.label.get(lang),
        unit=indicator.unit.value,
        decimals=indicator.decimals,
    )
    if shown.empty:
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
            suppressed=False,
            suppression_reason=None,
            synthetic=False,
            missing_reason=_missing_reason(indicator, level, has_any_data, lang),
        )
    latest = shown.iloc[-1]
    latest_year = int(latest["year"])
    by_year = shown.set_index("year")["value"]
    previous_year = _earlier(by_year, latest_year, 1)
    five_year = _earlier(by_year, latest_year, 5)
    country = facts[
        (facts["indicator_id"] == indicator.id)
        & (facts["region_code"] == "SSS")
        & (facts["year"] == latest_year)
    ]
    value = optional_float(latest["value"])
    trend = "not_enough_data"
    if indicator.unit.ci_method != "none" and len(shown) >= TREND_PERIODS:
        # recent_trend takes the latest periods itself; a suppressed gap there means no trend.
        try:
            trend = recent_trend(
                shown["year"].astype(int).tolist(),
                shown["numerator"].to_numpy(dtype=float),
                shown["denominator"].to_numpy(dtype=float),
                cast(IntervalMethod, indicator.unit.ci_method),
            ).trend.value
        except DataError:
            trend = "not_enough_data"
    return IndicatorSummary(
        **base,
        year=latest_year,
        value=value,
        ci_lower=optional_float(latest["ci_lower"]),
        ci_upper=optional_float(latest["ci_upper"]),
        country_value=optional_float(country["value"].iloc[0]) if not country.empty else None,
        comparison=str(latest["comparison"]),
        change_previous=_change(value, by_year, previous_year),
        previous_year=previous_year,
        change_five_years=_change(value, by_year, five_year),
        five_years_year=five_year,
        trend=trend,
        suppressed=bool(latest["suppressed"]),
        suppression_reason=latest["suppression_reason"] if latest["suppressed"] else None,
        synthetic=bool(latest["synthetic"]),
        missing_reason=None,
    )


def _earlier(by_year: pd.Series, year: int, back: int) -> int | None:
    wanted = year - back
    return wanted if wanted in by_year.index and not np.isnan(by_year[wanted]) else None


def _change(value: float | None, by_year: pd.Series, earlier: int | None) -> float | None:
    if value is None or earlier is None:
        return None
    return value - float(by_year[earlier])


_MISSING = {
    "not_summable": {
        "fi": "julkaistu vain kunnittain osuutena; ylempää tasoa ei voi laskea",
        "sv": "publiceras endast kommunvis som andel; högre nivåer kan inte beräknas",
        "en": "published only as a municipal rate; higher levels cannot be computed",
    },
    "no_data": {
        "fi": "lähteen tietoja ei ole vielä haettu kuutioon",
        "sv": "källans uppgifter har ännu inte hämtats till kuben",
        "en": "the source's data have not been fetched into the cube yet",
    },
    "not_for_area": {
        "fi": "ei tietoa tälle alueelle",
        "sv": "inga uppgifter för området",
        "en": "no data for this area",
    },
}


def _missing_reason(indicator: Indicator, level: str, has_any_data: bool, lang: str) -> str:
    if not indicator.aggregable and level != "municipality":
        key = "not_summable"
    elif not has_any_data:
        key = "no_data"
    else:
        key = "not_for_area"
    texts = _MISSING[key]
    return texts.get(lang, texts["fi"])
