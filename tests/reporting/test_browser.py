"""In a real browser: a worker files a report, the coordinator accepts it, puts it in an approved
theme and turns it into an action proposal, and the phenomenon view shows the new count."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from raketieto.settings import Settings
from raketieto.store.accounts import bootstrap_admin, create_user, make_password_hasher
from raketieto.store.db import transaction
from raketieto.store.enums import Role
from raketieto.store.principal import Principal
from raketieto.web.reporting.services import build_services, register_services
from tests.store.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow]

COUNTY = "HVA13"  # Pohjois-Savo
VIEW = f"/ilmionakyma/asunnottomuus/{COUNTY}"
THEME = "Nuorten tuetun asumisen jonot"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(demo_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on the demo cube with its own store and two accounts, served by uvicorn."""
    import uvicorn

    from raketieto.web.app import create_app

    folder = tmp_path_factory.mktemp("browser-store")
    settings = demo_settings.model_copy(
        update={"database_url": f"sqlite:///{folder / 'store.sqlite3'}", "secret_key": "b" * 40}
    )
    app = create_app(settings)
    state = app.state.raketieto
    services = build_services(
        state, hasher=make_password_hasher(time_cost=1, memory_cost=8, parallelism=1)
    )
    register_services(state, services)
    with transaction(services.factory) as session:
        admin = bootstrap_admin(
            session, username="admin", display_name="A", password=PASSWORD, hasher=services.hasher
        )
        for name, role in (("tyontekija", Role.WORKER), ("koordinaattori", Role.COORDINATOR)):
            create_user(
                session,
                Principal(admin.id, Role.NATIONAL_ADMIN),
                username=name,
                display_name=name.title(),
                role=role,
                county=COUNTY,
                password=PASSWORD,
                hasher=services.hasher,
                vocab=services.vocab,
            )
    port = _free_port()
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=10)
    services.engine.dispose()


def _page(browser: Any, server: str) -> Any:
    context = browser.new_context(base_url=server)
    return context.new_page()


def _login(page: Any, username: str) -> None:
    page.goto("/kirjaudu")
    page.get_by_label("Käyttäjätunnus", exact=True).fill(username)
    page.get_by_label("Salasana", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    page.wait_for_url(re.compile(r"/raportit$"))


def _axe(page: Any, found: dict[str, list[tuple[str, str]]]) -> None:
    """Run axe-core (WCAG 2.1 A and AA) on the page and keep its violations by path."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    path = page.url.split("//", 1)[1].split("/", 1)[1]
    found["/" + path] = [(v["id"], v["nodes"][0]["html"][:120]) for v in result["violations"]]


def _view_cells(page: Any) -> list[str] | None:
    """The texts of the theme's count cells in the public panel, None when it is not there."""
    page.goto(VIEW)
    panel = page.locator(".reporting-panel")
    row = panel.locator("tr", has=page.get_by_role("rowheader", name=THEME))
    if row.count() == 0:
        return None
    return [text.strip() for text in row.locator("td.number").all_inner_texts()]


def test_report_to_proposal_in_the_browser(browser: Any, server: str, tmp_path: Path) -> None:
    public = _page(browser, server)
    assert _view_cells(public) is None

    axe: dict[str, list[tuple[str, str]]] = {}
    worker = _page(browser, server)
    worker.goto("/kirjaudu")
    _axe(worker, axe)
    _login(worker, "tyontekija")
    worker.get_by_role("link", name="Uusi raportti").first.click()
    _axe(worker, axe)
    worker.get_by_label("Ilmiö", exact=True).select_option("asunnottomuus")
    worker.get_by_label("Palvelutehtävä", exact=True).select_option("working_age")
    worker.get_by_label("asumiseen liittyvä tuen tarve", exact=True).check()
    worker.get_by_label("Kohderyhmä", exact=True).fill("nuoret aikuiset")
    worker.get_by_label("Kunta tai hyvinvointialue", exact=True).select_option(label="Kuopio")
    worker.get_by_label("palvelupuute", exact=True).check()
    worker.get_by_label("Kuvaus havainnosta", exact=True).fill(
        "Tuetun asumisen jonot ovat puoli vuotta."
    )
    worker.get_by_label("Arvio, kuinka monta asiakasta havainto koskee", exact=True).fill("12")
    worker.get_by_role("button", name="Lähetä käsiteltäväksi").click()
    worker.wait_for_url(re.compile(r"/raportit/\d+"))
    report_id = re.search(r"/raportit/(\d+)", worker.url).group(1)  # type: ignore[union-attr]
    assert "lähetetty" in worker.locator("h1").inner_text()
    _axe(worker, axe)

    coordinator = _page(browser, server)
    _login(coordinator, "koordinaattori")
    coordinator.get_by_role("link", name="Käsittely").click()
    _axe(coordinator, axe)
    coordinator.get_by_role("link", name=report_id, exact=True).first.click()
    _axe(coordinator, axe)
    coordinator.get_by_role("button", name="Hyväksy", exact=True).click()
    assert "hyväksytty" in coordinator.locator("h1").inner_text()

    coordinator.get_by_role("link", name="Liitä teemaan").click()
    coordinator.get_by_label("Otsikko", exact=True).fill(THEME)
    coordinator.get_by_label("Yhteenveto", exact=True).fill("Jonot tuettuun asumiseen ovat pitkiä.")
    coordinator.locator(f"#new-r{report_id}").check()
    coordinator.get_by_role("button", name="Luo teema").click()
    coordinator.get_by_role("button", name="Hyväksy julkaistavaksi").first.click()
    assert "hyväksytty julkaistavaksi" in coordinator.content()
    _axe(coordinator, axe)

    coordinator.goto(f"/raportit/{report_id}")
    coordinator.get_by_role("link", name="Tee toimenpide-ehdotus tämän raportin pohjalta").click()
    _axe(coordinator, axe)
    coordinator.get_by_label("Otsikko", exact=True).fill("Lisää tuetun asumisen paikkoja")
    coordinator.get_by_label("Ehdotus", exact=True).fill("Ehdotamme 20 lisäpaikkaa nuorille.")
    coordinator.get_by_label("Vastaanottaja", exact=True).select_option("political_decision_makers")
    assert coordinator.locator(f"#r{report_id}").is_checked()
    coordinator.get_by_role("button", name="Tallenna luonnos").click()
    coordinator.wait_for_url(re.compile(r"/ehdotukset/\d+"))
    coordinator.get_by_role("button", name="Siirrä tilaan: lähetetty").click()
    assert "lähetetty" in coordinator.locator("h1").inner_text()
    _axe(coordinator, axe)

    # The theme is public with its one report, shown as under five (THL's small-count rule).
    assert _view_cells(public) == ["alle 5", "ei näytetä"]
    worker.goto("/ilmoitukset")
    assert "Lisää tuetun asumisen paikkoja" in worker.content()
    _axe(worker, axe)
    _axe(public, axe)
    assert len(axe) >= 9
    assert axe == {path: [] for path in axe}
    public.screenshot(path=str(tmp_path / "view.png"))
