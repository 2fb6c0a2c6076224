"""OpenID Connect login against a fake provider (an httpx MockTransport, no network)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import RSAKey

from raketieto.settings import Settings
from raketieto.store import migrate
from raketieto.store.accounts import create_user_from_console, make_password_hasher
from raketieto.store.db import transaction
from raketieto.store.enums import Role
from raketieto.web.app import create_app
from raketieto.web.reporting.services import build_services, register_services
from tests.store.conftest import OWN

ISSUER = "https://tunnistus.example"
CLIENT_ID = "raketieto-test"


class Provider:
    """Discovery, token and key endpoints; the token's claims can be spoiled per test."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, auto_kid=True)
        self.nonce = ""
        self.subject = "oidc-subject-1"
        self.spoil: dict[str, Any] = {}

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/.well-known/openid-configuration":
            return httpx.Response(
                200,
                json={
                    "issuer": ISSUER,
                    "authorization_endpoint": f"{ISSUER}/auth",
                    "token_endpoint": f"{ISSUER}/token",
                    "jwks_uri": f"{ISSUER}/jwks",
                },
            )
        if path == "/jwks":
            return httpx.Response(200, json={"keys": [self.key.as_dict(private=False)]})
        if path == "/token":
            now = int(time.time())
            claims = {
                "iss": ISSUER,
                "aud": CLIENT_ID,
                "sub": self.subject,
                "nonce": self.nonce,
                "iat": now,
                "exp": now + 300,
                **self.spoil,
            }
            token = jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, self.key)
            return httpx.Response(200, json={"id_token": token, "token_type": "Bearer"})
        return httpx.Response(404)


@pytest.fixture
def oidc_site(tmp_path: Path) -> Iterator[tuple[TestClient, Provider]]:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    migrate.upgrade(url)
    settings = Settings(
        data_dir=tmp_path / "var",
        database_url=url,
        secret_key="o" * 40,
        oidc_issuer=ISSUER,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret="secret",
    )
    app = create_app(settings)
    provider = Provider()
    services = build_services(
        app.state.raketieto,
        hasher=make_password_hasher(time_cost=1, memory_cost=8, parallelism=1),
        oidc_transport=httpx.MockTransport(provider.handle),
    )
    register_services(app.state.raketieto, services)
    with transaction(services.factory) as session:
        create_user_from_console(
            session,
            username="oidc-worker",
            display_name="OIDC",
            role=Role.WORKER,
            county=OWN,
            password=None,
            oidc_subject=provider.subject,
            hasher=services.hasher,
            vocab=services.vocab,
        )
    yield TestClient(app, follow_redirects=False), provider
    services.engine.dispose()


def _start(client: TestClient, provider: Provider) -> str:
    response = client.get("/kirjaudu/oidc?seuraava=/raportit/uusi")
    assert response.status_code == 303
    target = urlsplit(response.headers["location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{ISSUER}/auth"
    query = parse_qs(target.query)
    assert query["client_id"] == [CLIENT_ID] and query["scope"] == ["openid profile"]
    provider.nonce = query["nonce"][0]
    return query["state"][0]


def test_a_linked_account_logs_in_with_oidc(oidc_site: tuple[TestClient, Provider]) -> None:
    client, provider = oidc_site
    assert "organisaation tunnuksilla" in client.get("/kirjaudu").text
    state = _start(client, provider)
    done = client.get(f"/kirjaudu/oidc/paluu?state={state}&code=abc")
    assert done.status_code == 303 and done.headers["location"] == "/raportit/uusi"
    assert client.get("/raportit/uusi").status_code == 200


@pytest.mark.parametrize(
    "spoil",
    [{"aud": "someone-else"}, {"iss": "https://evil.example"}, {"exp": 1000}, {"nonce": "x"}],
)
def test_a_token_for_someone_else_or_stale_is_refused(
    oidc_site: tuple[TestClient, Provider], spoil: dict[str, Any]
) -> None:
    client, provider = oidc_site
    state = _start(client, provider)
    provider.spoil = spoil
    done = client.get(f"/kirjaudu/oidc/paluu?state={state}&code=abc")
    assert done.status_code == 401
    assert client.get("/raportit").status_code == 303  # still not logged in


def test_a_wrong_state_or_unknown_subject_is_refused(
    oidc_site: tuple[TestClient, Provider],
) -> None:
    client, provider = oidc_site
    _start(client, provider)
    assert client.get("/kirjaudu/oidc/paluu?state=forged&code=abc").status_code == 401
    state = _start(client, provider)
    provider.subject = "nobody-here"
    refused = client.get(f"/kirjaudu/oidc/paluu?state={state}&code=abc")
    assert refused.status_code == 401 and "ylläpitäjää" in refused.text
