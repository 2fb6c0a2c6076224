"""What the reporting pages share within one app: the store's engine, vocabulary and guards."""

from __future__ import annotations

import logging
import threading
import time
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import httpx
import jinja2
from argon2 import PasswordHasher
from sqlalchemy import Engine, event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from raketieto.catalogue import Catalogue
from raketieto.errors import RaketietoError
from raketieto.regions import Division
from raketieto.settings import Settings
from raketieto.store import migrate
from raketieto.store.accounts import make_password_hasher
from raketieto.store.config import StoreSettings, store_settings
from raketieto.store.db import backend_of, make_engine, make_session_factory
from raketieto.store.hashing import HashPool
from raketieto.store.login import LoginGuard
from raketieto.store.vocabulary import Vocabulary
from raketieto.web.i18n import Translations
from raketieto.web.reporting.public_cache import PublicCache
from raketieto.web.reporting.security import SessionSigner, load_secret_key

if TYPE_CHECKING:
    from raketieto.web.reporting.oidc import OidcClient

log = logging.getLogger(__name__)
RECHECK_SECONDS = 5.0


class StateLike(Protocol):
    """The parts of raketieto.web.state.AppState the reporting pages use."""

    settings: Settings
    catalogue: Catalogue
    division: Division
    translations: Translations
    templates: jinja2.Environment


@dataclass
class ReportingServices:
    """The store, the reference vocabulary, password hashing (in its own bounded pool), login
    guards and cookie signing."""

    settings: Settings
    store: StoreSettings
    engine: Engine
    factory: sessionmaker[Session]
    vocab: Vocabulary
    hasher: PasswordHasher
    limiter: LoginGuard
    signer: SessionSigner
    hash_pool: HashPool = field(default_factory=HashPool)
    #: Pages of refused logins by (language, status, message, query), rendered once.
    refusals: dict[tuple[str, int, str, str], bytes] = field(default_factory=dict)
    oidc: OidcClient | None = None
    problem: str | None = None
    public: PublicCache = field(default_factory=PublicCache)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _checked_at: float = field(default_factory=time.monotonic, repr=False)

    def require_ready(self) -> None:
        """Raise a clear error when the store cannot be used (e.g. down or not migrated).

        A problem is looked at again every RECHECK_SECONDS, so that a database that comes up
        or is migrated after the app started is noticed without a restart.
        """
        if self.problem is None:
            return
        with self._lock:
            now = time.monotonic()
            if self.problem is not None and now - self._checked_at >= RECHECK_SECONDS:
                self._checked_at = now
                self.problem = _check_schema(self.store.database_url)
            problem = self.problem
        if problem is not None:
            raise StoreUnavailable(problem)


class Unavailable(RaketietoError):
    """Something the page needs is not available just now (HTTP 503)."""


class StoreUnavailable(Unavailable):
    """The operational store is not reachable or not migrated (HTTP 503)."""


def _check_schema(url: str) -> str | None:
    """Bring an embedded SQLite store up to date; a PostgreSQL one must be migrated by its admin."""
    try:
        if backend_of(url) == "sqlite":
            migrate.upgrade(url)
            return None
        if migrate.current_revision(url) != migrate.head_revision():
            return (
                "Raportoinnin tietokanta ei ole ajan tasalla; ylläpitäjän on ajettava "
                "'raketieto store migrate'."
            )
    except SQLAlchemyError as error:
        log.warning("operational store unavailable: %s", type(error).__name__)
        return "Raportoinnin tietokantaan ei saada yhteyttä; yritä hetken kuluttua uudelleen."
    return None


def build_services(
    state: StateLike,
    *,
    hasher: PasswordHasher | None = None,
    oidc_transport: httpx.BaseTransport | None = None,
) -> ReportingServices:
    """Open the store named by the settings and prepare the guards (once per app)."""
    from raketieto.web.reporting.oidc import make_oidc_client

    settings = state.settings
    store = store_settings(settings)
    engine = make_engine(store.database_url, pool_size=store.pool_size)
    factory = make_session_factory(engine)
    public = PublicCache()
    # Any commit through this app may change what the public sees: drop the kept answers.
    event.listen(factory, "after_commit", lambda _session: public.invalidate())
    return ReportingServices(
        settings=settings,
        store=store,
        engine=engine,
        factory=factory,
        public=public,
        vocab=Vocabulary.from_sources(state.catalogue, state.division),
        hasher=hasher or make_password_hasher(),
        limiter=LoginGuard(settings.login_attempts_per_minute, settings.login_attempts_per_minute),
        hash_pool=HashPool(settings.password_hash_workers, settings.password_hash_queue),
        signer=SessionSigner(load_secret_key(settings)),
        oidc=make_oidc_client(settings, oidc_transport),
        problem=_check_schema(store.database_url),
    )


_registry: dict[int, tuple[weakref.ref[object], ReportingServices]] = {}
_registry_lock = threading.Lock()


def services_for(state: StateLike) -> ReportingServices:
    """The services of one app state, built on first use and kept while the state lives."""
    key = id(state)
    with _registry_lock:
        found = _registry.get(key)
        if found is not None and found[0]() is state:
            return found[1]
        services = build_services(state)
        _registry[key] = (weakref.ref(state), services)
        weakref.finalize(state, _forget, key, services.engine, services.hash_pool)
        return services


def existing_services(state: StateLike) -> ReportingServices | None:
    """The services of state if they have been built, without building them."""
    with _registry_lock:
        found = _registry.get(id(state))
    if found is not None and found[0]() is state:
        return found[1]
    return None


def register_services(state: StateLike, services: ReportingServices) -> None:
    """Use services for state (tests build them with a cheap hasher)."""
    with _registry_lock:
        _registry[id(state)] = (weakref.ref(state), services)
        weakref.finalize(state, _forget, id(state), services.engine, services.hash_pool)


def _forget(key: int, engine: Engine, pool: HashPool) -> None:
    with _registry_lock:
        _registry.pop(key, None)
    engine.dispose()
    pool.shutdown(wait=False)
