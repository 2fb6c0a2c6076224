"""Sessions, CSRF, login rate limiting and lockout, and the key that signs the cookies."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from raketieto.settings import Settings
from raketieto.store import migrate
from raketieto.store.models import AuditEntry, SocialReport, User
from raketieto.web.reporting.security import (
    CSRF_FIELD,
    SESSION_COOKIE,
    SessionSigner,
    load_secret_key,
    new_session,
    safe_next,
)
from tests.reporting.conftest import Site, csrf_of, login, make_site
from tests.store.conftest import PASSWORD


@pytest.fixture
def strict_site(tmp_path: Path) -> Iterator[Site]:
    """An app on SQLite with a low login limit, secure cookies and no configured key."""
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    migrate.upgrade(url)
    made = make_site(
        url,
        tmp_path / "var",
        secret_key=None,
        secure_cookies=True,
        login_attempts_per_minute=5,
        login_max_failures=3,
    )
    made.base_url = "https://testserver"  # secure cookies travel over HTTPS only
    yield made
    made.services.engine.dispose()


def test_a_post_without_or_with_a_wrong_csrf_token_is_refused(site: Site) -> None:
    client = site.client("reporter")
    before = _count(site)
    for data in ({}, {CSRF_FIELD: "forged"}):
        response = client.post("/raportit/uusi", data={**data, "action": "draft"})
        assert response.status_code == 403
        assert "tarkiste" in response.text
    assert _count(site) == before


def _count(site: Site) -> int:
    with site.services.factory() as session:
        return int(session.scalar(select(func.count()).select_from(SocialReport)) or 0)


def test_login_rotates_the_session_and_logout_ends_it(site: Site) -> None:
    client = site.anonymous()
    token_before = csrf_of(client.get("/kirjaudu").text)
    assert login(client, "reporter", PASSWORD).status_code == 303
    token_after = csrf_of(client.get("/raportit").text)
    assert token_after != token_before
    assert client.post("/kirjaudu/ulos", data={CSRF_FIELD: token_after}).status_code == 303
    assert client.get("/raportit").status_code == 303  # back to the login page


def test_cookies_are_signed_http_only_and_secure_when_asked(strict_site: Site) -> None:
    client = strict_site.anonymous()
    response = client.get("/kirjaudu")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    for flag in ("HttpOnly", "Secure", "SameSite=lax", "Path=/"):
        assert flag.lower() in cookie.lower()
    forged = SessionSigner("some other key").dumps(new_session(1))
    client.cookies.set(SESSION_COOKIE, forged)
    assert client.get("/raportit").status_code == 303  # a forged session is nobody


def test_the_signing_key_is_made_once_and_kept(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "var")
    first = load_secret_key(settings)
    assert len(first) >= 40
    assert load_secret_key(settings) == first
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o077 == 0
    assert load_secret_key(Settings(data_dir=tmp_path, secret_key="configured")) == "configured"


def test_repeated_failures_lock_the_account(strict_site: Site) -> None:
    client = strict_site.anonymous()
    for _ in range(3):
        assert login(client, "worker_own", "wrong password!").status_code == 401
    locked = login(client, "worker_own", PASSWORD)
    assert locked.status_code == 401
    assert "lukittu" in locked.text
    with strict_site.services.factory() as session:
        actions = session.scalars(select(AuditEntry.action)).all()
    assert "auth.locked" in actions


def test_a_flood_of_logins_is_rate_limited(strict_site: Site) -> None:
    client = strict_site.anonymous()
    statuses = [login(client, "nobody", "wrong password!").status_code for _ in range(6)]
    assert statuses[:5] == [401] * 5
    assert statuses[5] == 429
    limited = login(client, "reporter", PASSWORD)
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("/raportit/3", "/raportit/3"),
        ("//evil.example/x", "/d"),
        ("https://evil.example/", "/d"),
        ("/\\evil", "/d"),
        (None, "/d"),
    ],
)
def test_only_local_paths_are_followed_after_login(given: str | None, expected: str) -> None:
    assert safe_next(given, "/d") == expected


def test_a_store_that_comes_back_is_noticed_without_a_restart(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = site.services
    monkeypatch.setattr(services, "problem", "Tietokanta ei vastaa.")
    monkeypatch.setattr(services, "_checked_at", 0.0)  # long ago: look again now
    assert site.client("reporter").get("/raportit").status_code == 200
    assert services.problem is None


def test_an_error_page_keeps_the_user_signed_in(site: Site) -> None:
    page = site.client("reporter").get("/kasittely")
    assert page.status_code == 403
    assert "Kirjaudu ulos" in page.text and csrf_of(page.text)


def _count_verifies(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from argon2 import PasswordHasher

    calls: list[str] = []
    real = PasswordHasher.verify

    def counting(self: PasswordHasher, hash: str | bytes, password: str | bytes) -> bool:
        calls.append("verify")
        return real(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    return calls


def test_a_rate_limited_login_costs_no_hash_and_no_write(
    strict_site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = strict_site.anonymous()
    for _ in range(5):
        login(client, "nobody", "wrong password!")
    calls = _count_verifies(monkeypatch)
    before = _audit_count(strict_site)
    limited = login(client, "worker_own", "wrong password!")
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
    assert calls == [] and _audit_count(strict_site) == before


def test_a_full_hash_pool_answers_503_at_once_without_touching_the_account(
    strict_site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _count_verifies(monkeypatch)
    monkeypatch.setattr(type(strict_site.services.hash_pool), "full", property(lambda _: True))
    before = _audit_count(strict_site)
    busy = login(strict_site.anonymous(), "worker_own", "wrong password!")
    assert busy.status_code == 503 and int(busy.headers["retry-after"]) >= 1
    assert calls == [] and _audit_count(strict_site) == before
    with strict_site.services.factory() as session:
        user = session.scalars(select(User).where(User.username == "worker_own")).one()
        assert user.failed_logins == 0


def _audit_count(site: Site) -> int:
    with site.services.factory() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def _cookie_flags(site: Site, base_url: str, headers: dict[str, str] | None = None) -> str:
    site.base_url = base_url
    response = site.anonymous().get("/kirjaudu", headers=headers or {})
    return str(response.headers["set-cookie"]).lower()


@pytest.mark.parametrize(
    ("allowed", "base_url", "headers", "secure"),
    [
        ("", "http://testserver", {}, False),
        ("", "https://testserver", {}, True),  # TLS straight to the app
        ("", "http://testserver", {"x-forwarded-proto": "https"}, False),  # nobody trusted
        ("*", "http://testserver", {"x-forwarded-proto": "https"}, True),
        ("*", "http://testserver", {"x-forwarded-proto": "https, http"}, True),
        ("*", "http://testserver", {"x-forwarded-proto": "http"}, False),
        ("10.0.0.0/8", "http://testserver", {"x-forwarded-proto": "https"}, False),  # not it
    ],
)
def test_the_cookie_is_secure_over_https_and_behind_a_trusted_proxy(
    tmp_path: Path, allowed: str, base_url: str, headers: dict[str, str], secure: bool
) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    migrate.upgrade(url)
    made = make_site(url, tmp_path / "var", forwarded_allow_ips=allowed)
    try:
        assert ("secure" in _cookie_flags(made, base_url, headers)) is secure
    finally:
        made.services.engine.dispose()


def test_a_trusted_proxy_address_is_matched_by_network() -> None:
    from starlette.requests import Request

    from raketieto.web.reporting.security import served_over_https

    def request(client: str) -> Request:
        scope = {
            "type": "http",
            "scheme": "http",
            "path": "/",
            "headers": [(b"x-forwarded-proto", b"https")],
            "client": (client, 1234),
            "server": ("testserver", 80),
        }
        return Request(scope)

    settings = Settings(forwarded_allow_ips="10.1.0.0/16, 192.0.2.7")
    assert served_over_https(request("10.1.2.3"), settings)
    assert served_over_https(request("192.0.2.7"), settings)
    assert not served_over_https(request("10.2.0.1"), settings)
    assert not served_over_https(request("not-an-address"), settings)


def test_a_bad_proxy_setting_is_named() -> None:
    from raketieto.errors import RaketietoError

    with pytest.raises(RaketietoError, match="RAKETIETO_FORWARDED_ALLOW_IPS"):
        Settings.from_env({"RAKETIETO_FORWARDED_ALLOW_IPS": "10.0.0.0/8, proxy.example"})
