"""95 % confidence intervals: Wilson score for proportions, exact Poisson and Byar for counts.

The rules follow the English public-health observatories (APHO Technical Briefing 3 and the
Fingertips technical guidance): Wilson score for proportions; for counts and rates the exact
(Garwood, chi-square) interval below 10 events and Byar's approximation from 10 events up.
Every function accepts non-integer numerators, because some numerators are derived from a
published rate and a population. See docs/statistics.md.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import stats as sps

from raketieto.errors import DataError

#: The standard normal quantile for a two-sided 95 % interval.
Z95 = 1.959963984540054

#: From this many events up, Byar's approximation replaces the exact Poisson interval.
BYAR_MIN_COUNT = 10.0

IntervalMethod = Literal["wilson", "poisson", "none"]
METHODS: tuple[IntervalMethod, ...] = ("wilson", "poisson", "none")

FloatArray = npt.NDArray[np.float64]

# A derived numerator (rate × population / scale) may exceed its denominator by rounding.
_RELATIVE_TOLERANCE = 1e-9


def wilson(successes: float, trials: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval (0–1) for successes out of trials; NaN when trials is 0 or missing."""
    lower, upper = wilson_array(np.array([successes], dtype=float), np.array([trials]), z=z)
    return float(lower[0]), float(upper[0])


def wilson_array(
    successes: npt.ArrayLike, trials: npt.ArrayLike, *, z: float = Z95
) -> tuple[FloatArray, FloatArray]:
    """Vectorised Wilson score interval (0–1); NaN where trials is 0, negative or missing."""
    x = _as_float(successes)
    n = _as_float(trials)
    _check_same_shape(x, n)
    _check_not_negative(x, "osoittaja")
    usable = (n > 0) & ~np.isnan(x)
    too_big = usable & (x > n * (1 + _RELATIVE_TOLERANCE))
    if too_big.any():
        i = int(np.flatnonzero(too_big)[0])
        raise DataError(
            f"Osoittaja {x.flat[i]:g} on suurempi kuin nimittäjä {n.flat[i]:g}; "
            "odotettiin osuutta, jonka osoittaja on enintään nimittäjä."
        )
    safe_n = np.where(usable, n, 1.0)
    p = np.where(usable, np.minimum(x, safe_n) / safe_n, np.nan)
    q = np.where(usable, np.maximum(safe_n - x, 0.0) / safe_n, np.nan)
    # The textbook form (centre ± half-width) loses all precision near 0 and 1; this algebraically
    # equal form has no subtraction, so 0/n gives exactly 0 and n/n exactly 1:
    #   lower = p · 2np / (2np + z² + z·sqrt(z² + 4npq)), and upper = 1 − (the same with q for p).
    z2 = z * z
    root = z * np.sqrt(z2 + 4.0 * safe_n * p * q)
    lower = p * (2.0 * safe_n * p / (2.0 * safe_n * p + z2 + root))
    upper = 1.0 - q * (2.0 * safe_n * q / (2.0 * safe_n * q + z2 + root))
    # Guard the invariants against the last rounding step.
    lower = np.clip(np.minimum(lower, p), 0.0, 1.0)
    upper = np.clip(np.maximum(upper, p), 0.0, 1.0)
    return lower, upper


def exact_poisson(count: float, z: float = Z95) -> tuple[float, float]:
    """Exact (Garwood) interval for a Poisson count, from chi-square quantiles; lower 0 for 0."""
    lower, upper = _exact_counts(np.array([_check_count(count)]), z)
    return float(lower[0]), float(upper[0])


def byar(count: float, z: float = Z95) -> tuple[float, float]:
    """Byar's approximation to the exact Poisson interval for a count (meant for counts ≥ 10)."""
    lower, upper = _byar_counts(np.array([_check_count(count)]), z)
    return float(lower[0]), float(upper[0])


def poisson_count_interval(count: float, z: float = Z95) -> tuple[float, float]:
    """Interval for a count: Byar from 10 events up, exact below (the APHO/Fingertips rule)."""
    lower, upper = _count_limits(np.array([_check_count(count)]), z)
    return float(lower[0]), float(upper[0])


def rate_interval_array(
    counts: npt.ArrayLike, denominators: npt.ArrayLike, scale: npt.ArrayLike, *, z: float = Z95
) -> tuple[FloatArray, FloatArray]:
    """Vectorised rate limits: count limits / denominator × scale; NaN where denominator ≤ 0."""
    o = _as_float(counts)
    n = _as_float(denominators)
    _check_same_shape(o, n)
    factor = _broadcast_scale(scale, o.shape)
    lower, upper = _count_limits(o, z)
    usable = n > 0
    per_unit = np.where(usable, factor / np.where(usable, n, 1.0), np.nan)
    return lower * per_unit, upper * per_unit


