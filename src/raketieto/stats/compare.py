"""Comparison of an area's value with a reference (the whole country) by the 95 % interval.

The Fingertips rule: if the area's interval contains the reference value the area is similar;
otherwise it is higher or lower, which the indicator's polarity turns into better or worse.
"""

from __future__ import annotations

import math
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from raketieto.errors import DataError


class Comparison(StrEnum):
    """The outcome of comparing an area with the reference."""

    BETTER = "better"
    SIMILAR = "similar"
    WORSE = "worse"
    HIGHER = "higher"
    LOWER = "lower"
    NOT_COMPARED = "not_compared"


HIGHER_IS_BETTER = "higher_is_better"
LOWER_IS_BETTER = "lower_is_better"
NEUTRAL = "neutral"
POLARITIES = (HIGHER_IS_BETTER, LOWER_IS_BETTER, NEUTRAL)


def compare(
    value: float | None,
    lower: float | None,
    upper: float | None,
    reference: float | None,
    polarity: str,
) -> Comparison:
    """Compare one area's value and interval with the reference value, respecting polarity."""
    result = compare_array(
        np.array([_nan_if_none(value)]),
        np.array([_nan_if_none(lower)]),
        np.array([_nan_if_none(upper)]),
        np.array([_nan_if_none(reference)]),
        polarity,
    )
    return Comparison(result[0])


def compare_array(
    values: npt.ArrayLike,
    lower: npt.ArrayLike,
    upper: npt.ArrayLike,
    reference: npt.ArrayLike,
    polarity: npt.ArrayLike,
) -> npt.NDArray[np.object_]:
    """Vectorised comparison; returns an object array of the Comparison values as plain str.

    polarity is one string for all rows or one per row: "higher_is_better", "lower_is_better"
    or "neutral". A row without a value, an interval or a reference is "not_compared".
    """
    v = np.asarray(values, dtype=float)
    lo = np.asarray(lower, dtype=float)
    hi = np.asarray(upper, dtype=float)
    ref = np.asarray(reference, dtype=float)
    shapes = {v.shape, lo.shape, hi.shape, ref.shape}
    if len(shapes) != 1:
        raise DataError(
            "Arvoilla, luottamusväleillä ja vertailuarvoilla on eri pituudet; "
            "odotettiin yhtä monta kutakin."
        )
    pol = np.broadcast_to(np.asarray(polarity, dtype=object), v.shape)
    higher_good = pol == HIGHER_IS_BETTER
    lower_good = pol == LOWER_IS_BETTER
    neutral = pol == NEUTRAL
    unknown = ~(higher_good | lower_good | neutral)
    if unknown.any():
        bad = pol.flat[int(np.flatnonzero(unknown)[0])]
        raise DataError(f"Tuntematon suunta '{bad}'; odotettiin {', '.join(POLARITIES)}.")

    known = ~(np.isnan(v) | np.isnan(lo) | np.isnan(hi) | np.isnan(ref))
    above = known & (ref < lo)  # the whole interval lies above the reference
    below = known & (ref > hi)
    result = np.full(v.shape, Comparison.NOT_COMPARED.value, dtype=object)
    result[known] = Comparison.SIMILAR.value
    result[above & neutral] = Comparison.HIGHER.value
    result[below & neutral] = Comparison.LOWER.value
    result[(above & higher_good) | (below & lower_good)] = Comparison.BETTER.value
    result[(above & lower_good) | (below & higher_good)] = Comparison.WORSE.value
    return result


def _nan_if_none(value: float | None) -> float:
    return math.nan if value is None else float(value)
