"""The shipped regional division: counts, hierarchy, look-ups and Åland."""

from __future__ import annotations

import pytest

from raketieto.errors import NotFoundError
from raketieto.regions import Level, OutsideSystemError, available_years, load_division


def test_shipped_years() -> None:
    assert available_years() == [2023, 2024, 2025, 2026]


@pytest.mark.parametrize("year", [2025, 2026])
def test_counts_2025_onwards(year: int) -> None:
    division = load_division(year)
    municipalities = division.at_level(Level.MUNICIPALITY)
    aland = sorted(c for c in division.aland_codes if c.startswith("KU"))
    assert len(municipalities) == 292
    assert len(aland) == 16
    assert len(municipalities) + len(aland) == 308
    counties = division.at_level(Level.COUNTY)
    assert len(counties) == 22  # 21 wellbeing services counties + City of Helsinki
    assert "HVA90" in {c.code for c in counties}
    assert len(division.at_level(Level.COLLABORATIVE_AREA)) == 5
    assert len(division.at_level(Level.COUNTRY)) == 1


@pytest.mark.parametrize("year", [2023, 2024])
def test_counts_before_pertunmaa_merger(year: int) -> None:
    division = load_division(year)
    assert len(division.at_level(Level.MUNICIPALITY)) == 293
    assert division.get("KU588").name() == "Pertunmaa"


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2026])
def test_every_municipality_has_one_county_and_one_area(year: int) -> None:
    division = load_division(year)
    for municipality in division.at_level(Level.MUNICIPALITY):
        county = division.parent(municipality.code)
        assert county is not None and county.level is Level.COUNTY
        area = division.parent(county.code)
        assert area is not None and area.level is Level.COLLABORATIVE_AREA
        assert division.parent(area.code) == division.get("SSS")
        assert (
            sum(municipality in division.children(c.code) for c in division.at_level(Level.COUNTY))
            == 1
        )


def test_collaborative_areas_hold_the_documented_counties() -> None:
    division = load_division(2025)
    expected = {
        "YTA1": {"HVA01", "HVA02", "HVA03", "HVA04", "HVA09", "HVA10", "HVA11", "HVA90"},
        "YTA2": {"HVA12", "HVA13", "HVA14", "HVA15"},
        "YTA3": {"HVA07", "HVA08", "HVA16"},
        "YTA4": {"HVA05", "HVA06", "HVA17"},
        "YTA5": {"HVA18", "HVA19", "HVA20", "HVA21"},
    }
    for area, counties in expected.items():
        assert {c.code for c in division.children(area)} == counties


def test_names_in_three_languages_and_descendants() -> None:
    division = load_division(2025)
    helsinki = division.get("HVA90")
    assert helsinki.name("fi") == "Helsingin kaupunki"
    assert helsinki.name("en") == "City of Helsinki"
    assert [m.code for m in division.descendants("HVA90", Level.MUNICIPALITY)] == ["KU091"]
    assert len(division.descendants("SSS", Level.MUNICIPALITY)) == 292
    assert division.ancestor_at("KU507", Level.COLLABORATIVE_AREA).code == "YTA2"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("Mantyharju", "KU507"),
        ("MÄNTYHARJU", "KU507"),
        ("  mäntyharju ", "KU507"),
        ("507", "KU507"),
        ("KU507", "KU507"),
        ("Pohjois-Savo", "HVA13"),
        ("Pohjois-Savon hyvinvointialue", "HVA13"),
        ("Norra Savolax välfärdsområde", "HVA13"),
        ("13", "HVA13"),
        ("HVA90", "HVA90"),
        ("Helsingfors stad", "HVA90"),
        ("Etelä-Suomi", "YTA1"),
        ("3", "YTA3"),
        ("SSS", "SSS"),
        ("Koko maa", "SSS"),
        ("Whole country", "SSS"),
        ("Keski-Uusimaa", "HVA02"),
    ],
)
def test_lookup_by_code_or_name(query: str, code: str) -> None:
    assert load_division(2025).lookup(query).code == code


def test_unknown_name_suggests_the_closest() -> None:
    with pytest.raises(NotFoundError) as caught:
        load_division(2025).lookup("Mäntyharjuu")
    assert "Mäntyharjuu" in caught.value.full_message()
    assert "Mäntyharju" in caught.value.suggestions


@pytest.mark.parametrize(
    "query", ["91", "HVA91", "Ahvenanmaa", "Åland", "Maarianhamina", "Mariehamn", "KU478"]
)
def test_aland_is_outside_the_system(query: str) -> None:
    with pytest.raises(OutsideSystemError, match="Ahvenanmaa"):
        load_division(2025).lookup(query)


def test_unknown_division_year() -> None:
    with pytest.raises(NotFoundError, match="1999"):
        load_division(1999)
