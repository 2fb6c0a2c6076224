"""The fast number formatter writes exactly what Babel's pattern formatting writes."""

from __future__ import annotations

import math

import pytest
from babel.numbers import format_decimal
from hypothesis import example, given
from hypothesis import strategies as st

from raketieto.web import format as fmt


def babel_number(value: float, decimals: int, lang: str) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return str(format_decimal(value, format=pattern, locale=lang))


@given(
    value=st.floats(min_value=0, max_value=1e12, allow_nan=False)
    | st.integers(min_value=0, max_value=10**12)
    | st.decimals(min_value=0, max_value=100000, places=4).map(float),
    decimals=st.integers(min_value=0, max_value=6),
    lang=st.sampled_from(["fi", "sv", "en"]),
)
@example(value=2.675, decimals=2, lang="fi")
@example(value=0.125, decimals=2, lang="en")
@example(value=1234567.5, decimals=0, lang="sv")
@example(value=1e-7, decimals=6, lang="fi")
@example(value=1234.0, decimals=1, lang="fi")
def test_plain_numbers_match_babel(value: float, decimals: int, lang: str) -> None:
    assert fmt._plain(value, decimals, lang) == babel_number(value, decimals, lang)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_non_finite_numbers_still_format(lang: str) -> None:
    assert fmt._plain(math.inf, 1, lang) == babel_number(math.inf, 1, lang)


def test_numbers_in_each_language() -> None:
    assert fmt.number(-12345.678, 1, "fi") == "\u221212\u00a0345,7"
    assert fmt.number(12345.678, 2, "en") == "12,345.68"
    assert fmt.number(-0.04, 1, "sv") == "0,0"
    assert fmt.number(None, 1, "fi") == "–"
