"""A phenomenon's indicators are grouped once and handed out as copies."""

from __future__ import annotations

from raketieto.catalogue import load_catalogue


def test_indicators_for_is_the_same_each_time_and_callers_cannot_change_it() -> None:
    catalogue = load_catalogue()
    for phenomenon_id in catalogue.phenomena:
        first = catalogue.indicators_for(phenomenon_id)
        assert any(first.values()), phenomenon_id
        ids = {theme: [i.id for i in members] for theme, members in first.items()}
        for members in first.values():
            members.clear()  # a caller's list is its own
        again = catalogue.indicators_for(phenomenon_id)
        assert {theme: [i.id for i in members] for theme, members in again.items()} == ids
        # Each member serves the phenomenon in the theme it is grouped under.
        for theme, members in again.items():
            assert all(theme in i.themes_in(phenomenon_id) for i in members)
