"""Recent trend over the last five periods: a 1-df chi-square score test for a linear trend.

Proportions: the chi-square test for trend in proportions (Cochran–Armitage; the statistic of
R's prop.trend.test). Rates: the score test for trend in Poisson rates with the denominator as
person-time, i.e. the score test of the slope in the log-linear Poisson regression
log E[O] = log n + a + b·period. Both use the period itself as the score, so unequal spacing
is taken into account. See docs/statistics.md for the choice of the significance level.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from enum import StrEnum
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from scipy import stats as sps

from raketieto.errors import DataError
from raketieto.stats.intervals import METHODS, IntervalMethod

#: How many of the latest periods the test uses, and needs.
RECENT_PERIODS = 5

#: Significance level of the trend marker (stricter than 0.05: see docs/statistics.md).
TREND_ALPHA = 0.01


class Trend(StrEnum):
    """The recent-trend marker."""

    INCREASING = "increasing"
    DECREASING = "decreasing"
    NO_SIGNIFICANT_CHANGE = "no_significant_change"
    NOT_ENOUGH_DATA = "not_enough_data"


class TrendResult(NamedTuple):
    """The marker with the test's p-value and chi-square statistic (NaN when not tested)."""

    trend: Trend
    p_value: float
    statistic: float


_NOT_TESTED = TrendResult(Trend.NOT_ENOUGH_DATA, math.nan, math.nan)


class TrendTest(NamedTuple):
    """A 1-df chi-square test for trend: statistic, p-value, and the score (its sign: direction)."""

    statistic: float
    p_value: float
    score: float


def recent_trend(
    periods: Sequence[int],
    numerators: npt.ArrayLike,
    denominators: npt.ArrayLike,
    method: IntervalMethod,
    *,
    alpha: float = TREND_ALPHA,
) -> TrendResult:
    """Test the last five periods for a linear trend: "wilson" = proportions, "poisson" = rates.

    The five latest periods must all have a numerator and a positive denominator, else the
    result is not_enough_data; so is any series of an indicator whose method is "none".
    """
    t, x, n = _checked(periods, numerators, denominators, method)
    if method == "none" or t.size < RECENT_PERIODS:
        return _NOT_TESTED
    latest = np.argsort(t)[-RECENT_PERIODS:]
    t, x, n = t[latest], x[latest], n[latest]
    if np.isnan(x).any() or not (n > 0).all():
        return _NOT_TESTED
    test = chi_square_for_trend(t, x, n, method)
    if not test.p_value < alpha:
        return TrendResult(Trend.NO_SIGNIFICANT_CHANGE, test.p_value, test.statistic)
    trend = Trend.INCREASING if test.score > 0 else Trend.DECREASING
    return TrendResult(trend, test.p_value, test.statistic)


def chi_square_for_trend(
    scores: Sequence[float] | npt.ArrayLike,
    numerators: npt.ArrayLike,
    denominators: npt.ArrayLike,
    method: IntervalMethod,
) -> TrendTest:
    """The trend test over any number of groups (all with a numerator and a positive denominator).

    "wilson": Cochran–Armitage for proportions (R's prop.trend.test); "poisson": the score test
    for trend in Poisson rates. With no events (or, for proportions, only events) it is 0, p 1.
    """
    t, x, n = _checked(scores, numerators, denominators, method)
    if method == "none":
        raise DataError("Menetelmällä 'none' ei ole trenditestiä; odotettiin wilson tai poisson.")
    if t.size < 2 or np.isnan(x).any() or not (n > 0).all():
        raise DataError(
            "Trenditesti tarvitsee vähintään kaksi jaksoa, joilla on osoittaja ja positiivinen "
            "nimittäjä."
        )
    if method == "wilson":
        score, variance = _proportion_score(t, x, n)
    else:
        score, variance = _rate_score(t, x, n)
    if not variance > 0:
        # No events (or all events) in every period: nothing can have changed.
        return TrendTest(0.0, 1.0, 0.0)
    statistic = score * score / variance
    return TrendTest(float(statistic), float(sps.chi2.sf(statistic, 1)), score)


def _checked(
    periods: Sequence[float] | npt.ArrayLike,
    numerators: npt.ArrayLike,
    denominators: npt.ArrayLike,
    method: str,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    if method not in METHODS:
        raise DataError(f"Tuntematon menetelmä '{method}'; odotettiin {', '.join(METHODS)}.")
    t = np.asarray(periods, dtype=float)
    x = np.asarray(numerators, dtype=float)
    n = np.asarray(denominators, dtype=float)
    if not (t.ndim == x.ndim == n.ndim == 1 and t.size == x.size == n.size):
        raise DataError(
            f"Jaksoja on {t.size}, osoittajia {x.size} ja nimittäjiä {n.size}; "
            "odotettiin yhtä monta kutakin."
        )
    if np.isnan(t).any():
        raise DataError("Jakso puuttuu; odotettiin jokaiselle arvolle vuosi tai muu jakso.")
    if np.unique(t).size != t.size:
        duplicate = _first_duplicate(t)
        raise DataError(
            f"Jakso {duplicate:g} esiintyy kahdesti; odotettiin yksi arvo jaksoa kohden."
        )
    for values, what in ((x, "osoittaja"), (n, "nimittäjä")):
        if (values < 0).any():
            bad = float(values[np.flatnonzero(values < 0)[0]])
            raise DataError(
                f"Negatiivinen {what} {bad:g}; odotettiin nollaa tai positiivista lukua."
            )
    if method == "wilson":
        too_big = x > n * (1 + 1e-9)
        if too_big.any():
            i = int(np.flatnonzero(too_big)[0])
            raise DataError(
                f"Osoittaja {x[i]:g} on suurempi kuin nimittäjä {n[i]:g} jaksolla {t[i]:g}; "
                "odotettiin osuutta, jonka osoittaja on enintään nimittäjä."
            )
    return t, x, n


def _proportion_score(
    t: npt.NDArray[np.float64], x: npt.NDArray[np.float64], n: npt.NDArray[np.float64]
) -> tuple[float, float]:
    # Cochran–Armitage: U = Σ x_i (t_i − t̄), Var U = p̄(1 − p̄) Σ n_i (t_i − t̄)², t̄ weighted by n.
    p_bar = float(x.sum() / n.sum())
    centred = t - float((n * t).sum() / n.sum())
    score = float((x * centred).sum())
    variance = p_bar * (1.0 - p_bar) * float((n * centred * centred).sum())
    return score, variance


def _rate_score(
    t: npt.NDArray[np.float64], x: npt.NDArray[np.float64], n: npt.NDArray[np.float64]
) -> tuple[float, float]:
    # Poisson score test: expected e_i = n_i Σx / Σn; U = Σ x_i (t_i − t̄), Var U = Σ e_i (t_i − t̄)².
    expected = n * float(x.sum() / n.sum())
    total = float(expected.sum())
    if total <= 0:
        return 0.0, 0.0
    centred = t - float((expected * t).sum() / total)
    score = float((x * centred).sum())
    variance = float((expected * centred * centred).sum())
    return score, variance


def _first_duplicate(t: npt.NDArray[np.float64]) -> float:
    seen: set[float] = set()
    for value in t.tolist():
        if value in seen:
            return float(value)
        seen.add(value)
    return math.nan
