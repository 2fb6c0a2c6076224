"""The public panel: county-level counts of accepted reports in approved themes, and approved
summaries, for the counties of the area; never a single report, nor a count of 1–4."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from raketieto.clientdata.audit import SMALL_MAX
from raketieto.regions import Level
from raketieto.settings import Settings
from raketieto.store import migrate, reports, review, themes
from raketieto.store.db import transaction
from raketieto.web.reporting import panel
from raketieto.web.reporting.panel import (
    PanelData,
    counties_of,
    phenomenon_panel,
    published_row,
)
from raketieto.web.reporting.services import services_for
from tests.reporting.conftest import Site, make_site
from tests.reporting.world import make_world
from tests.store.conftest import OTHER, OWN, municipality_of
from tests.store.helpers import new_key, report_input

SECRET = "Yksittäisen raportin sisältö, jota ei julkaista."


def _panel(site: Site, region: str, lang: str = "fi") -> str:
    return str(phenomenon_panel(site.app.state.raketieto, region, "asunnottomuus", lang))


def _approved_theme(site: Site, title: str, accepted: int = 1) -> int:
    """An approved theme of OWN holding this many accepted reports, all of this half-year,
    beside a draft, a sent report and a duplicate that no count includes."""
    make_world(site, description=SECRET)
    worker = site.principals["reporter"]
    coordinator = site.principals["coordinator_own"]
    vocab = site.services.vocab
    with transaction(site.services.factory) as s:
        data = report_input(vocab, OWN, description=SECRET)
        ids = [
            reports.submit_report(s, worker, data, vocab=vocab, idempotency_key=new_key()).report.id
            for _ in range(accepted)
        ]
        for report_id in ids:
            review.accept_report(s, coordinator, report_id)
        theme = themes.create_theme(
            s,
            coordinator,
            county=OWN,
            half_year="2025H1",
            title=title,
            summary=f"Yhteenveto: {title}.",
            phenomenon_id="asunnottomuus",
            vocab=vocab,
        )
        themes.assign_reports(s, coordinator, theme.id, ids)
        themes.approve_theme(s, coordinator, theme.id)
    return theme.id


def _cells(html: str, title: str) -> list[str] | None:
    """The texts of a theme's count cells, the total last; None when the theme is not shown."""
    row = re.search(rf"<th scope=\"row\">{re.escape(title)}</th>(.*?)</tr>", html, re.S)
    if row is None:
        return None
    cells = re.findall(r'<td class="number">(.*?)</td>', row.group(1))
    return [re.sub(r"<[^>]+>", "", cell) for cell in cells]


def _count(html: str, title: str) -> int | None:
    cells = _cells(html, title)
    return None if cells is None else int(cells[-1])


def _small(html: str, title: str) -> bool:
    """Whether the theme is shown with its one count suppressed, and its total too."""
    return _cells(html, title) == ["alle 5", "ei näytetä"]


def test_the_panel_shows_a_small_count_as_under_five_and_no_report(site: Site) -> None:
    title = f"Paneeliteema {site.services.engine.url.get_backend_name()}"
    _approved_theme(site, title)
    html = _panel(site, OWN)
    assert _small(html, title)
    assert "Alle viiden raportin määriä ei näytetä" in html
    assert f"Yhteenveto: {title}." in html
    assert SECRET not in html
    assert "<caption>" in html and 'scope="col"' in html


def test_five_reports_are_counted(site: Site) -> None:
    assert SMALL_MAX == 4  # the page's texts say "under five"
    title = f"Viisi raporttia {site.services.engine.url.get_backend_name()}"
    _approved_theme(site, title, SMALL_MAX + 1)
    html = _panel(site, OWN)
    assert _cells(html, title) == ["5", "5"]
    assert SECRET not in html


def test_a_row_with_a_small_count_hides_its_total() -> None:
    row = published_row("HVA13", "Keski-Suomi", "Teema", {"2024H1": 7, "2024H2": 2, "2025H1": 0})
    assert row.counts == {"2024H1": 7, "2024H2": None, "2025H1": 0}
    assert row.total is None and row.suppressed
    whole = published_row("HVA13", "Keski-Suomi", "Teema", {"2024H1": 7, "2024H2": 5})
    assert whole.counts == {"2024H1": 7, "2024H2": 5} and whole.total == 12
    assert not whole.suppressed
    for small in range(1, SMALL_MAX + 1):
        assert published_row("HVA13", "", "", {"2024H1": small}).counts == {"2024H1": None}
    # The note under the table is there only when a figure of it is not shown.
    table = PanelData("Keski-Suomi", False, ["2024H1", "2024H2"], [whole], [], {})
    assert not table.suppressed
    assert PanelData("Keski-Suomi", False, ["2024H1"], [whole, row], [], {}).suppressed


def test_areas_above_the_county_sum_its_counties_and_below_show_the_county(site: Site) -> None:
    title = f"Aluetasot {site.services.engine.url.get_backend_name()}"
    _approved_theme(site, title)
    state = site.app.state.raketieto
    yta = state.division.get(OWN).parent_code
    municipality = municipality_of(site.services.vocab, OWN)
    assert _small(_panel(site, "SSS"), title)
    assert _small(_panel(site, yta), title)
    below = _panel(site, municipality)
    assert _small(below, title) and "koko hyvinvointialuetta" in below
    assert _cells(_panel(site, OTHER), title) is None
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
    assert _small(html, first) and _cells(html, second) is None
    assert _panel(site, OWN) == html
    assert reads == ["read"]
    _approved_theme(site, second)  # commits through the app's session factory
    assert _small(_panel(site, OWN), second)
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
    assert _small(page.text, title)
    assert SECRET not in page.text
    # The page and the panel are now kept; a newly approved theme still shows at once.
    later = "Myöhempi teema"
    _approved_theme(site, later)
    again = site.anonymous().get(f"/ilmionakyma/asunnottomuus/{OWN}")
    assert _small(again.text, title) and _small(again.text, later)
    site.services.engine.dispose()


def _cube_free(settings: Settings) -> dict[str, object]:
    """The demo settings' fields that make_site does not set itself."""
    return {"catalogue_dir": settings.catalogue_dir, "division_year": settings.division_year}