def interval_for_unit(
    method: IntervalMethod,
    numerators: npt.ArrayLike,
    denominators: npt.ArrayLike,
    scale: npt.ArrayLike,
    *,
    z: float = Z95,
) -> tuple[FloatArray, FloatArray]:
    """Interval limits in the indicator's unit (e.g. percent, per 1,000); NaN where none applies.

    "wilson": the Wilson interval × scale (100 for percent). "poisson": the count interval
    divided by the denominator × scale; where scale is NaN the unit is a plain count and the
    limits are those of the count itself. "none": all NaN. scale is a number or one per row.
    """
    if method not in METHODS:
        raise DataError(
            f"Tuntematon luottamusvälin menetelmä '{method}'; odotettiin {', '.join(METHODS)}."
        )
    x = _as_float(numerators)
    n = _as_float(denominators)
    _check_same_shape(x, n)
    factor = _broadcast_scale(scale, x.shape)
    if method == "none":
        return np.full(x.shape, np.nan), np.full(x.shape, np.nan)
    if method == "wilson":
        lower, upper = wilson_array(x, n, z=z)
        return lower * factor, upper * factor
    rate_lower, rate_upper = rate_interval_array(x, n, np.where(np.isnan(factor), 1.0, factor), z=z)
    count_lower, count_upper = _count_limits(x, z)
    is_count = np.isnan(factor)
    return np.where(is_count, count_lower, rate_lower), np.where(is_count, count_upper, rate_upper)


def _count_limits(counts: FloatArray, z: float) -> tuple[FloatArray, FloatArray]:
    _check_not_negative(counts, "tapahtumien määrä")
    lower = np.full(counts.shape, np.nan)
    upper = np.full(counts.shape, np.nan)
    large = counts >= BYAR_MIN_COUNT
    small = counts < BYAR_MIN_COUNT  # False for NaN, which stays NaN
    if large.any():
        lower[large], upper[large] = _byar_counts(counts[large], z)
    if small.any():
        lower[small], upper[small] = _exact_counts(counts[small], z)
    return lower, upper


def _exact_counts(counts: FloatArray, z: float) -> tuple[FloatArray, FloatArray]:
    alpha = 2.0 * float(sps.norm.sf(z))
    positive = counts > 0
    # chi2 with 0 degrees of freedom is undefined; the lower limit of a zero count is 0.
    shape_for_lower = np.where(positive, 2.0 * counts, 1.0)
    lower = np.where(positive, sps.chi2.ppf(alpha / 2.0, shape_for_lower) / 2.0, 0.0)
    upper = sps.chi2.ppf(1.0 - alpha / 2.0, 2.0 * counts + 2.0) / 2.0
    # For counts so small that the quantile underflows scipy returns NaN; the limit is 0 there.
    lower = np.where(positive & np.isnan(lower), 0.0, lower)
    lower = np.where(np.isnan(counts), np.nan, np.minimum(lower, counts))
    return np.asarray(lower, dtype=float), np.maximum(np.asarray(upper, dtype=float), counts)


def _byar_counts(counts: FloatArray, z: float) -> tuple[FloatArray, FloatArray]:
    o = counts
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = o * (1.0 - 1.0 / (9.0 * o) - z / (3.0 * np.sqrt(o))) ** 3
    lower = np.where(o > 0, lower, 0.0)
    lower = np.where(np.isnan(o), np.nan, lower)
    o1 = o + 1.0
    upper = o1 * (1.0 - 1.0 / (9.0 * o1) + z / (3.0 * np.sqrt(o1))) ** 3
    # Byar undershoots zero for very small counts at high confidence; a count is never negative.
    return np.maximum(lower, 0.0), upper


def _as_float(values: npt.ArrayLike) -> FloatArray:
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as error:
        raise DataError(f"Arvo ei ole luku: {error}; odotettiin lukuja.") from error
    return array


def _broadcast_scale(scale: npt.ArrayLike, shape: tuple[int, ...]) -> FloatArray:
    factor = _as_float(scale)
    try:
        return np.broadcast_to(factor, shape)
    except ValueError as error:
        raise DataError(
            f"Kertoimia on {factor.size} mutta rivejä {math.prod(shape)}; "
            "odotettiin yhtä kerrointa tai yhtä kerrointa riviä kohden."
        ) from error


def _check_same_shape(a: FloatArray, b: FloatArray) -> None:
    if a.shape != b.shape:
        raise DataError(
            f"Osoittajia on {a.size} ja nimittäjiä {b.size}; odotettiin yhtä monta kumpaakin."
        )


def _check_not_negative(values: FloatArray, what: str) -> None:
    negative = values < 0
    if negative.any():
        bad = float(values.flat[int(np.flatnonzero(negative)[0])])
        raise DataError(f"Negatiivinen {what} {bad:g}; odotettiin nollaa tai positiivista lukua.")


def _check_count(count: float) -> float:
    value = float(count)
    if not math.isnan(value) and value < 0:
        raise DataError(
            f"Negatiivinen tapahtumien määrä {value:g}; odotettiin nollaa tai positiivista lukua."
        )
    return value
