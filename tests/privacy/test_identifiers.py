"""find_identifiers: real identifiers with their spans, and look-alikes left alone."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from raketieto.privacy import Finding, IdentifierKind, find_identifiers, make_hetu
from raketieto.privacy.hetu import CENTURY_SIGNS


def found(text: str) -> list[tuple[str, str]]:
    return [(f.kind.value, text[f.start : f.end]) for f in find_identifiers(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Asiakas 131052-308T soitti.", [("hetu", "131052-308T")]),
        (
            "uusi muoto 010594Y9021, lapsi 020516C903K",
            [("hetu", "010594Y9021"), ("hetu", "020516C903K")],
        ),
        ("pienillä 010594y9021", [("hetu", "010594y9021")]),
        ("ajatusviivalla 131052\u2013308T", [("hetu", "131052\u2013308T")]),
        ("(131052-308T)", [("hetu", "131052-308T")]),
        ("Soita 040 123 4567.", [("phone", "040 123 4567")]),
        ("p. 0401234567", [("phone", "0401234567")]),
        ("puh 050-123 4567 iltaisin", [("phone", "050-123 4567")]),
        ("+358 40 123 4567", [("phone", "+358 40 123 4567")]),
        ("+358401234567", [("phone", "+358401234567")]),
        ("00358 50 1234567", [("phone", "00358 50 1234567")]),
        ("+358 (0)9 1234 5678", [("phone", "+358 (0)9 1234 5678")]),
        ("vaihde 09 310 1234", [("phone", "09 310 1234")]),
        ("(09) 310 1234", [("phone", "(09) 310 1234")]),
        ("Kuopio 017 123 456", [("phone", "017 123 456")]),
        ("0457 123 4567", [("phone", "0457 123 4567")]),
        ("maija.meikalainen@example.fi", [("email", "maija.meikalainen@example.fi")]),
        ("<anna+tuki@sosiaali.hel.fi>", [("email", "anna+tuki@sosiaali.hel.fi")]),
        ("Asuu Mannerheimintie 5 A 12, 00100 Helsinki", [("address", "Mannerheimintie 5 A 12")]),
        ("osoite Kotikatu 12 as. 4", [("address", "Kotikatu 12 as. 4")]),
        ("Vanha Porvoontie 256", [("address", "Vanha Porvoontie 256")]),
        ("Pihlajakuja 3b", [("address", "Pihlajakuja 3b")]),
        ("Koivupolku 7", [("address", "Koivupolku 7")]),
        ("Merituulenväylä 11", [("address", "Merituulenväylä 11")]),
        ("Storgatan 3", [("address", "Storgatan 3")]),
        ("Strandvägen 14 lgh 1201", [("address", "Strandvägen 14 lgh 1201")]),
    ],
)
def test_finds_identifiers_with_spans(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Päätös tehty 12.3.2024 ja 1.10.2023.",
        "Vireille 2024-03-12, ratkaistu 2024-06-30.",
        "Dnro 123/2024",
        "Dnro THL/0123/2024 ja VN/5512/2023",
        "Tuki 1 250,00 € ja 0,50 €",
        "Vuokra 650 €/kk, 10 000 000 euroa",
        "Klo 09-16, huone 0123",
        "131052-308U",  # checksum fails
        "051052-1234",  # hetu-shaped with a failing checksum; must not turn into a phone
        "290223-1234",  # no such date
        "00100 Helsinki",
        "tili FI21 1234 5600 0007 85",
        "palvelupolku 2 ja hoitopolku 3",
        "Valtatie on suljettu.",
        "ID 9a1b2c3d4e5f67890abc",
        "3.5 % ja 12,5 %",
        "puhelu kesti 0 min",
        "tunnus P131052308T",
    ],
)
def test_look_alikes_are_not_flagged(text: str) -> None:
    assert found(text) == []


def test_findings_are_sorted_and_do_not_overlap() -> None:
    text = "131052-308T, 040 123 4567, a@b.fi, Kotikatu 1"
    findings = find_identifiers(text)
    assert [f.kind for f in findings] == [
        IdentifierKind.HETU,
        IdentifierKind.PHONE,
        IdentifierKind.EMAIL,
        IdentifierKind.ADDRESS,
    ]
    assert all(a.end <= b.start for a, b in itertools.pairwise(findings))
    assert findings[0] == Finding(IdentifierKind.HETU, 0, 11)


@given(
    born=st.dates(min_value=dt.date(1850, 1, 1), max_value=dt.date(2030, 12, 31)),
    number=st.integers(min_value=2, max_value=999),
    prefix=st.sampled_from(["", "hetu ", "Asiakas (", "x: ", "nro\t"]),
    suffix=st.sampled_from(["", " soitti", ")", ".", ", ja"]),
    data=st.data(),
)
def test_any_valid_code_in_text_is_found(
    born: dt.date, number: int, prefix: str, suffix: str, data: st.DataObject
) -> None:
    century = born.year // 100 * 100
    sign = data.draw(st.sampled_from([s for s, c in CENTURY_SIGNS.items() if c == century]))
    code = make_hetu(born, number, sign)
    text = prefix + code + suffix
    assert Finding(IdentifierKind.HETU, len(prefix), len(prefix) + 11) in find_identifiers(text)


@given(st.text(alphabet="0123456789 .,-/:€%", max_size=40))
def test_digits_and_punctuation_without_leading_zero_are_never_phones(text: str) -> None:
    # No Finnish number starts without 0 or +358, so text with no '0' cannot hold one.
    if "0" not in text:
        assert [f for f in find_identifiers(text) if f.kind is IdentifierKind.PHONE] == []
