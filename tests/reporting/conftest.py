"""A running app with the reporting pages, on SQLite and on PostgreSQL, and its people."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response

from raketieto.settings import Settings
from raketieto.store import migrate
from raketieto.store.accounts import bootstrap_admin, create_user, make_password_hasher
from raketieto.store.db import transaction
from raketieto.store.enums import Role
from raketieto.store.principal import Principal
from raketieto.web.app import create_app
from raketieto.web.reporting.security import CSRF_FIELD
from raketieto.web.reporting.services import (
    ReportingServices,
    build_services,
    register_services,
)
from tests.store.conftest import BACKENDS, OTHER, OWN, PASSWORD, _drop, _new_database

_CSRF = re.compile(rf'name="{CSRF_FIELD}" value="([^"]+)"')

#: user name -> (role, county); the reporter and worker_own are both workers of OWN.
CAST: dict[str, tuple[Role, str | None]] = {
    "reporter": (Role.WORKER, OWN),
    "worker_own": (Role.WORKER, OWN),
    "worker_other": (Role.WORKER, OTHER),
    "coordinator_own": (Role.COORDINATOR, OWN),
    "coordinator_other": (Role.COORDINATOR, OTHER),
}


def csrf_of(html: str) -> str:
    """The CSRF token in a page's forms."""
    found = _CSRF.search(html)
    assert found is not None, "the page has no CSRF field"
    return found.group(1)


@dataclass
class Site:
    """The app, its reporting services and the principals of the cast."""

    app: FastAPI
    services: ReportingServices
    principals: dict[str, Principal]
    clients: dict[str, TestClient] = field(default_factory=dict)
    base_url: str = "http://testserver"

    def anonymous(self) -> TestClient:
        """A client with no session."""
        return TestClient(self.app, base_url=self.base_url, follow_redirects=False)

    def client(self, name: str) -> TestClient:
        """A client logged in as one of the cast ('public' stays anonymous)."""
        if name not in self.clients:
            client = self.anonymous()
            if name != "public":
                response = login(client, name, PASSWORD)
                assert response.status_code == 303, response.text
            self.clients[name] = client
        return self.clients[name]

    def post(self, name: str, path: str, data: dict[str, Any] | None = None) -> Response:
        """POST a form as name, with the CSRF token of name's session."""
        client = self.client(name)
        token = csrf_of(client.get("/kirjaudu").text)
        return client.post(path, data={CSRF_FIELD: token, **(data or {})})


def login(client: TestClient, username: str, password: str) -> Response:
    """Log in through the form."""
    token = csrf_of(client.get("/kirjaudu").text)
    return client.post(
        "/kirjaudu", data={CSRF_FIELD: token, "username": username, "password": password}
    )


def make_site(database_url: str, data_dir: Path, **settings: Any) -> Site:
    """An app on database_url with the cast's accounts (cheap password hashes)."""
    chosen: dict[str, Any] = {"secret_key": "t" * 40, "login_attempts_per_minute": 1000}
    chosen.update(settings)
    app = create_app(Settings(data_dir=data_dir, database_url=database_url, **chosen))
    state = app.state.raketieto
    services = build_services(
        state, hasher=make_password_hasher(time_cost=1, memory_cost=8, parallelism=1)
    )
    register_services(state, services)
    principals: dict[str, Principal] = {}
    with transaction(services.factory) as session:
        admin_user = bootstrap_admin(
            session,
            username="national_admin",
            display_name="Ylläpitäjä",
            password=PASSWORD,
            hasher=services.hasher,
        )
        admin = Principal(admin_user.id, Role.NATIONAL_ADMIN)
        principals["national_admin"] = admin
        for name, (role, county) in CAST.items():
            user = create_user(
                session,
                admin,
                username=name,
                display_name=name.replace("_", " ").title(),
                role=role,
                county=county,
                password=PASSWORD,
                hasher=services.hasher,
                vocab=services.vocab,
            )
            principals[name] = Principal(user.id, role, county)
    principals["public"] = Principal(None, Role.PUBLIC)
    return Site(app, services, principals)


@pytest.fixture(scope="module", params=BACKENDS)
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """One app per test module and backend."""
    folder = tmp_path_factory.mktemp("site")
    url, schema = _new_database(request.param, folder)
    try:
        migrate.upgrade(url)
        made = make_site(url, folder / "var")
        yield made
        made.services.engine.dispose()
    finally:
        _drop(schema)
