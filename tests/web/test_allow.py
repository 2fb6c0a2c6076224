"""RFC 9110: a 405 answer carries Allow, naming every method the path does answer (HTML and API)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from raketieto.web.app import _leaf_routes

TRIED = ("GET", "POST", "PUT", "DELETE", "PATCH")
_PARAM = re.compile(r"\{([^}:]+)(?::[^}]+)?\}")
SAMPLES = {"area": "SSS", "phenomenon": "asunnottomuus", "name": "raketieto.css"}


def _paths(client: TestClient) -> list[str]:
    paths = {getattr(r, "path", "") for r in _leaf_routes(client.app.router.routes)}  # type: ignore[attr-defined]
    return sorted(_PARAM.sub(lambda m: SAMPLES.get(m.group(1), "1"), p) for p in paths if p)


def test_every_405_names_the_methods_that_work(client: TestClient) -> None:
    failures = []
    checked = 0
    for path in _paths(client):
        answers = {method: client.request(method, path) for method in TRIED}
        working = {m for m, r in answers.items() if r.status_code != 405}
        for method, response in answers.items():
            if response.status_code != 405:
                continue
            checked += 1
            allow = {m.strip() for m in response.headers.get("allow", "").split(",") if m.strip()}
            if not allow or allow & set(TRIED) != working:
                failures.append(
                    f"{method} {path}: Allow {sorted(allow)}, working {sorted(working)}"
                )
    assert checked > 50
    assert failures == []


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", "/kirjaudu", "GET, POST"),
        ("GET", "/kirjaudu/ulos", "POST"),
        ("POST", "/tilannekuva/SSS", "GET"),
        ("DELETE", "/api/v1/regions", "GET, OPTIONS"),
    ],
)
def test_allow_examples(client: TestClient, method: str, path: str, allow: str) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
