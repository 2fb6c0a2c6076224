"""Engine and session factory for the operational store, built explicitly (never at import)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

from raketieto.errors import RaketietoError

SUPPORTED_BACKENDS = ("sqlite", "postgresql")


def backend_of(url: str | URL) -> str:
    """'sqlite' or 'postgresql' for a database URL; anything else is refused."""
    parsed = make_url(url) if isinstance(url, str) else url
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise RaketietoError(
            f"Tietokannan osoite '{parsed.render_as_string(hide_password=True)}' ei kelpaa: "
            "odotettiin sqlite:///polku tai postgresql+psycopg://käyttäjä@palvelin/tietokanta."
        )
    return backend


def make_engine(url: str | URL, *, pool_size: int = 5, echo: bool = False) -> Engine:
    """An engine for SQLite (file or memory) or PostgreSQL (psycopg 3), configured for the store."""
    parsed = make_url(url) if isinstance(url, str) else url
    if backend_of(parsed) == "sqlite":
        return _sqlite_engine(parsed, echo=echo)
    return create_engine(
        parsed, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True, echo=echo
    )


def _sqlite_engine(url: URL, *, echo: bool) -> Engine:
    database = url.database or ""
    in_memory = database in ("", ":memory:")
    if not in_memory:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    connect_args: dict[str, Any] = {"check_same_thread": False, "timeout": 30}
    engine = create_engine(url, connect_args=connect_args, echo=echo)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the sqlite3 module so that SAVEPOINT, transactional
        # DDL and the BEGIN below behave as on PostgreSQL.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 30000")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front: concurrent writers wait on busy_timeout
        # instead of failing when a read lock cannot be upgraded.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory whose objects stay readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on any error."""
    with factory() as session, session.begin():
        yield session
