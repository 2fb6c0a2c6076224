"""Accounts and login: argon2 hashes, lockout after N failures, rate limiting, timing, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from raketieto.errors import DataError
from raketieto.store import login
from raketieto.store.accounts import (
    create_user,
    deactivate_user,
    load_principal,
    set_password,
)
from raketieto.store.config import StoreSettings
from raketieto.store.enums import Role
from raketieto.store.errors import (
    AccountLocked,
    AuthenticationFailed,
    ConflictError,
    PermissionDenied,
    RateLimited,
)
from raketieto.store.login import LoginGuard, LoginRateLimiter, authenticate
from raketieto.store.models import AuditEntry, User
from raketieto.store.vocabulary import Vocabulary
from tests.store.conftest import OTHER, OWN, PASSWORD, People

SETTINGS = StoreSettings(database_url="sqlite://", login_max_failures=3, lockout_seconds=600)
NOW = dt.datetime(2025, 5, 5, 10, tzinfo=dt.UTC)


def _login(
    session: Session,
    hasher: PasswordHasher,
    username: str,
    password: str,
    *,
    now: dt.datetime = NOW,
    limiter: LoginRateLimiter | None = None,
    client: str = "",
) -> login.LoginOutcome:
    return authenticate(
        session,
        username,
        password,
        hasher=hasher,
        settings=SETTINGS,
        now=now,
        limiter=limiter,
        client=client,
    )


def test_passwords_are_stored_as_argon2id_hashes(
    session: Session, people: People, hasher: PasswordHasher
) -> None:
    user = session.get(User, people.worker.user_id)
    assert user is not None and user.password_hash is not None
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_login_succeeds_case_insensitively_and_is_audited(
    session: Session, people: People, hasher: PasswordHasher
) -> None:
    outcome = _login(session, hasher, "  TYONTEKIJA-t ", PASSWORD)
    assert outcome.raise_for_failure() == people.worker
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.actor_id == people.worker.user_id)
    ).all()
    assert actions[-1] == "auth.login"


def test_lockout_after_repeated_failures_and_release_after_the_wait(
    session: Session, people: People, hasher: PasswordHasher
) -> None:
    for _ in range(SETTINGS.login_max_failures - 1):
        assert _login(session, hasher, "tyontekija-t", "väärä salasana").result == "invalid"
    locking = _login(session, hasher, "tyontekija-t", "väärä salasana")
    assert locking.result == "locked"
    with pytest.raises(AccountLocked):
        locking.raise_for_failure()
    # Even the right password is refused while the lock holds.
    assert _login(session, hasher, "tyontekija-t", PASSWORD).result == "locked"
    later = NOW + dt.timedelta(seconds=SETTINGS.lockout_seconds + 1)
    assert _login(session, hasher, "tyontekija-t", PASSWORD, now=later).result == "ok"


def test_a_success_resets_the_failure_count(
    session: Session, people: People, hasher: PasswordHasher
) -> None:
    for _ in range(SETTINGS.login_max_failures - 1):
        _login(session, hasher, "tyontekija-t", "väärä")
    assert _login(session, hasher, "tyontekija-t", PASSWORD).result == "ok"
    assert _login(session, hasher, "tyontekija-t", "väärä").result == "invalid"


def test_unknown_user_costs_a_verification_and_leaves_no_name_in_the_log(
    session: Session, people: People, hasher: PasswordHasher, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = PasswordHasher.verify

    def counting(self: PasswordHasher, hash: str | bytes, password: str | bytes) -> bool:
        calls.append("verify")
        return real(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    outcome = _login(session, hasher, "ei-ketaan@example.fi", "salainen-yritys")
    assert outcome.result == "invalid"
    assert calls == ["verify"]
    with pytest.raises(AuthenticationFailed, match="väärin"):
        outcome.raise_for_failure()
    entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry is not None and entry.action == "auth.login_failed"
    assert "ei-ketaan" not in repr(entry.details) and entry.actor_id is None


def test_rate_limiter_refuses_a_flood_from_one_client() -> None:
    limiter = LoginRateLimiter(max_attempts=3, window_seconds=60)
    assert [limiter.hit("10.0.0.1", now=t) for t in (0, 1, 2)] == [0, 0, 0]
    wait = limiter.hit("10.0.0.1", now=3)
    assert 0 < wait <= 60
    assert limiter.hit("10.0.0.2", now=3) == 0
    assert limiter.hit("10.0.0.1", now=61) == 0


def test_rate_limited_login_does_not_touch_the_account(
    session: Session, people: People, hasher: PasswordHasher
) -> None:
    limiter = LoginRateLimiter(max_attempts=1)
    _login(session, hasher, "tyontekija-t", "väärä", limiter=limiter, client="c")
    outcome = _login(session, hasher, "tyontekija-t", PASSWORD, limiter=limiter, client="c")
    assert outcome.result == "rate_limited"
    with pytest.raises(RateLimited):
        outcome.raise_for_failure()
    user = session.get(User, people.worker.user_id)
    assert user is not None and user.failed_logins == 1


def test_account_administration_rules(
    session: Session, people: People, hasher: PasswordHasher, vocab: Vocabulary
) -> None:
    def make(actor: str, role: Role, county: str | None, name: str) -> User:
        return create_user(
            session,
            people.by_name(actor),
            username=name,
            display_name=name,
            role=role,
            county=county,
            password=PASSWORD,
            hasher=hasher,
            vocab=vocab,
        )

    assert make("coordinator", Role.WORKER, OWN, "uusi-1").county_code == OWN
    with pytest.raises(PermissionDenied):
        make("coordinator", Role.WORKER, OTHER, "uusi-2")
    with pytest.raises(PermissionDenied):
        make("coordinator", Role.COORDINATOR, OWN, "uusi-3")
    with pytest.raises(PermissionDenied):
        make("worker", Role.WORKER, OWN, "uusi-4")
    with pytest.raises(ConflictError):
        make("admin", Role.WORKER, OWN, "UUSI-1")
    with pytest.raises(DataError, match="kotihyvinvointialue"):
        make("admin", Role.COORDINATOR, None, "uusi-5")
    with pytest.raises(DataError, match="12"):
        create_user(
            session,
            people.admin,
            username="lyhyt",
            display_name="x",
            role=Role.WORKER,
            county=OWN,
            password="lyhyt",
            hasher=hasher,
            vocab=vocab,
        )


def test_password_change_and_deactivation(
    session: Session, people: People, hasher: PasswordHasher
) -> None:
    assert people.colleague.user_id is not None and people.worker.user_id is not None
    with pytest.raises(PermissionDenied):
        set_password(session, people.worker, people.colleague.user_id, "x" * 12, hasher=hasher)
    set_password(session, people.worker, people.worker.user_id, "uusi-salasana-1", hasher=hasher)
    assert _login(session, hasher, "tyontekija-t", "uusi-salasana-1").result == "ok"
    deactivate_user(session, people.coordinator, people.worker.user_id)
    assert _login(session, hasher, "tyontekija-t", "uusi-salasana-1").result == "invalid"
    with pytest.raises(AuthenticationFailed):
        load_principal(session, people.worker.user_id)


def test_the_guard_limits_one_account_across_addresses_and_one_address_across_names() -> None:
    guard = LoginGuard(per_address=3, per_account=2)
    assert guard.check("10.0.0.1", "Anna", now=0) is None
    assert guard.check("10.0.0.2", " anna ", now=0) is None
    on_account = guard.check("10.0.0.3", "ANNA", now=0)
    assert on_account is not None and on_account.result == "rate_limited"
    assert guard.check("10.0.0.9", "b", now=0) is None
    assert guard.check("10.0.0.9", "c", now=0) is None
    assert guard.check("10.0.0.9", "d", now=0) is None
    on_address = guard.check("10.0.0.9", "e", now=0)
    assert on_address is not None and on_address.retry_after is not None
    assert guard.check("10.0.0.3", "anna", now=61) is None
