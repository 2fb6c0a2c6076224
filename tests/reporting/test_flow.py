"""The whole path through the pages: a report is filed, reviewed, themed and proposed, and the
phenomenon view's panel shows the county-level count."""

from __future__ import annotations

import datetime as dt
import io
import logging
import re

import openpyxl
import pytest
from sqlalchemy import select

from raketieto.privacy import make_hetu
from raketieto.store.models import AuditEntry, SocialReport
from raketieto.web.reporting.panel import phenomenon_panel
from tests.reporting.conftest import Site
from tests.reporting.world import make_world
from tests.store.conftest import OWN, municipality_of
from tests.store.test_refused_text import database_text

HETU = make_hetu(dt.date(1990, 2, 3), 245, "-")


def _form(site: Site, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "phenomenon_id": "asunnottomuus",
        "service_task": "working_age",
        "support_needs": ["housing", "financial"],
        "target_group": "nuoret aikuiset",
        "region_code": municipality_of(site.services.vocab, OWN),
        "observation_kind": "service_gap",
        "description": "Tuetun asumisen jonot ovat venyneet puoleen vuoteen.",
        "estimated_clients": "15",
        "proposed_action": "Lisätään tuetun asumisen paikkoja.",
        "idempotency_key": "flow-key-000001",
        "action": "submit",
    }
    values.update(changes)
    return values


def _id_from(location: str, prefix: str) -> int:
    found = re.match(rf"{prefix}/(\d+)", location)
    assert found is not None, location
    return int(found.group(1))


def _panel_cells(site: Site, title: str) -> list[str] | None:
    """The texts of the theme's count cells in the public panel, None when it is not there."""
    html = str(phenomenon_panel(site.app.state.raketieto, OWN, "asunnottomuus", "fi"))
    row = re.search(rf"<th scope=\"row\">{re.escape(title)}</th>(.*?)</tr>", html, re.S)
    if row is None:
        return None
    cells = re.findall(r'<td class="number">(.*?)</td>', row.group(1))
    return [re.sub(r"<[^>]+>", "", cell) for cell in cells]


def test_report_to_proposal_through_the_pages(site: Site) -> None:
    title = f"Asumisen jonot {site.services.engine.url.get_backend_name()}"
    # A draft first, then the same report submitted twice with one key: stored once.
    draft = site.post("reporter", "/raportit/uusi", _form(site, action="draft"))
    assert draft.status_code == 303
    report_id = _id_from(draft.headers["location"], "/raportit")
    path = f"/raportit/{report_id}/muokkaa"
    first = site.post("reporter", path, _form(site))
    again = site.post("reporter", path, _form(site))
    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == again.headers["location"]
    page = site.client("reporter").get(f"/raportit/{report_id}")
    assert "lähetetty" in page.text
    # The coordinator sees it in the queue and accepts it.
    queue = site.client("coordinator_own").get("/kasittely")
    assert f"/raportit/{report_id}" in queue.text
    accepted = site.post("coordinator_own", f"/raportit/{report_id}/paatos", {"decision": "accept"})
    assert accepted.status_code == 303
    assert _panel_cells(site, title) is None
    # A theme with the report, approved: the panel shows it, its one report as under five.
    made = site.post(
        "coordinator_own",
        f"/teemat?alue={OWN}",
        {
            "half_year": "2025H1",
            "title": title,
            "summary": "Jonot tuettuun asumiseen ovat pitkiä.",
            "phenomenon_id": "asunnottomuus",
            "report_ids": [str(report_id)],
        },
    )
    assert made.status_code == 303
    with site.services.factory() as session:
        theme_id = session.scalars(
            select(SocialReport.theme_id).where(SocialReport.id == report_id)
        ).one()
    assert theme_id is not None
    assert _panel_cells(site, title) is None  # not approved yet: nothing public
    site.post("coordinator_own", f"/teemat/{theme_id}", {"action": "approve"})
    assert _panel_cells(site, title) == ["alle 5", "ei näytetä"]
    # A proposal from the report, sent, answered and implemented; the reporter hears of it.
    proposal = site.post(
        "coordinator_own",
        f"/ehdotukset/uusi?alue={OWN}",
        {
            "title": "Tuetun asumisen lisäpaikat",
            "body": "Ehdotamme 20 lisäpaikkaa.",
            "recipient_kind": "political_decision_makers",
            "recipient_name": "Aluevaltuusto",
            "report_ids": [str(report_id)],
            "indicator_ids": ["homeless-single-persons-per-1000"],
        },
    )
    assert proposal.status_code == 303, proposal.text
    proposal_id = _id_from(proposal.headers["location"], "/ehdotukset")
    for status, extra in (
        ("sent", {}),
        ("answered", {"answer": "Selvitetään."}),
        ("implemented", {}),
    ):
        moved = site.post(
            "coordinator_own", f"/ehdotukset/{proposal_id}/tila", {"status": status, **extra}
        )
        assert moved.status_code == 303, moved.text
    notices = site.client("reporter").get("/ilmoitukset").text
    assert "Tuetun asumisen lisäpaikat" in notices and "Selvitetään." in notices
    # The county's proposals as Excel.
    export = site.client("coordinator_own").get(f"/ehdotukset/vienti.xlsx?alue={OWN}")
    assert export.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    titles = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "Tuetun asumisen lisäpaikat" in titles
    with site.services.factory() as session:
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.object_id == str(report_id))
        ).all()
    assert actions.count("report.submit") == 1
    assert "report.accept" in actions and "report.view" in actions


def test_identifiers_in_the_form_are_refused_and_shown_masked(
    site: Site, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    text = f"Asiakas {HETU} ja puh. 040 123 4567 jonottaa."
    for path, form in (
        ("/raportit/uusi", _form(site, description=text, idempotency_key="flow-id-0002")),
        ("/raportit/uusi", _form(site, proposed_action=text, action="draft")),
    ):
        response = site.post("reporter", path, form)
        assert response.status_code == 422
        assert "henkilötunnus" in response.text and "puhelinnumero" in response.text
        assert "[henkilötunnus]" in response.text  # the excerpt masks the code
    world = make_world(site)
    for path, form in (
        (f"/raportit/{world.report}/viesti", {"body": text}),
        (f"/raportit/{world.report}/paatos", {"decision": "request_changes", "message": text}),
        (f"/teemat?alue={OWN}", {"half_year": "2025H1", "title": "T", "summary": text}),
        (f"/ehdotukset/{world.proposal}/tila", {"status": "sent"}),
        (f"/ehdotukset/{world.proposal}/tila", {"status": "answered", "answer": text}),
    ):
        response = site.post("coordinator_own" if "viesti" not in path else "reporter", path, form)
        if form.get("status") == "sent":
            assert response.status_code == 303
            continue
        assert response.status_code == 422, (path, response.status_code)
    stored = database_text(site.services.store.database_url)
    assert "Havainto nuorten asumisesta." in stored  # the search does see stored text
    for secret in (HETU, "040 123 4567"):
        assert secret not in stored
        assert secret not in caplog.text


def test_form_errors_name_the_bad_value(site: Site) -> None:
    response = site.post(
        "reporter", "/raportit/uusi", _form(site, region_code="KU999", idempotency_key="flow-x-03")
    )
    assert response.status_code == 422
    assert "KU999" in response.text
    response = site.post(
        "reporter",
        "/raportit/uusi",
        _form(site, estimated_clients="paljon", idempotency_key="flow-x-04"),
    )
    assert response.status_code in (400, 422) and "paljon" in response.text
