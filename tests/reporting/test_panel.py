"""The public panel: county-level counts of accepted reports in approved themes, and approved
summaries, for the counties of the area; never a single report."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from raketieto.regions import Level
from raketieto.settings import Settings
from raketieto.store import migrate, themes
from raketieto.store.db import transaction
from raketieto.web.reporting import panel
from raketieto.web.reporting.panel import counties_of, phenomenon_panel
from raketieto.web.reporting.services import services_for
from tests.reporting.conftest import Site, make_site
from tests.reporting.world import make_world
from tests.store.conftest import OTHER, OWN, municipality_of

SECRET = "Yksittäisen raportin sisältö, jota ei julkaista."


def _panel(site: Site, region: str, lang: str = "fi") -> str:
    return str(phenomenon_panel(site.app.state.raketieto, region, "asunnottomuus", lang))


def _approved_theme(site: Site, title: str) -> int:
    world = make_world(site, description=SECRET)
    coordinator = site.principals["coordinator_own"]
    with transaction(site.services.factory) as s:
        theme = themes.create_theme(
            s,
            coordinator,
            county=OWN,
            half_year="2024H2",
            title=title,
            summary=f"Yhteenveto: {title}.",
            phenomenon_id="asunnottomuus",
            vocab=site.services.vocab,
        )
        themes.assign_reports(s, coordinator, theme.id, [world.accepted])
        themes.approve_theme(s, coordinator, theme.id)
    return theme.id


def _count(html: str, title: str) -> int | None:
    row = re.search(rf"<th scope=\"row\">{re.escape(title)}</th>(.*?)</tr>", html, re.S)
    if row is None:
        return None
    return int(re.findall(r'<td class="number">(\d+)</td>', row.group(1))[-1])


def test_the_panel_counts_approved_themes_and_shows_no_report(site: Site) -> None:
    title = f"Paneeliteema {site.services.engine.url.get_backend_name()}"
    _approved_theme(site, title)
    html = _panel(site, OWN)
    assert _count(html, title) == 1
    assert f"Yhteenveto: {title}." in html
    assert SECRET not in html
    assert "<caption>" in html and 'scope="col"' in html


def test_areas_above_the_county_sum_its_counties_and_below_show_the_county(site: Site) -> None:
    title = f"Aluetasot {site.services.engine.url.get_backend_name()}"
    _approved_theme(site, title)
    state = site.app.state.raketieto
    yta = state.division.get(OWN).parent_code
    municipality = municipality_of(site.services.vocab, OWN)
    assert _count(_panel(site, "SSS"), title) == 1
    assert _count(_panel(site, yta), title) == 1
    below = _panel(site, municipality)
    assert _count(below, title) == 1 and "koko hyvinvointialuetta" in below
    assert _count(_panel(site, OTHER), title) is None
    counties, note = counties_of(state, "SSS")
    assert len(counties) == len(state.division.at_level(Level.COUNTY)) and not note


def test_the_panel_speaks_the_page_language(site: Site) -> None:
    assert "Social rapportering" in _panel(site, OWN, "sv")
    assert "Social reporting" in _panel(site, OWN, "en")


def test_the_panel_is_read_once_and_a_commit_shows_at_the_next_request(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = site.services.engine.url.get_backend_name()
    first, second = f"Ensimmäinen {backend}", f"Toinen {backend}"
    _approved_theme(site, first)
    reads: list[str] = []
    original = panel.panel_data

    def counted(*args: object) -> panel.PanelData:
        reads.append("read")
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(panel, "panel_data", counted)
    html = _panel(site, OWN)
    assert _count(html, first) == 1 and _count(html, second) is None
    assert _panel(site, OWN) == html
    assert reads == ["read"]
    _approved_theme(site, second)  # commits through the app's session factory
    assert _count(_panel(site, OWN), second) == 1
    assert reads == ["read", "read"]


def test_a_store_that_is_down_gives_a_notice_not_an_error(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = services_for(site.app.state.raketieto)
    monkeypatch.setattr(services, "problem", "Tietokanta ei vastaa.")
    monkeypatch.setattr(services, "_checked_at", time.monotonic())
    assert "ei juuri nyt saatu" in _panel(site, OWN)


@pytest.mark.slow
def test_the_phenomenon_view_shows_the_panel(demo_settings: Settings, tmp_path: Path) -> None:
    settings = demo_settings.model_copy(
        update={"database_url": f"sqlite:///{tmp_path / 'store.sqlite3'}", "secret_key": "p" * 40}
    )
    migrate.upgrade(settings.store_url)
    site = make_site(settings.store_url, settings.data_dir, **_cube_free(settings))
    title = "Näkymän teema"
    _approved_theme(site, title)
    page = site.anonymous().get(f"/ilmionakyma/asunnottomuus/{OWN}")
    assert page.status_code == 200
    assert 'class="reporting-panel"' in page.text
    assert _count(page.text, title) == 1
    assert SECRET not in page.text
    # The page and the panel are now kept; a newly approved theme still shows at once.
    later = "Myöhempi teema"
    _approved_theme(site, later)
    again = site.anonymous().get(f"/ilmionakyma/asunnottomuus/{OWN}")
    assert _count(again.text, title) == 1 and _count(again.text, later) == 1
    site.services.engine.dispose()


def _cube_free(settings: Settings) -> dict[str, object]:
    """The demo settings' fields that make_site does not set itself."""
    return {"catalogue_dir": settings.catalogue_dir, "division_year": settings.division_year}
