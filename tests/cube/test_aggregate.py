"""Aggregation is exact: every level's numerator and denominator are the sums of the level below."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from raketieto.cube.aggregate import aggregate_up
from raketieto.regions import Level, load_division

DIVISION = load_division(2025)
MUNICIPALITIES = [r.code for r in DIVISION.at_level(Level.MUNICIPALITY)]


def _facts(numerators: np.ndarray, denominators: np.ndarray, year: int = 2020) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_id": "x",
            "region_code": MUNICIPALITIES,
            "year": year,
            "sex": "total",
            "age_group": "total",
            "numerator": numerators,
            "denominator": denominators,
            "value": np.nan,
            "suppressed": False,
            "suppression_reason": None,
            "source": "test",
            "source_version": "1",
            "retrieved_at": pd.Timestamp(dt.datetime(2026, 1, 1, tzinfo=dt.UTC)),
            "synthetic": True,
            "note": None,
        }
    )


def _assert_exact(result: pd.DataFrame) -> None:
    by_code = result.set_index("region_code")
    for level in (Level.COUNTY, Level.COLLABORATIVE_AREA, Level.COUNTRY):
        for region in DIVISION.at_level(level):
            children = [c.code for c in DIVISION.children(region.code)]
            for column in ("numerator", "denominator"):
                assert by_code.loc[region.code, column] == by_code.loc[children, column].sum()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(0, 10_000), st.integers(0, 50_000)),
        min_size=len(MUNICIPALITIES),
        max_size=len(MUNICIPALITIES),
    )
)
def test_random_data_sums_exactly_at_every_level(pairs: list[tuple[int, int]]) -> None:
    numerators = np.array([min(n, d) for n, d in pairs], dtype=float)
    denominators = np.array([d for _, d in pairs], dtype=float)
    result = aggregate_up(_facts(numerators, denominators), DIVISION)
    assert len(result) == len(DIVISION.regions)
    _assert_exact(result)
    country = result[result["region_code"] == "SSS"].iloc[0]
    assert country["numerator"] == numerators.sum()
    assert bool(country["aggregated"]) is True


@settings(max_examples=25, deadline=None)
@given(st.sets(st.sampled_from(MUNICIPALITIES), min_size=1, max_size=20))
def test_a_missing_municipality_leaves_its_ancestors_missing(missing: set[str]) -> None:
    facts = _facts(np.ones(len(MUNICIPALITIES)), np.full(len(MUNICIPALITIES), 10.0))
    facts = facts[~facts["region_code"].isin(missing)]
    result = aggregate_up(facts, DIVISION)
    present = set(result["region_code"])
    for code in missing:
        for ancestor in DIVISION.ancestors(code):
            assert ancestor.code not in present
    # Counties without a missing municipality are still there and exact.
    untouched = {
        r.code
        for r in DIVISION.at_level(Level.COUNTY)
        if not any(m.code in missing for m in DIVISION.children(r.code))
    }
    assert untouched <= present


def test_a_source_row_stays_where_children_are_incomplete() -> None:
    facts = _facts(np.ones(len(MUNICIPALITIES)), np.full(len(MUNICIPALITIES), 10.0))
    facts = facts[facts["region_code"] != "KU507"]
    provided = facts.iloc[:1].assign(region_code="HVA12", numerator=7.0, denominator=70.0)
    result = aggregate_up(pd.concat([facts, provided]), DIVISION).set_index("region_code")
    assert result.loc["HVA12", "numerator"] == 7.0
    assert not bool(result.loc["HVA12", "aggregated"])


def test_computed_rows_replace_source_rows_so_levels_agree() -> None:
    facts = _facts(np.ones(len(MUNICIPALITIES)), np.full(len(MUNICIPALITIES), 10.0))
    provided = facts.iloc[:1].assign(region_code="HVA12", numerator=7.0, denominator=70.0)
    result = aggregate_up(pd.concat([facts, provided]), DIVISION)
    assert (result["region_code"] == "HVA12").sum() == 1
    _assert_exact(result)


def test_plain_counts_without_denominators_aggregate() -> None:
    facts = _facts(
        np.arange(len(MUNICIPALITIES), dtype=float), np.full(len(MUNICIPALITIES), np.nan)
    )
    result = aggregate_up(facts, DIVISION).set_index("region_code")
    assert result.loc["SSS", "numerator"] == sum(range(len(MUNICIPALITIES)))
    assert np.isnan(result.loc["SSS", "denominator"])
