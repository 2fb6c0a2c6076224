"""Parameter pollution: whatever the query string, the form and the path say, no request acts
on or reads another county's data.

Every case names a county in the query, the form or both (repeated, conflicting, or pointing
away from the record in the path). Each must answer 403 or 404, and the database must be
unchanged afterwards (every table but the audit trail and the accounts) — the status alone is
not trusted. A control case proves the snapshot sees a write.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from raketieto.store.models import AuditEntry, Base, User
from tests.reporting.conftest import Site
from tests.reporting.world import World, make_world
from tests.store.conftest import OTHER, OWN, municipality_of

SECRET = "Pilaantumaton havainto alueen sisältä."
THEME = {"half_year": "2025H2", "title": "Saastunut teema", "summary": "Yhteenveto."}
PROPOSAL = {"title": "Saastunut ehdotus", "body": "Teksti.", "recipient_kind": "top_management"}

Case = tuple[str, str, Callable[[World], str], dict[str, Any]]


def _cases(worker_region: str) -> list[Case]:
    attacker = "coordinator_other"
    cases: list[Case] = [
        # The two reports.
        ("worker_other", "POST", lambda w: f"/raportit/{w.report}/viesti", {"body": "Hei."}),
        ("coordinator_own", "POST", lambda w: f"/teemat?alue={OWN}", {**THEME, "alue": OTHER}),
        # A coordinator of another county, every way of naming OWN.
        (attacker, "POST", lambda w: f"/teemat?alue={OTHER}", {**THEME, "alue": OWN}),
        (attacker, "POST", lambda w: f"/teemat?alue={OWN}", {**THEME, "alue": OTHER}),
        (attacker, "POST", lambda w: f"/teemat?alue={OTHER}&alue={OWN}", THEME),
        (attacker, "POST", lambda w: "/teemat", {**THEME, "alue": OWN}),
        (attacker, "POST", lambda w: f"/teemat?alue={OWN}", THEME),
        (attacker, "POST", lambda w: f"/ehdotukset/uusi?alue={OTHER}", {**PROPOSAL, "alue": OWN}),
        (attacker, "POST", lambda w: "/ehdotukset/uusi", {**PROPOSAL, "alue": OWN}),
        (attacker, "POST", lambda w: f"/teemat/{w.theme}?alue={OTHER}", {"action": "approve"}),
        (attacker, "POST", lambda w: f"/teemat/{w.theme}", {"action": "approve", "alue": OTHER}),
        (
            attacker,
            "POST",
            lambda w: f"/raportit/{w.report}/paatos?alue={OTHER}",
            {"decision": "accept"},
        ),
        (attacker, "POST", lambda w: f"/raportit/{w.report}/viesti?alue={OTHER}", {"body": "Hei."}),
        (
            attacker,
            "POST",
            lambda w: f"/raportit/{w.report}/viesti",
            {"body": "Hei.", "alue": OTHER},
        ),
        (
            attacker,
            "POST",
            lambda w: f"/ehdotukset/{w.proposal}/tila?alue={OTHER}",
            {"status": "sent"},
        ),
        # Workers of another county: messages and reports, with the county named or not.
        (
            "worker_other",
            "POST",
            lambda w: f"/raportit/{w.report}/viesti?alue={OTHER}",
            {"body": "Hei."},
        ),
        (
            "worker_other",
            "POST",
            lambda w: f"/raportit/{w.report}/viesti",
            {"body": "Hei.", "alue": OWN},
        ),
        (
            "worker_other",
            "POST",
            lambda w: f"/raportit/{w.accepted}/viesti?alue={OWN}",
            {"body": "Hei."},
        ),
        (
            "worker_other",
            "POST",
            lambda w: "/raportit/uusi",
            {"action": "draft", "alue": OWN, "region_code": worker_region},
        ),
        ("worker_other", "POST", lambda w: f"/raportit/uusi?alue={OWN}", {"action": "draft"}),
        # The county's own people pointed at another county, and a national admin given two.
        (
            "reporter",
            "POST",
            lambda w: f"/raportit/{w.report}/viesti?alue={OTHER}",
            {"body": "Hei."},
        ),
        (
            "coordinator_own",
            "POST",
            lambda w: f"/raportit/{w.report}/paatos",
            {"decision": "accept", "alue": OTHER},
        ),
        ("national_admin", "POST", lambda w: f"/teemat?alue={OWN}", {**THEME, "alue": OTHER}),
        (
            "national_admin",
            "POST",
            lambda w: f"/teemat/{w.theme}?alue={OTHER}",
            {"action": "approve"},
        ),
        (
            "national_admin",
            "POST",
            lambda w: f"/raportit/{w.report}/paatos?alue={OTHER}",
            {"decision": "accept"},
        ),
        (
            "national_admin",
            "POST",
            lambda w: f"/raportit/{w.report}/viesti?alue={OTHER}",
            {"body": "Hei."},
        ),
        (
            "national_admin",
            "POST",
            lambda w: f"/ehdotukset/{w.proposal}/tila?alue={OTHER}",
            {"status": "sent"},
        ),
        ("national_admin", "POST", lambda w: f"/ehdotukset/uusi?alue={OWN}&alue={OTHER}", PROPOSAL),
    ]
    # Reads: every read route of county data, the county named twice or away from the record.
    for path in (
        f"/kasittely?alue={OTHER}&alue={OWN}",
        f"/kasittely?alue={OWN}",
        f"/teemat?alue={OWN}&alue={OTHER}",
        f"/ehdotukset?alue={OTHER}&alue={OWN}",
        f"/ehdotukset/uusi?alue={OWN}",
        f"/ehdotukset/vienti.xlsx?alue={OTHER}&alue={OWN}",
        f"/loki.csv?alue={OTHER}&alue={OWN}",
        f"/loki.csv?alue={OWN}",
    ):
        cases.append((attacker, "GET", lambda w, p=path: p, {}))
    cases += [
        (attacker, "GET", lambda w: f"/raportit/{w.report}?alue={OTHER}", {}),
        (attacker, "GET", lambda w: f"/ehdotukset/{w.proposal}?alue={OTHER}", {}),
        ("worker_other", "GET", lambda w: f"/raportit/{w.report}?alue={OWN}", {}),
        ("worker_other", "GET", lambda w: f"/kasittely?alue={OWN}", {}),
        ("national_admin", "GET", lambda w: f"/ehdotukset/{w.proposal}?alue={OTHER}", {}),
        ("national_admin", "GET", lambda w: f"/kasittely?alue={OWN}&alue={OTHER}", {}),
    ]
    return cases


def _snapshot(site: Site) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table except the audit trail and the accounts (logins touch those)."""
    skipped = {AuditEntry.__tablename__, User.__tablename__}
    with site.services.factory() as session:
        return {
            table.name: sorted(tuple(map(repr, row)) for row in session.execute(select(table)))
            for table in Base.metadata.sorted_tables
            if table.name not in skipped
        }


