"""Identity codes: checksum, century signs of the 2023 reform, real dates only."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from raketieto.privacy.hetu import (
    CENTURY_SIGNS,
    CHECK_CHARACTERS,
    is_valid_hetu,
    make_hetu,
    parse_hetu,
)

# Published examples (the Digital and Population Data Services Agency's documentation of the
# 2023 reform, and the classic example code), not made with our own function.
PUBLISHED = [
    "131052-308T",
    "010594Y9021",
    "020594X903P",
    "030594W903B",
    "050594U903M",
    "010516B903X",
    "020516C903K",
    "030516D9037",
    "010501E9032",
    "020503F9037",
    "020504A902E",
]


@pytest.mark.parametrize("code", PUBLISHED)
def test_published_examples_are_valid(code: str) -> None:
    assert is_valid_hetu(code)


def test_checksum_table_has_31_characters_without_look_alike_letters() -> None:
    assert len(CHECK_CHARACTERS) == 31
    assert not set("GIOQZ") & set(CHECK_CHARACTERS)


def test_parse_reads_date_and_sex() -> None:
    parts = parse_hetu("131052-308T")
    assert parts is not None
    assert parts.birth_date == dt.date(1952, 10, 13)
    assert parts.sex == 2  # 308 is even
    assert not parts.temporary


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("131052-308U", "wrong check character"),
        ("131052-308", "too short"),
        ("131052-308TT", "too long"),
        ("131052G308T", "G is not a century sign"),
        ("290223-1234", "29.2.2023 does not exist"),
        ("310452-308T", "31 April does not exist"),
        ("131352-308T", "month 13"),
        ("131052-001T", "individual numbers 000–001 are not issued"),
        ("13105a-308T", "letter in the date"),
        ("131052-3O8T", "letter O in the individual number"),
    ],
)
def test_invalid_codes(code: str, why: str) -> None:
    assert not is_valid_hetu(code), why


def test_leap_day_valid_only_in_leap_years() -> None:
    assert is_valid_hetu(make_hetu(dt.date(2000, 2, 29), 123))
    assert is_valid_hetu(make_hetu(dt.date(1904, 2, 29), 456, "Y"))
    # 1900 was not a leap year: the same digits with a 1900s sign are not a date.
    leap_2000 = make_hetu(dt.date(2000, 2, 29), 123)
    as_1900 = leap_2000[:6] + "-" + leap_2000[7:]
    assert not is_valid_hetu(as_1900)


def test_lower_case_still_counts() -> None:
    assert is_valid_hetu("010594y9021")


def test_make_hetu_refuses_a_sign_of_the_wrong_century() -> None:
    with pytest.raises(ValueError, match="century sign"):
        make_hetu(dt.date(1990, 1, 1), 123, "A")


@given(
    born=st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2099, 12, 31)),
    number=st.integers(min_value=2, max_value=999),
    data=st.data(),
)
def test_generated_codes_with_every_sign_of_the_century(
    born: dt.date, number: int, data: st.DataObject
) -> None:
    century = born.year // 100 * 100
    sign = data.draw(st.sampled_from([s for s, c in CENTURY_SIGNS.items() if c == century]))
    code = make_hetu(born, number, sign)
    assert is_valid_hetu(code)
    parts = parse_hetu(code)
    assert parts is not None and parts.birth_date == born and parts.century_sign == sign
    # Any other check character breaks it.
    wrong = data.draw(st.sampled_from([c for c in CHECK_CHARACTERS if c != code[-1]]))
    assert not is_valid_hetu(code[:-1] + wrong)
    # A sign of another century moves the date; valid only if the checksum and date still hold,
    # which they do (the checksum does not cover the sign) unless the date disappears.
    other = data.draw(st.sampled_from([s for s, c in CENTURY_SIGNS.items() if c != century]))
    moved = code[:6] + other + code[7:]
    try:
        dt.date(CENTURY_SIGNS[other] + born.year % 100, born.month, born.day)
        exists = True
    except ValueError:
        exists = False
    assert is_valid_hetu(moved) == exists
