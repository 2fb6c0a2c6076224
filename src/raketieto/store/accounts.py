"""Local accounts: argon2 password hashes, principals and user admin (login: store/login.py)."""

from __future__ import annotations

from collections.abc import Sequence

from argon2 import PasswordHasher
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from raketieto.errors import DataError
from raketieto.store import audit, policy
from raketieto.store.enums import Role
from raketieto.store.errors import (
    AuthenticationFailed,
    ConflictError,
    RecordNotFound,
)
from raketieto.store.models import User
from raketieto.store.principal import Principal
from raketieto.store.vocabulary import Vocabulary

MIN_PASSWORD_LENGTH = 12
#: Who the audit trail names for acts from the server's command line: no user, no county.
SYSTEM = Principal(user_id=None, role=Role.PUBLIC)


def make_password_hasher(
    *, time_cost: int = 3, memory_cost: int = 65536, parallelism: int = 4
) -> PasswordHasher:
    """An argon2id hasher; the defaults are argon2-cffi's RFC 9106 low-memory profile."""
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


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
