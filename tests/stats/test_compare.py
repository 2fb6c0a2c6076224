"""Comparison with the country: the Fingertips rule, respecting polarity."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from raketieto.errors import DataError
from raketieto.stats.compare import POLARITIES, Comparison, compare, compare_array

# (area value, lower, upper) against a reference of 10.0
ABOVE = (14.0, 12.0, 16.0)  # the whole interval lies above the reference
BELOW = (6.0, 4.0, 8.0)
AROUND = (11.0, 9.0, 13.0)

EXPECTED = [
    (ABOVE, "higher_is_better", Comparison.BETTER),
    (ABOVE, "lower_is_better", Comparison.WORSE),
    (ABOVE, "neutral", Comparison.HIGHER),
    (BELOW, "higher_is_better", Comparison.WORSE),
    (BELOW, "lower_is_better", Comparison.BETTER),
    (BELOW, "neutral", Comparison.LOWER),
    (AROUND, "higher_is_better", Comparison.SIMILAR),
    (AROUND, "lower_is_better", Comparison.SIMILAR),
    (AROUND, "neutral", Comparison.SIMILAR),
]


@pytest.mark.parametrize(("area", "polarity", "expected"), EXPECTED)
def test_every_position_and_polarity(
    area: tuple[float, float, float], polarity: str, expected: Comparison
) -> None:
    assert compare(*area, 10.0, polarity) is expected
    vectorised = compare_array([area[0]], [area[1]], [area[2]], [10.0], polarity)
    assert vectorised[0] == expected.value


def test_an_interval_touching_the_reference_is_similar() -> None:
    assert compare(12.0, 10.0, 14.0, 10.0, "higher_is_better") is Comparison.SIMILAR
    assert compare(8.0, 6.0, 10.0, 10.0, "lower_is_better") is Comparison.SIMILAR


@pytest.mark.parametrize(
    "row",
    [
        (None, 9.0, 13.0, 10.0),
        (11.0, None, 13.0, 10.0),
        (11.0, 9.0, None, 10.0),
        (11.0, 9.0, 13.0, None),
        (math.nan, 12.0, 16.0, 10.0),
    ],
)
def test_anything_missing_is_not_compared(
    row: tuple[float | None, float | None, float | None, float | None],
) -> None:
    assert compare(*row, "higher_is_better") is Comparison.NOT_COMPARED


def test_array_with_polarity_per_row_returns_plain_strings() -> None:
    result = compare_array(
        [14.0, 14.0, 6.0, np.nan],
        [12.0, 12.0, 4.0, np.nan],
        [16.0, 16.0, 8.0, np.nan],
        [10.0, 10.0, 10.0, 10.0],
        np.array(["higher_is_better", "lower_is_better", "neutral", "neutral"], dtype=object),
    )
    assert result.tolist() == ["better", "worse", "lower", "not_compared"]
    assert all(type(item) is str for item in result)


def test_unknown_polarity_is_a_data_error_naming_it() -> None:
    with pytest.raises(DataError, match="bigger_is_better"):
        compare(14.0, 12.0, 16.0, 10.0, "bigger_is_better")
    with pytest.raises(DataError, match="None"):
        compare_array([1.0], [0.5], [1.5], [3.0], np.array([None], dtype=object))


def test_lengths_must_agree() -> None:
    with pytest.raises(DataError, match="pituudet"):
        compare_array([1.0, 2.0], [0.5], [1.5], [3.0], "neutral")


finite = st.floats(min_value=-1e6, max_value=1e6)
maybe = st.one_of(finite, st.just(math.nan))


@st.composite
def rows(draw: st.DrawFn) -> tuple[float, float, float, float]:
    lower, upper = sorted((draw(finite), draw(finite)))
    # Equal bounds may be 0.0 and -0.0, which hypothesis refuses as a range (it orders zeros).
    inside = lower if lower == upper else draw(st.floats(min_value=lower, max_value=upper))
    value = inside if draw(st.booleans()) else math.nan
    return value, lower, upper, draw(maybe)


@given(st.lists(rows(), min_size=1, max_size=40), st.lists(st.sampled_from(POLARITIES)))
def test_array_equals_scalar(
    table: list[tuple[float, float, float, float]], polarities: list[str]
) -> None:
    pol = [polarities[i % len(polarities)] if polarities else "neutral" for i in range(len(table))]
    values, lower, upper, reference = (np.array(c) for c in zip(*table, strict=True))
    result = compare_array(values, lower, upper, reference, np.array(pol, dtype=object))
    for row, polarity, got in zip(table, pol, result, strict=True):
        assert got == compare(*row, polarity).value


@given(rows())
def test_polarity_flips_better_and_worse_and_neutral_keeps_direction(
    row: tuple[float, float, float, float],
) -> None:
    high = compare(*row, "higher_is_better")
    low = compare(*row, "lower_is_better")
    neutral = compare(*row, "neutral")
    swapped = {Comparison.BETTER: Comparison.WORSE, Comparison.WORSE: Comparison.BETTER}
    assert low == swapped.get(high, high)
    direction = {Comparison.BETTER: Comparison.HIGHER, Comparison.WORSE: Comparison.LOWER}
    assert neutral == direction.get(high, high)
    _value, lower, upper, reference = row
    if high is Comparison.SIMILAR:
        assert lower <= reference <= upper
    if high in (Comparison.BETTER, Comparison.WORSE):
        assert not lower <= reference <= upper
    if any(math.isnan(v) for v in row):
        assert high is Comparison.NOT_COMPARED
