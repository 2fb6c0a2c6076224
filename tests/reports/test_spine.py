"""The area profile: the counties' spread, the country in the middle, worst left, best right."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from raketieto.catalogue import load_catalogue
from raketieto.cube.memory import FactIndex
from raketieto.regions import Level, load_division
from raketieto.reports.spine import SpineRow, area_spine

DIVISION = load_division()
CATALOGUE = load_catalogue()
RATE = "social-assistance-recipients-pct"  # percent, lower is better


def _fact(indicator: str, code: str, year: int, value: float | None, **extra: object) -> tuple:
    return (indicator, code, year, "total", "total", None, None, value, None, None,
            extra.get("comparison", "not_compared"), extra.get("suppressed", False), None,
            extra.get("synthetic", False))  # fmt: skip


def _index(values: dict[str, float], year: int = 2022, **extra: object) -> FactIndex:
    rows = [_fact(RATE, code, year, v, **extra) for code, v in values.items()]
    return FactIndex(rows, {})


def _counties(start: float = 1.0) -> dict[str, float]:
    return {r.code: start + i for i, r in enumerate(DIVISION.at_level(Level.COUNTY))}


def test_the_spread_is_the_counties_quantiles_in_the_areas_year() -> None:
    values = _counties()
    values |= {"SSS": 8.0, "KU091": 3.5}
    spine = area_spine(_index(values), DIVISION, DIVISION.get("KU091"), [CATALOGUE.indicator(RATE)])
    (row,) = spine.rows
    county_values = [v for c, v in values.items() if c.startswith("HVA")]
    expected = np.percentile(county_values, [0, 25, 75, 100])
    assert [row.lowest, row.lower_quartile, row.upper_quartile, row.highest] == pytest.approx(
        list(expected)
    )
    assert (row.value, row.country, row.year, row.counties) == (3.5, 8.0, 2022, len(county_values))


def test_suppressed_and_counted_values_stay_out() -> None:
    values = _counties() | {"SSS": 8.0}
    index = FactIndex(
        [*(_fact(RATE, c, 2022, v) for c, v in values.items()),
         _fact(RATE, "KU091", 2022, 4.0, suppressed=True),
         _fact("population", "KU091", 2022, 650000.0)],
        {},
    )  # fmt: skip
    indicators = [CATALOGUE.indicator(RATE), CATALOGUE.indicator("population")]
    spine = area_spine(index, DIVISION, DIVISION.get("KU091"), indicators)
    assert spine.rows == []


def test_an_indicator_without_county_values_is_named() -> None:
    index = _index({"KU091": 3.0, "SSS": 4.0})
    spine = area_spine(index, DIVISION, DIVISION.get("KU091"), [CATALOGUE.indicator(RATE)])
    assert spine.rows == [] and spine.without_county_values == [CATALOGUE.indicator(RATE).label.fi]


def _row(polarity: str, low: float, country: float, high: float) -> SpineRow:
    return SpineRow("x", "x", "percent", 1, polarity, 2022, country, "similar", False, country,
                    low, low, high, high, 22)  # fmt: skip


@given(
    st.floats(0, 100),
    st.floats(0.01, 50),
    st.floats(0.01, 50),
    st.sampled_from(["higher_is_better", "lower_is_better", "neutral"]),
)
def test_the_country_is_in_the_middle_and_better_is_to_the_right(
    country: float, below: float, above: float, polarity: str
) -> None:
    row = _row(polarity, country - below, country, country + above)
    assert row.position(country) == pytest.approx(0.5)
    positions = [row.position(row.lowest), row.position(row.highest)]
    assert all(-1e-9 <= p <= 1 + 1e-9 for p in positions)
    # The end farther from the country reaches the edge of the spine.
    assert max(abs(p - 0.5) for p in positions) == pytest.approx(0.5)
    better = row.position(row.highest) > row.position(row.lowest)
    assert better == (polarity != "lower_is_better")
