"""The start-up warm-up reads what the pages open on before anything else."""

from __future__ import annotations

from raketieto.settings import Settings
from raketieto.web.state import AppState


def test_the_warm_up_reads_the_pages_indicators_first(demo_settings: Settings) -> None:
    state = AppState.build(demo_settings)
    wanted = state.page_indicators()
    catalogue = state.catalogue
    # Every phenomenon's headline indicators come before any other indicator.
    headline = {i for p in catalogue.phenomena.values() for i in p.headline_indicators}
    assert set(wanted[: len(headline)]) == headline
    members = {
        i.id for p in catalogue.phenomena for group in catalogue.indicators_for(p).values()
        for i in group
    }  # fmt: skip
    assert set(wanted) == headline | members and len(wanted) == len(set(wanted))
