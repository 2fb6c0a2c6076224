"""Local accounts: argon2 password hashes, login with rate limiting and lockout, user admin."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from raketieto.errors import DataError
from raketieto.store import audit, policy
from raketieto.store.config import StoreSettings
from raketieto.store.enums import Role
from raketieto.store.errors import (
    AccountLocked,
    AuthenticationFailed,
    ConflictError,
    RateLimited,
    RecordNotFound,
)
from raketieto.store.models import User
from raketieto.store.principal import Principal
from raketieto.store.types import utcnow
from raketieto.store.vocabulary import Vocabulary

MIN_PASSWORD_LENGTH = 12
#: Who the audit trail names for acts from the server's command line: no user, no county.
SYSTEM = Principal(user_id=None, role=Role.PUBLIC)
_DUMMY_PASSWORD = "raketieto-dummy-password-for-timing"


def make_password_hasher(
    *, time_cost: int = 3, memory_cost: int = 65536, parallelism: int = 4
) -> PasswordHasher:
    """An argon2id hasher; the defaults are argon2-cffi's RFC 9106 low-memory profile."""
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


@cache
def _dummy_hash(time_cost: int, memory_cost: int, parallelism: int) -> str:
    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)
    return hasher.hash(_DUMMY_PASSWORD)


def _dummy_verify(hasher: PasswordHasher, password: str) -> None:
    """Spend as long as a real verification, so timing does not tell which user names exist."""
    dummy = _dummy_hash(hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    with contextlib.suppress(VerificationError):
        hasher.verify(dummy, password)


def normalise_username(username: str) -> str:
    """User names compare case-insensitively and without surrounding blanks."""
    return username.strip().casefold()


def principal_for(user: User) -> Principal:
    """The principal an active user acts as."""
    return Principal(user_id=user.id, role=user.role, county=user.county_code)


def load_principal(session: Session, user_id: int) -> Principal:
    """The principal of a logged-in user id (from the session cookie); inactive users fail."""
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise AuthenticationFailed("Istunto ei ole enää voimassa; kirjaudu uudelleen.")
    return principal_for(user)


class LoginRateLimiter:
    """At most max_attempts login attempts per client key in a sliding window (per process)."""

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
    """Check a password login; failures are counted and audited, so the caller must commit.

    Does not raise for bad credentials (the failure count has to be committed); call
    LoginOutcome.raise_for_failure() after the commit.
    """
    moment = now or utcnow()
    if limiter is not None:
        wait = limiter.hit(client or "?")
        if wait:
            return LoginOutcome("rate_limited", retry_after=wait)
    anonymous = Principal(user_id=None, role=Role.PUBLIC)
    user = session.scalars(
        select(User).where(User.username == normalise_username(username)).with_for_update()
    ).one_or_none()
    if user is None or not user.active or user.password_hash is None:
        _dummy_verify(hasher, password)
        # The typed user name is not recorded: people type passwords into that field.
        audit.record(session, anonymous, "auth.login_failed", "user", details={"known": False})
        return LoginOutcome("invalid")
    actor = principal_for(user)
    if user.locked_until is not None and user.locked_until > moment:
        _dummy_verify(hasher, password)
        audit.record(session, actor, "auth.login_refused_locked", "user", user.id)
        return LoginOutcome("locked", retry_after=_seconds_until(user.locked_until, moment))
    try:
        hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, InvalidHashError):
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
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    audit.record(session, actor, "auth.login", "user", user.id)
    return LoginOutcome("ok", principal=actor)


def _seconds_until(until: dt.datetime, moment: dt.datetime) -> int:
    return max(1, int((until - moment).total_seconds()))


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DataError(f"Salasanassa on oltava vähintään {MIN_PASSWORD_LENGTH} merkkiä.")


def _checked_account(
    session: Session, *, username: str, role: Role, county: str | None, vocab: Vocabulary
) -> tuple[str, Role, str | None]:
    """The normalised user name, role and home county of a new account, or a clear error."""
    role = Role(role)
    home = vocab.check_county(county) if county else None
    if role in (Role.WORKER, Role.COORDINATOR) and home is None:
        raise DataError(f"Roolille '{role.label()}' on annettava kotihyvinvointialue (HVA##).")
    if role is Role.NATIONAL_ADMIN and home is not None:
        raise DataError(
            "Valtakunnallisella ylläpitäjällä ei ole kotialuetta; jätä hyvinvointialue pois."
        )
    if role is Role.PUBLIC:
        raise DataError(
            "Julkiselle käytölle ei luoda tiliä; avoimet näkymät eivät vaadi kirjautumista."
        )
    name = normalise_username(username)
    if not name or len(name) > 100:
        raise DataError("Käyttäjätunnus ei kelpaa: odotettiin 1–100 merkkiä.")
    if session.scalar(select(func.count()).select_from(User).where(User.username == name)):
        raise ConflictError(f"Käyttäjätunnus '{name}' on jo käytössä.")
    return name, role, home


