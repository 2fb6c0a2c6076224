"""The person-name heuristic used on extract columns."""

from __future__ import annotations

import pytest

from raketieto.privacy import looks_like_person_name


@pytest.mark.parametrize(
    "text",
    ["Matti Virtanen", "Virtanen, Anna-Liisa", "asiakas Maija Korhonen soitti", "Karin Lindqvist"],
)
def test_names(text: str) -> None:
    assert looks_like_person_name(text)


@pytest.mark.parametrize(
    "text",
    ["Etelä-Pohjanmaa", "Anna Liisa", "housing", "Helsingin kaupunki", "Mäntyharju", "KU091"],
)
def test_not_names(text: str) -> None:
    assert not looks_like_person_name(text)