def _send(site: Site, who: str, method: str, path: str, form: dict[str, Any]) -> Any:
    return site.client(who).get(path) if method == "GET" else site.post(who, path, form)


def test_no_polluted_request_writes_or_reads_another_countys_data(site: Site) -> None:
    world = make_world(site, description=SECRET)
    region = municipality_of(site.services.vocab, OTHER)
    failures = []
    for who, method, path_of, form in _cases(region):
        path = path_of(world)
        before = _snapshot(site)
        response = _send(site, who, method, path, form)
        if response.status_code not in (403, 404):
            failures.append(f"{who} {method} {path} {form}: {response.status_code}")
        if _snapshot(site) != before:
            failures.append(f"{who} {method} {path} {form}: the database changed")
        if SECRET in response.text or "Nuorten asuminen" in response.text:
            failures.append(f"{who} {method} {path}: the answer shows the county's data")
    assert failures == []


def test_the_snapshot_sees_a_write(site: Site) -> None:
    before = _snapshot(site)
    made = site.post("coordinator_own", f"/teemat?alue={OWN}", {**THEME, "alue": OWN})
    assert made.status_code == 303
    assert _snapshot(site) != before


@pytest.mark.parametrize("where", ["query", "form"])
def test_a_county_named_once_in_agreement_is_accepted(site: Site, where: str) -> None:
    world = make_world(site)
    query = f"?alue={OWN}" if where == "query" else ""
    form = {"decision": "accept"} | ({"alue": OWN} if where == "form" else {})
    response = site.post("coordinator_own", f"/raportit/{world.report}/paatos{query}", form)
    assert response.status_code == 303