def _insert_user(
    session: Session,
    actor: Principal,
    *,
    name: str,
    display_name: str,
    role: Role,
    home: str | None,
    password: str | None,
    oidc_subject: str | None,
    hasher: PasswordHasher,
    action: str,
) -> User:
    if password is not None:
        _check_password(password)
    subject = (oidc_subject or "").strip() or None
    if subject is not None and session.scalar(
        select(func.count()).select_from(User).where(User.oidc_subject == subject)
    ):
        raise ConflictError("Tämä OpenID Connect -tunniste on jo liitetty toiseen tiliin.")
    user = User(
        username=name,
        display_name=display_name.strip() or name,
        password_hash=None if password is None else hasher.hash(password),
        oidc_subject=subject,
        role=role,
        county_code=home,
        active=True,
        failed_logins=0,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor,
        action,
        "user",
        user.id,
        county=home,
        details={"role": role.value, "oidc": subject is not None},
    )
    return user


def create_user(
    session: Session,
    principal: Principal,
    *,
    username: str,
    display_name: str,
    role: Role,
    county: str | None,
    password: str | None,
    hasher: PasswordHasher,
    vocab: Vocabulary,
    oidc_subject: str | None = None,
) -> User:
    """Create an account; national admins create any, coordinators workers of their county."""
    name, role, home = _checked_account(
        session, username=username, role=role, county=county, vocab=vocab
    )
    policy.require(
        policy.can_create_user(principal, role, home),
        "Vain valtakunnallinen ylläpitäjä tai oman alueen koordinaattori voi luoda tämän tilin.",
    )
    return _insert_user(
        session,
        principal,
        name=name,
        display_name=display_name,
        role=role,
        home=home,
        password=password,
        oidc_subject=oidc_subject,
        hasher=hasher,
        action="user.create",
    )


def create_user_from_console(
    session: Session,
    *,
    username: str,
    display_name: str,
    role: Role,
    county: str | None,
    password: str | None,
    hasher: PasswordHasher,
    vocab: Vocabulary,
    oidc_subject: str | None = None,
) -> User:
    """Create any account from the server's command line (whoever runs it administers the host).

    The audit trail records the act as done by the system (no user id).
    """
    name, role, home = _checked_account(
        session, username=username, role=role, county=county, vocab=vocab
    )
    if password is None and not (oidc_subject or "").strip():
        raise DataError("Anna tilille salasana tai OpenID Connect -tunniste (--oidc-subject).")
    return _insert_user(
        session,
        SYSTEM,
        name=name,
        display_name=display_name,
        role=role,
        home=home,
        password=password,
        oidc_subject=oidc_subject,
        hasher=hasher,
        action="user.create_console",
    )


def list_users(session: Session) -> Sequence[User]:
    """Every account, by home county and user name (for the administrators' command line)."""
    return session.scalars(select(User).order_by(User.county_code, User.username)).all()


def find_user(session: Session, username: str) -> User | None:
    """The account with this user name, if any."""
    return session.scalars(
        select(User).where(User.username == normalise_username(username))
    ).one_or_none()


def reset_password_from_console(
    session: Session, user: User, new_password: str, *, hasher: PasswordHasher
) -> None:
    """Set a new password from the server's command line and unlock the account."""
    _check_password(new_password)
    user.password_hash = hasher.hash(new_password)
    user.failed_logins = 0
    user.locked_until = None
    audit.record(
        session, SYSTEM, "user.set_password_console", "user", user.id, county=user.county_code
    )


def set_password(
    session: Session,
    principal: Principal,
    user_id: int,
    new_password: str,
    *,
    hasher: PasswordHasher,
) -> None:
    """Change a password: one's own, or anyone's for a national admin. Unlocks the account."""
    user = session.get(User, user_id)
    if user is None:
        raise RecordNotFound("käyttäjä", user_id)
    policy.require(
        principal.user_id == user.id or principal.role is Role.NATIONAL_ADMIN,
        "Toisen käyttäjän salasanan voi vaihtaa vain valtakunnallinen ylläpitäjä.",
    )
    _check_password(new_password)
    user.password_hash = hasher.hash(new_password)
    user.failed_logins = 0
    user.locked_until = None
    audit.record(session, principal, "user.set_password", "user", user.id, county=user.county_code)


def deactivate_user(session: Session, principal: Principal, user_id: int) -> None:
    """Close an account (rows stay for the record); same rule as creating it."""
    user = session.get(User, user_id)
    if user is None:
        raise RecordNotFound("käyttäjä", user_id)
    policy.require(
        policy.can_create_user(principal, user.role, user.county_code),
        "Vain valtakunnallinen ylläpitäjä tai oman alueen koordinaattori voi sulkea tämän tilin.",
    )
    user.active = False
    audit.record(session, principal, "user.deactivate", "user", user.id, county=user.county_code)


def bootstrap_admin(
    session: Session, *, username: str, display_name: str, password: str, hasher: PasswordHasher
) -> User:
    """Create the first national admin of an empty store (for the setup command, not a route)."""
    admins = session.scalar(
        select(func.count()).select_from(User).where(User.role == Role.NATIONAL_ADMIN)
    )
    if admins:
        raise ConflictError(
            "Valtakunnallinen ylläpitäjä on jo olemassa; uudet tilit luodaan ylläpitäjänä."
        )
    _check_password(password)
    user = User(
        username=normalise_username(username),
        display_name=display_name.strip() or username,
        password_hash=hasher.hash(password),
        role=Role.NATIONAL_ADMIN,
        county_code=None,
        active=True,
        failed_logins=0,
    )
    session.add(user)
    session.flush()
    audit.record(session, SYSTEM, "user.bootstrap_admin", "user", user.id)
    return user
