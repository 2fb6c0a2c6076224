"""Confidence intervals against published values, and their invariants."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from raketieto.errors import DataError
from raketieto.stats.intervals import (
    Z95,
    byar,
    exact_poisson,
    interval_for_unit,
    poisson_count_interval,
    rate_interval_array,
    wilson,
    wilson_array,
)

# Wilson score interval, 95 %. 0/10, 5/10, 10/10 are the values quoted in issue 2 (Wilson 1927);
# 81/263, 15/148, 0/20 and 1/29 are Newcombe (1998), Statistics in Medicine 17:857-872,
# Table II, method 3 (score interval without continuity correction), to 4 decimals.
WILSON_PUBLISHED = [
    (0, 10, 0.0000, 0.2775),
    (5, 10, 0.2366, 0.7634),
    (10, 10, 0.7225, 1.0000),
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
]


@pytest.mark.parametrize(("x", "n", "lower", "upper"), WILSON_PUBLISHED)
def test_wilson_matches_published_values(x: int, n: int, lower: float, upper: float) -> None:
    got = wilson(x, n)
    assert round(got[0], 4) == lower
    assert round(got[1], 4) == upper


def test_wilson_ends_are_exact() -> None:
    assert wilson(0, 10)[0] == 0.0
    assert wilson(10, 10)[1] == 1.0


# Exact (Garwood 1936) Poisson limits for a count, 95 %, as tabulated (quoted in issue 2):
# lower = chi2.ppf(0.025, 2O)/2, upper = chi2.ppf(0.975, 2O+2)/2.
EXACT_PUBLISHED = [(0, 0.0, 3.689), (1, 0.0253, 5.572), (10, 4.795, 18.390)]


@pytest.mark.parametrize(("count", "lower", "upper"), EXACT_PUBLISHED)
def test_exact_poisson_matches_published_values(count: int, lower: float, upper: float) -> None:
    got = exact_poisson(count)
    assert got[0] == pytest.approx(lower, abs=5e-4)
    assert got[1] == pytest.approx(upper, abs=5e-4)


def test_byar_matches_published_example() -> None:
    # Published example: the documentation of the Ruby gem `byar` (rubygems.org), O = 100 with
    # z = 1.96: upper bound 121.628347271806 and SMR lower limit 0.9040199067337297 for 90
    # expected, i.e. a lower count limit of 0.9040199067337297 × 90 = 81.36179160603567.
    # By hand from Byar's formula (Breslow & Day 1987):
    #   lower = 100 (1 − 1/900 − 1.96/30)^3 = 100 × 0.933555...^3 = 81.3618
    #   upper = 101 (1 − 1/909 + 1.96/(3√101))^3 = 101 × 1.063908...^3 = 121.6283
    lower, upper = byar(100, z=1.96)
    assert lower == pytest.approx(0.9040199067337297 * 90, rel=1e-12)
    assert upper == pytest.approx(121.628347271806, rel=1e-12)


def test_byar_by_hand_at_ten() -> None:
    # lower = 10 (1 − 1/90 − z/(3√10))^3, upper = 11 (1 − 1/99 + z/(3√11))^3, z = 1.959964
    lower, upper = byar(10)
    assert lower == pytest.approx(10 * (1 - 1 / 90 - Z95 / (3 * math.sqrt(10))) ** 3, rel=1e-12)
    assert upper == pytest.approx(11 * (1 - 1 / 99 + Z95 / (3 * math.sqrt(11))) ** 3, rel=1e-12)
    assert round(lower, 3) == 4.787
    assert round(upper, 3) == 18.391


def test_byar_is_within_two_tenths_of_a_percent_of_exact_from_ten_events() -> None:
    # PHE, Technical Guide: Confidence Intervals (2018): for 95 % intervals Byar's method is
    # within 0.2 % of the exact value for numerators of 10 or more (the brief asks for 1 %).
    for count in [*range(10, 1000), 2000, 5000, 10**4, 10**5, 10**6]:
        b_lower, b_upper = byar(count)
        e_lower, e_upper = exact_poisson(count)
        assert abs(b_lower - e_lower) / e_lower < 0.002, count
        assert abs(b_upper - e_upper) / e_upper < 0.002, count


def test_count_interval_switches_from_exact_to_byar_at_ten() -> None:
    assert poisson_count_interval(9) == exact_poisson(9)
    assert poisson_count_interval(10) == byar(10)
    assert poisson_count_interval(9.99) == exact_poisson(9.99)


def test_rate_interval_divides_count_limits_by_denominator() -> None:
    lower, upper = rate_interval_array([5, 50], [2000, 2000], 1000)
    for i, count in enumerate((5, 50)):
        expected = poisson_count_interval(count)
        assert lower[i] == pytest.approx(expected[0] / 2000 * 1000)
        assert upper[i] == pytest.approx(expected[1] / 2000 * 1000)


def test_missing_or_zero_denominators_give_nan() -> None:
    lower, upper = wilson_array([1, 1, np.nan, 0], [0, np.nan, 10, -1])
    assert np.isnan(lower).all()
    assert np.isnan(upper).all()
    assert all(math.isnan(v) for v in wilson(3, 0))
    lower, upper = rate_interval_array([3, 3, np.nan], [0, np.nan, 100], 1000)
    assert np.isnan(lower).all()
    assert np.isnan(upper).all()


def test_interval_for_unit_percent_and_rate() -> None:
    lower, upper = interval_for_unit("wilson", [5, 0], [10, 20], 100.0)
    assert lower == pytest.approx([23.66, 0.0], abs=5e-3)
    assert upper == pytest.approx([76.34, 16.11], abs=5e-3)
    lower, upper = interval_for_unit("poisson", [10, 1], [1000, 1000], [1000.0, 100_000.0])
    assert lower == pytest.approx([byar(10)[0], exact_poisson(1)[0] * 100])
    assert upper == pytest.approx([byar(10)[1], exact_poisson(1)[1] * 100])


def test_interval_for_unit_count_when_scale_is_nan() -> None:
    lower, upper = interval_for_unit("poisson", [4, 40], [np.nan, np.nan], np.nan)
    assert lower == pytest.approx([exact_poisson(4)[0], byar(40)[0]])
    assert upper == pytest.approx([exact_poisson(4)[1], byar(40)[1]])
    lower, upper = interval_for_unit("wilson", [4], [10], np.nan)
    assert np.isnan(lower).all()
    assert np.isnan(upper).all()


def test_interval_for_unit_none_is_all_nan() -> None:
    lower, upper = interval_for_unit("none", [1, 2, 3], [4, 5, 6], 1.0)
    assert lower.shape == (3,)
    assert np.isnan(lower).all()
    assert np.isnan(upper).all()


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: wilson(11, 10), "11"),
        (lambda: wilson(-1, 10), "-1"),
        (lambda: exact_poisson(-2), "-2"),
        (lambda: byar(-2), "-2"),
        (lambda: interval_for_unit("normal", [1], [2], 1.0), "normal"),  # type: ignore[arg-type]
        (lambda: interval_for_unit("wilson", [1, 2], [3], 1.0), "2"),
        (lambda: interval_for_unit("poisson", [1, 2], [3, 4], [1.0, 2.0, 3.0]), "3"),
        (lambda: rate_interval_array([-3], [10], 1.0), "-3"),
    ],
)
def test_bad_input_raises_one_clear_data_error(call: object, fragment: str) -> None:
    with pytest.raises(DataError) as caught:
        call()  # type: ignore[operator]
    assert fragment in str(caught.value)
    assert "odotettiin" in str(caught.value)


def test_a_derived_numerator_a_hair_above_its_denominator_is_accepted() -> None:
    assert wilson(1000 * (1 + 1e-12), 1000)[1] == 1.0


# --- invariants -------------------------------------------------------------------------------

trials = st.integers(min_value=1, max_value=10**7)
fractions = st.floats(min_value=0.0, max_value=1.0)


@given(trials, fractions)
def test_wilson_contains_estimate_and_stays_in_unit_interval(n: int, share: float) -> None:
    x = share * n  # non-integer numerators are allowed
    lower, upper = wilson(x, n)
    assert 0.0 <= lower <= x / n <= upper <= 1.0


@given(st.lists(st.tuples(trials, fractions), min_size=1, max_size=30))
def test_wilson_array_equals_scalar(pairs: list[tuple[int, float]]) -> None:
    n = np.array([p[0] for p in pairs], dtype=float)
    x = np.array([p[1] for p in pairs]) * n
    lower, upper = wilson_array(x, n)
    for i in range(len(pairs)):
        assert (lower[i], upper[i]) == pytest.approx(wilson(x[i], n[i]), rel=1e-12, abs=1e-15)


counts = st.floats(min_value=0.0, max_value=1e7, allow_nan=False)


@given(counts)
def test_count_interval_contains_count(count: float) -> None:
    lower, upper = poisson_count_interval(count)
    assert 0.0 <= lower <= count <= upper


@given(counts)
def test_exact_interval_contains_count(count: float) -> None:
    lower, upper = exact_poisson(count)
    assert 0.0 <= lower <= count <= upper


@given(
    st.lists(st.tuples(counts, st.floats(min_value=1.0, max_value=1e8)), min_size=1, max_size=30),
    st.sampled_from([1.0, 100.0, 1000.0, 100_000.0]),
)
def test_rate_array_equals_scalar_and_contains_rate(
    rows: list[tuple[float, float]], scale: float
) -> None:
    o = np.array([r[0] for r in rows])
    n = np.array([r[1] for r in rows])
    lower, upper = interval_for_unit("poisson", o, n, scale)
    for i in range(len(rows)):
        c_lower, c_upper = poisson_count_interval(o[i])
        assert lower[i] == pytest.approx(c_lower / n[i] * scale, rel=1e-12, abs=1e-300)
        assert upper[i] == pytest.approx(c_upper / n[i] * scale, rel=1e-12)
        assert lower[i] <= o[i] / n[i] * scale * (1 + 1e-12) and o[i] / n[i] * scale <= upper[i]


@given(st.integers(min_value=0, max_value=10_000))
def test_count_limits_grow_with_the_count(count: int) -> None:
    lower, upper = poisson_count_interval(count)
    next_lower, next_upper = poisson_count_interval(count + 1)
    assert next_lower >= lower
    assert next_upper > upper
