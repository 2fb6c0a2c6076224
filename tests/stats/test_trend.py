"""The recent-trend test against published statistics; its behaviour on the last five periods."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats as sps

from raketieto.errors import DataError
from raketieto.stats.trend import (
    RECENT_PERIODS,
    TREND_ALPHA,
    Trend,
    chi_square_for_trend,
    recent_trend,
)


def test_cochran_armitage_matches_r_prop_trend_test_example() -> None:
    # R, ?prop.trend.test (package stats), example: smokers <- c(83, 90, 129, 70);
    # patients <- c(86, 93, 136, 82); prop.trend.test(smokers, patients) prints
    # X-squared = 8.2249, df = 1, p-value = 0.004132.
    test = chi_square_for_trend([1, 2, 3, 4], [83, 90, 129, 70], [86, 93, 136, 82], "wilson")
    assert round(test.statistic, 4) == 8.2249
    assert round(test.p_value, 6) == 0.004132
    assert test.score < 0  # the proportion of smokers falls


def test_cochran_armitage_matches_published_linear_by_linear_example() -> None:
    # MRC CBU statistics wiki, FAQ/ChiTrend: correct answers 3, 6, 10 out of 12 at three times;
    # SPSS reports the linear-by-linear association chi-square 7.96 (1 df, p = .005). SPSS's
    # statistic is (N − 1) r², the Cochran–Armitage one N r², so CA = 7.96 × 36 / 35.
    test = chi_square_for_trend([1, 2, 3], [3, 6, 10], [12, 12, 12], "wilson")
    assert round(test.statistic * 35 / 36, 2) == 7.96
    assert round(test.p_value, 3) == 0.004
    assert test.score > 0


def test_poisson_score_test_by_hand() -> None:
    # Counts 10, 20, 30 over 1,000 person-years each, scores 1, 2, 3.
    # Common rate 60/3000 = 0.02, expected 20 each, weighted mean score 2.
    # U = 10·(−1) + 20·0 + 30·1 = 20; Var U = 20·1 + 20·0 + 20·1 = 40; X² = 400/40 = 10.
    test = chi_square_for_trend([1, 2, 3], [10, 20, 30], [1000, 1000, 1000], "poisson")
    assert test.statistic == pytest.approx(10.0)
    assert test.p_value == pytest.approx(float(sps.chi2.sf(10.0, 1)))
    assert test.score == pytest.approx(20.0)


@given(
    st.integers(min_value=0, max_value=500),
    st.integers(min_value=0, max_value=500),
    st.floats(min_value=10.0, max_value=1e6),
    st.floats(min_value=10.0, max_value=1e6),
)
def test_poisson_trend_over_two_periods_is_the_pearson_test_of_two_rates(
    o1: int, o2: int, n1: float, n2: float
) -> None:
    # With two groups the score test for trend is the Pearson chi-square comparing two rates:
    # Σ (O − E)² / E with E_i = n_i · ΣO / Σn (Breslow & Day 1987, vol. II, ch. 3).
    test = chi_square_for_trend([0, 1], [o1, o2], [n1, n2], "poisson")
    total = o1 + o2
    if total == 0:
        assert (test.statistic, test.p_value) == (0.0, 1.0)
        return
    e1, e2 = n1 * total / (n1 + n2), n2 * total / (n1 + n2)
    pearson = (o1 - e1) ** 2 / e1 + (o2 - e2) ** 2 / e2
    assert test.statistic == pytest.approx(pearson, rel=1e-9, abs=1e-9)


def test_rate_and_proportion_tests_agree_for_rare_events() -> None:
    # Binomial counts with tiny p are Poisson: the two statistics converge.
    x = [50, 61, 70, 82, 95]
    n = [10**9] * 5
    years = [2019, 2020, 2021, 2022, 2023]
    prop = chi_square_for_trend(years, x, n, "wilson")
    rate = chi_square_for_trend(years, x, n, "poisson")
    assert prop.statistic == pytest.approx(rate.statistic, rel=1e-6)


YEARS = [2019, 2020, 2021, 2022, 2023]


def test_rising_and_falling_rates_are_marked() -> None:
    rising = recent_trend(YEARS, [100, 120, 140, 160, 180], [10_000] * 5, "poisson")
    assert rising.trend is Trend.INCREASING
    assert rising.p_value < TREND_ALPHA
    proportions = recent_trend(YEARS, [300, 270, 250, 220, 200], [1000] * 5, "wilson")
    assert proportions.trend is Trend.DECREASING


def test_flat_series_has_no_significant_change() -> None:
    result = recent_trend(YEARS, [50, 50, 50, 50, 50], [1000] * 5, "wilson")
    assert result.trend is Trend.NO_SIGNIFICANT_CHANGE
    assert result.statistic == pytest.approx(0.0)
    assert result.p_value == pytest.approx(1.0)
    none_at_all = recent_trend(YEARS, [0] * 5, [1000] * 5, "poisson")
    assert none_at_all == (Trend.NO_SIGNIFICANT_CHANGE, 1.0, 0.0)


def test_significance_level_is_the_documented_one() -> None:
    # X² = 4.41, p ≈ 0.036: significant at 0.05 but not at the default 0.01.
    counts = [200, 208, 216, 226, 240]
    default = recent_trend(YEARS, counts, [100_000] * 5, "poisson")
    assert 0.01 < default.p_value < 0.05
    assert default.trend is Trend.NO_SIGNIFICANT_CHANGE
    loose = recent_trend(YEARS, counts, [100_000] * 5, "poisson", alpha=0.05)
    assert loose.trend is Trend.INCREASING


def test_needs_five_periods_with_denominators() -> None:
    assert RECENT_PERIODS == 5
    four = recent_trend(YEARS[:4], [1, 2, 3, 4], [10] * 4, "wilson")
    assert four.trend is Trend.NOT_ENOUGH_DATA
    assert math.isnan(four.p_value) and math.isnan(four.statistic)
    missing_numerator = recent_trend(YEARS, [1, 2, np.nan, 4, 5], [10] * 5, "wilson")
    assert missing_numerator.trend is Trend.NOT_ENOUGH_DATA
    zero_denominator = recent_trend(YEARS, [1, 2, 3, 4, 5], [10, 10, 0, 10, 10], "poisson")
    assert zero_denominator.trend is Trend.NOT_ENOUGH_DATA
    no_method = recent_trend(YEARS, [1, 2, 3, 4, 5], [10] * 5, "none")
    assert no_method.trend is Trend.NOT_ENOUGH_DATA


def test_only_the_latest_five_periods_count() -> None:
    years = [2015, 2016, *YEARS]
    base = recent_trend(YEARS, [100, 120, 140, 160, 180], [10_000] * 5, "poisson")
    with_history = recent_trend(years, [5, 900, 100, 120, 140, 160, 180], [10_000] * 7, "poisson")
    assert with_history == base
    # A gap in an old period does not matter; a gap in the latest five does.
    old_gap = recent_trend(years, [np.nan, 1, 100, 120, 140, 160, 180], [10_000] * 7, "poisson")
    assert old_gap == base
    new_gap = recent_trend(years, [5, 9, 100, 120, np.nan, 160, 180], [10_000] * 7, "poisson")
    assert new_gap.trend is Trend.NOT_ENOUGH_DATA


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ((YEARS, [1, 2, 3], [10] * 5, "wilson"), "3"),
        (([2019, 2019, 2020, 2021, 2022], [1] * 5, [10] * 5, "wilson"), "2019"),
        ((YEARS, [1, 2, -3, 4, 5], [10] * 5, "poisson"), "-3"),
        ((YEARS, [1, 2, 3, 40, 5], [10] * 5, "wilson"), "40"),
        ((YEARS, [1, 2, 3, 4, 5], [10] * 5, "logistic"), "logistic"),
    ],
)
def test_bad_input_is_a_data_error_naming_the_value(
    args: tuple[object, ...], fragment: str
) -> None:
    with pytest.raises(DataError) as caught:
        recent_trend(*args)  # type: ignore[arg-type]
    assert fragment in str(caught.value)
    assert "odotettiin" in str(caught.value)


series = st.lists(
    st.tuples(st.integers(min_value=0, max_value=2000), st.integers(min_value=1, max_value=5000)),
    min_size=5,
    max_size=5,
).map(lambda rows: [(min(x, n), n) for x, n in rows])


@given(series, st.sampled_from(["wilson", "poisson"]), st.permutations(list(range(5))))
def test_order_of_input_does_not_matter_and_reversing_time_flips_direction(
    rows: list[tuple[int, int]], method: str, order: list[int]
) -> None:
    x = [r[0] for r in rows]
    n = [r[1] for r in rows]
    forward = recent_trend(YEARS, x, n, method, alpha=0.05)  # type: ignore[arg-type]
    shuffled = recent_trend(
        [YEARS[i] for i in order],
        [x[i] for i in order],
        [n[i] for i in order],
        method,  # type: ignore[arg-type]
        alpha=0.05,
    )
    assert shuffled.trend is forward.trend
    assert shuffled.statistic == pytest.approx(forward.statistic, rel=1e-9, abs=1e-12)
    backward = recent_trend([-y for y in YEARS], x, n, method, alpha=0.05)  # type: ignore[arg-type]
    assert backward.statistic == pytest.approx(forward.statistic, rel=1e-9, abs=1e-12)
    flipped = {Trend.INCREASING: Trend.DECREASING, Trend.DECREASING: Trend.INCREASING}
    assert backward.trend is flipped.get(forward.trend, forward.trend)
    assert 0.0 <= forward.p_value <= 1.0
    assert forward.statistic >= 0.0
