"""Password login in three steps: limits and look-up, the hash check, then the verdict.

The hash check is the one slow step (argon2), so it stands alone: the web pages run it in a
bounded pool of its own (store/hashing.py) between two short transactions, and nothing that
costs a hash happens before the per-address and per-account limits have let the attempt in.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import time
from collections import deque
from dataclasses import dataclass
from functools import cache
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session

from raketieto.store import audit
from raketieto.store.accounts import normalise_username, principal_for
from raketieto.store.config import StoreSettings
from raketieto.store.enums import Role
from raketieto.store.errors import AccountLocked, AuthenticationFailed, RateLimited
from raketieto.store.models import User
from raketieto.store.principal import Principal
from raketieto.store.types import utcnow

_DUMMY_PASSWORD = "raketieto-dummy-password-for-timing"
#: Longest user name kept as a limiter key (longer ones are cut: they are no account anyway).
MAX_KEY = 100


@cache
def _dummy_hash(time_cost: int, memory_cost: int, parallelism: int) -> str:
    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)
    return hasher.hash(_DUMMY_PASSWORD)


def _dummy_verify(hasher: PasswordHasher, password: str) -> None:
    """Spend as long as a real verification, so timing does not tell which user names exist."""
    dummy = _dummy_hash(hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    with contextlib.suppress(VerificationError):
        hasher.verify(dummy, password)


class LoginRateLimiter:
    """At most max_attempts login attempts per key in a sliding window (per process)."""

    def __init__(self, max_attempts: int, window_seconds: float = 60.0) -> None:
        self.max_attempts = max_attempts
        self.window = window_seconds
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, now: float | None = None) -> int:
        """Count one attempt; 0 if allowed, else seconds until the next attempt is."""
        moment = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= moment - self.window:
                hits.popleft()
            if len(hits) >= self.max_attempts:
                return max(1, int(hits[0] + self.window - moment + 0.999))
            hits.append(moment)
            if len(self._hits) > 10_000:
                self._prune(moment)
            return 0

    def _prune(self, moment: float) -> None:
        stale = [k for k, v in self._hits.items() if not v or v[-1] <= moment - self.window]
        for key in stale:
            del self._hits[key]


class LoginGuard:
    """The limits every login attempt passes before it may cost a hash: per address, per account.

    The per-account count covers unknown names too, so that guessing at one name from many
    addresses is held back before any hashing, as is one address trying many names.
    """

    def __init__(self, per_address: int, per_account: int, window_seconds: float = 60.0) -> None:
        self.addresses = LoginRateLimiter(per_address, window_seconds)
        self.accounts = LoginRateLimiter(per_account, window_seconds)

    def check(self, client: str, username: str, now: float | None = None) -> LoginOutcome | None:
        """A rate-limited outcome when either limit is reached, else None (go on)."""
        wait = self.addresses.hit(client or "?", now)
        if not wait:
            wait = self.accounts.hit(normalise_username(username)[:MAX_KEY], now)
        return LoginOutcome("rate_limited", retry_after=wait) if wait else None


LoginResult = Literal["ok", "invalid", "locked", "rate_limited"]


@dataclass(frozen=True)
class LoginOutcome:
    """What a login attempt came to; commit the session before acting on it."""

    result: LoginResult
    principal: Principal | None = None
    retry_after: int | None = None

    def raise_for_failure(self) -> Principal:
        """The principal on success; otherwise the matching error, safe to show as it is."""
        if self.result == "ok" and self.principal is not None:
            return self.principal
        if self.result == "rate_limited":
            raise RateLimited(
                "Liian monta kirjautumisyritystä; odota hetki ja yritä uudelleen.",
                retry_after=self.retry_after or 60,
            )
        if self.result == "locked":
            minutes = max(1, (self.retry_after or 60) // 60)
            raise AccountLocked(
                "Tili on lukittu toistuvien epäonnistuneiden kirjautumisten vuoksi; "
                f"yritä uudelleen noin {minutes} minuutin kuluttua."
            )
        raise AuthenticationFailed("Käyttäjätunnus tai salasana on väärin.")


@dataclass(frozen=True)
class LoginAttempt:
    """What the look-up found: the account and hash to check, or an outcome needing no hash."""

    user_id: int | None = None
    password_hash: str | None = None
    decided: LoginOutcome | None = None


@dataclass(frozen=True)
class Verification:
    """The result of the hash check, and a stronger hash to store when the old one is weak."""

    matches: bool
    new_hash: str | None = None


def begin_login(session: Session, username: str, *, now: dt.datetime | None = None) -> LoginAttempt:
    """Look the account up; a locked account is refused here, without hashing.

    A locked account costs no hash: the answer says it is locked, so timing tells nothing more.
    """
    moment = now or utcnow()
    user = session.scalars(
        select(User).where(User.username == normalise_username(username)[:MAX_KEY])
    ).one_or_none()
    if user is None or not user.active or user.password_hash is None:
        return LoginAttempt()
    if user.locked_until is not None and user.locked_until > moment:
        audit.record(session, principal_for(user), "auth.login_refused_locked", "user", user.id)
        wait = _seconds_until(user.locked_until, moment)
        return LoginAttempt(user.id, decided=LoginOutcome("locked", retry_after=wait))
    return LoginAttempt(user.id, user.password_hash)


def verify_password(
    hasher: PasswordHasher, password_hash: str | None, password: str
) -> Verification:
    """The slow step: check password against the hash (a dummy hash for no account)."""
    if password_hash is None:
        _dummy_verify(hasher, password)
        return Verification(False)
    try:
        hasher.verify(password_hash, password)
    except (VerifyMismatchError, InvalidHashError, VerificationError):
        return Verification(False)
    renewed = hasher.hash(password) if hasher.check_needs_rehash(password_hash) else None
    return Verification(True, renewed)


def finish_login(
    session: Session,
    attempt: LoginAttempt,
    verification: Verification,
    *,
    settings: StoreSettings,
    now: dt.datetime | None = None,
) -> LoginOutcome:
    """Count a failure (and lock) or record the login; the caller must commit."""
    moment = now or utcnow()
    anonymous = Principal(user_id=None, role=Role.PUBLIC)
    if attempt.decided is not None:
        return attempt.decided
    user = None
    if attempt.user_id is not None:
        user = session.scalars(
            select(User).where(User.id == attempt.user_id).with_for_update()
        ).one_or_none()
    if user is None or not user.active or user.password_hash != attempt.password_hash:
        # No such account, or it was closed or given a new password while the hash was checked.
        # The typed user name is not recorded: people type passwords into that field.
        audit.record(session, anonymous, "auth.login_failed", "user", details={"known": False})
        return LoginOutcome("invalid")
    actor = principal_for(user)
    if user.locked_until is not None and user.locked_until > moment:
        # Other attempts locked the account while this one was being checked.
        audit.record(session, actor, "auth.login_refused_locked", "user", user.id)
        return LoginOutcome("locked", retry_after=_seconds_until(user.locked_until, moment))
    if not verification.matches:
        user.failed_logins += 1
        audit.record(session, actor, "auth.login_failed", "user", user.id, details={"known": True})
        if user.failed_logins >= settings.login_max_failures:
            user.locked_until = moment + dt.timedelta(seconds=settings.lockout_seconds)
            user.failed_logins = 0
            audit.record(session, actor, "auth.locked", "user", user.id)
            return LoginOutcome("locked", retry_after=settings.lockout_seconds)
        return LoginOutcome("invalid")
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = moment
    if verification.new_hash is not None:
        user.password_hash = verification.new_hash
    audit.record(session, actor, "auth.login", "user", user.id)
    return LoginOutcome("ok", principal=actor)


def authenticate(
    session: Session,
    username: str,
    password: str,
    *,
    hasher: PasswordHasher,
    settings: StoreSettings,
    limiter: LoginRateLimiter | None = None,
    client: str = "",
    now: dt.datetime | None = None,
) -> LoginOutcome:
    """The three steps in one call (command line, tests); failures must be committed too.

    Does not raise for bad credentials (the failure count has to be committed); call
    LoginOutcome.raise_for_failure() after the commit.
    """
    if limiter is not None:
        wait = limiter.hit(client or "?")
        if wait:
            return LoginOutcome("rate_limited", retry_after=wait)
    attempt = begin_login(session, username, now=now)
    if attempt.decided is not None:
        return attempt.decided
    verification = verify_password(hasher, attempt.password_hash, password)
    return finish_login(session, attempt, verification, settings=settings, now=now)


def _seconds_until(until: dt.datetime, moment: dt.datetime) -> int:
    return max(1, int((until - moment).total_seconds()))
