"""The authorisation matrix over the web routes: every role x every route x own/other county.

All objects belong to county OWN; each principal lives there or in OTHER. A signed-in user
who may not act gets 403, the public is sent to the login page (GET) or gets 401 (POST).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from raketieto.web.reporting.routes import ALL_ROUTES
from tests.reporting.conftest import Site
from tests.reporting.world import World, make_world
from tests.store.conftest import OWN

PRINCIPALS = (
    "public",
    "reporter",
    "worker_own",
    "worker_other",
    "coordinator_own",
    "coordinator_other",
    "national_admin",
)
SIGNED_IN = frozenset(PRINCIPALS) - {"public"}
REVIEWERS = frozenset({"coordinator_own", "national_admin"})
FILERS = frozenset(
    {"reporter", "worker_own", "worker_other", "coordinator_own", "coordinator_other"}
)
EVERYONE = frozenset(PRINCIPALS)

Cell = tuple[str, str, Callable[[World], str], dict[str, Any], frozenset[str]]

#: (method, route pattern, concrete path, form, who may) for every route.
MATRIX: tuple[Cell, ...] = (
    ("GET", "/kirjaudu", lambda w: "/kirjaudu", {}, EVERYONE),
    ("POST", "/kirjaudu", lambda w: "/kirjaudu", {"username": "x", "password": "y"}, frozenset()),
    ("POST", "/kirjaudu/ulos", lambda w: "/kirjaudu/ulos", {}, EVERYONE),
    ("GET", "/raportit", lambda w: "/raportit", {}, SIGNED_IN),
    ("GET", "/raportit/uusi", lambda w: "/raportit/uusi", {}, FILERS),
    ("POST", "/raportit/uusi", lambda w: "/raportit/uusi", {"action": "draft"}, FILERS),
    (
        "GET",
        "/raportit/{report_id}",
        lambda w: f"/raportit/{w.report}",
        {},
        {"reporter"} | REVIEWERS,
    ),
    ("GET", "/raportit/{report_id}", lambda w: f"/raportit/{w.draft}", {}, frozenset({"reporter"})),
    (
        "GET",
        "/raportit/{report_id}/muokkaa",
        lambda w: f"/raportit/{w.draft}/muokkaa",
        {},
        frozenset({"reporter"}),
    ),
    (
        "POST",
        "/raportit/{report_id}/muokkaa",
        lambda w: f"/raportit/{w.draft}/muokkaa",
        {"action": "draft", "description": "Uusi kuvaus."},
        frozenset({"reporter"}),
    ),
    (
        "POST",
        "/raportit/{report_id}/viesti",
        lambda w: f"/raportit/{w.report}/viesti",
        {"body": "Kysymys raportista."},
        {"reporter"} | REVIEWERS,
    ),
    (
        "POST",
        "/raportit/{report_id}/paatos",
        lambda w: f"/raportit/{w.report}/paatos",
        {"decision": "accept"},
        REVIEWERS,
    ),
    ("GET", "/ilmoitukset", lambda w: "/ilmoitukset", {}, SIGNED_IN),
    ("GET", "/kasittely", lambda w: f"/kasittely?alue={OWN}", {}, REVIEWERS),
    ("GET", "/teemat", lambda w: f"/teemat?alue={OWN}", {}, REVIEWERS),
    (
        "POST",
        "/teemat",
        lambda w: f"/teemat?alue={OWN}",
        {"half_year": "2025H2", "title": "T", "summary": "S", "phenomenon_id": "asunnottomuus"},
        REVIEWERS,
    ),
    (
        "POST",
        "/teemat/{theme_id}",
        lambda w: f"/teemat/{w.theme}",
        {"action": "approve"},
        REVIEWERS,
    ),
    ("GET", "/ehdotukset", lambda w: f"/ehdotukset?alue={OWN}", {}, REVIEWERS),
    ("GET", "/ehdotukset/uusi", lambda w: f"/ehdotukset/uusi?alue={OWN}", {}, REVIEWERS),
    (
        "POST",
        "/ehdotukset/uusi",
        lambda w: f"/ehdotukset/uusi?alue={OWN}",
        {"title": "T", "body": "B", "recipient_kind": "top_management"},
        REVIEWERS,
    ),
    (
        "GET",
        "/ehdotukset/vienti.xlsx",
        lambda w: f"/ehdotukset/vienti.xlsx?alue={OWN}",
        {},
        REVIEWERS,
    ),
    ("GET", "/ehdotukset/{proposal_id}", lambda w: f"/ehdotukset/{w.proposal}", {}, REVIEWERS),
    (
        "POST",
        "/ehdotukset/{proposal_id}/tila",
        lambda w: f"/ehdotukset/{w.proposal}/tila",
        {"status": "sent"},
        REVIEWERS,
    ),
    ("GET", "/loki.csv", lambda w: f"/loki.csv?alue={OWN}", {}, REVIEWERS),
    # OpenID Connect is off on this site: both ends answer 503 to everyone (see test_oidc.py).
    ("GET", "/kirjaudu/oidc", lambda w: "/kirjaudu/oidc", {}, frozenset()),
    (
        "GET",
        "/kirjaudu/oidc/paluu",
        lambda w: "/kirjaudu/oidc/paluu?state=x&code=y",
        {},
        frozenset(),
    ),
)


def test_the_matrix_covers_every_route() -> None:
    routes = {(method, path) for method, path, *_ in ALL_ROUTES}
    covered = {(method, pattern) for method, pattern, *_ in MATRIX}
    assert routes - covered == set()


def _expected(method: str, pattern: str, who: str, allowed: frozenset[str]) -> set[int]:
    if pattern == "/kirjaudu" and method == "POST":
        return {401}  # wrong password for everyone
    if pattern.startswith("/kirjaudu/oidc"):
        return {503}
    if who in allowed:
        return {200, 303}
    if who == "public":
        return {303} if method == "GET" else {401}
    return {403}


@pytest.mark.parametrize("who", PRINCIPALS)
def test_authorisation_matrix(site: Site, who: str) -> None:
    world = make_world(site)
    failures = []
    for method, pattern, path_of, form, allowed in MATRIX:
        path = path_of(world)
        response = site.client(who).get(path) if method == "GET" else site.post(who, path, form)
        expected = _expected(method, pattern, who, allowed)
        if response.status_code not in expected:
            failures.append(f"{method} {path}: {response.status_code}, expected {expected}")
        if who == "public" and method == "GET" and not pattern.startswith("/kirjaudu"):
            assert response.headers["location"].startswith("/kirjaudu?seuraava=")
        if pattern == "/kirjaudu/ulos":
            site.clients.pop(who, None)  # logged out: the next request logs in again
    assert failures == []


@pytest.mark.parametrize("who", ["worker_other", "coordinator_other", "worker_own", "public"])
def test_nobody_sees_another_countys_unpublished_reports(site: Site, who: str) -> None:
    secret = f"Vain alueen omille nähtävä havainto {who}."
    world = make_world(site, description=secret)
    client = site.client(who)
    for path in (
        f"/raportit/{world.report}",
        f"/raportit/{world.accepted}",
        f"/kasittely?alue={OWN}",
        f"/teemat?alue={OWN}",
        f"/ehdotukset/{world.proposal}",
        f"/loki.csv?alue={OWN}",
        "/raportit",
    ):
        response = client.get(path)
        assert secret not in response.text, path
        assert response.status_code in (200, 303, 403), path
    assert secret in site.client("coordinator_own").get(f"/raportit/{world.report}").text
