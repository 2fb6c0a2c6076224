"""The tilannekuva's change column and trend marker read one window; small trends say so."""

from __future__ import annotations

from raketieto.catalogue import load_catalogue
from raketieto.cube.memory import Fact
from raketieto.reports.situation import MEANINGFUL_SHARE, TREND_PERIODS, summarise

CATALOGUE = load_catalogue()
RATE = "social-assistance-recipients-pct"


def _facts(numerators: list[float], denominator: float, first_year: int = 2015) -> list[Fact]:
    return [
        Fact(
            first_year + i,
            "total",
            "total",
            n,
            denominator,
            100 * n / denominator,
            None,
            None,
            "not_compared",
            False,
            None,
            False,
        )
        for i, n in enumerate(numerators)
    ]


def test_the_change_column_covers_the_trends_window() -> None:
    facts = _facts([100, 120, 140, 160, 180, 200, 220], 1000)
    summary = summarise(CATALOGUE.indicator(RATE), facts, {})
    window = facts[-TREND_PERIODS:]
    assert summary.trend_from == window[0].year
    assert summary.change_trend_window is not None
    assert abs(summary.change_trend_window - (facts[-1].value - window[0].value)) < 1e-12
    assert summary.trend == "increasing"


def test_a_significant_but_small_rise_is_marked_small() -> None:
    # A huge denominator makes a tiny steady rise significant; it stays under 5 % of the start.
    numerators = [1_000_000, 1_002_000, 1_004_000, 1_006_000, 1_008_000]
    summary = summarise(CATALOGUE.indicator(RATE), _facts(numerators, 100_000_000), {})
    assert summary.meaningful_change is not None
    assert summary.meaningful_change == abs(summary_start(numerators)) * MEANINGFUL_SHARE
    assert summary.trend == "increasing_small"


def test_a_significant_rise_beside_a_falling_change_is_not_a_plain_rise() -> None:
    # Rising through the window but ending below its start: the change column falls.
    numerators = [200_000, 210_000, 230_000, 250_000, 199_000]
    summary = summarise(CATALOGUE.indicator(RATE), _facts(numerators, 1_000_000), {})
    assert summary.change_trend_window is not None and summary.change_trend_window < 0
    assert summary.trend == "increasing_small"


def summary_start(numerators: list[int]) -> float:
    """The window's first value of the rate, as the cube would hold it."""
    return 100 * numerators[0] / 100_000_000
