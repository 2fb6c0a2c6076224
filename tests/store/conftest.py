"""Fixtures of the store tests: every database test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from raketieto.regions import load_division
from raketieto.store import migrate
from raketieto.store.accounts import bootstrap_admin, create_user, make_password_hasher
from raketieto.store.db import make_engine
from raketieto.store.enums import Role
from raketieto.store.models import User
from raketieto.store.principal import Principal
from raketieto.store.vocabulary import Vocabulary

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]

OWN = "HVA09"
OTHER = "HVA10"
PASSWORD = "oikein-hyva-salasana"


def _new_database(backend: str, folder: Path) -> tuple[str, str | None]:
    """A URL of an empty database, and the PostgreSQL schema to drop afterwards."""
    if backend == "sqlite":
        return f"sqlite:///{folder / 'store.sqlite3'}", None
    schema = f"store_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    return f"{POSTGRES_URL}?options=-csearch_path%3D{schema}", schema


def _drop(schema: str | None) -> None:
    if schema is None:
        return
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated database shared by this test session (one SQLite file / one PG schema)."""
    url, schema = _new_database(request.param, tmp_path_factory.mktemp("store"))
    try:
        migrate.upgrade(url)
        yield url
    finally:
        _drop(schema)


@pytest.fixture(params=BACKENDS)
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A brand-new empty database for one test (migrations, commits, concurrency)."""
    url, schema = _new_database(request.param, tmp_path)
    try:
        yield url
    finally:
        _drop(schema)


@pytest.fixture
def fresh_url(empty_url: str) -> str:
    """A brand-new migrated database for one test."""
    migrate.upgrade(empty_url)
    return empty_url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """The shared database's engine."""
    made = make_engine(database_url)
    yield made
    made.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test, keeping the shared database clean."""
    connection = engine.connect()
    outer = connection.begin()
    made = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield made
    finally:
        made.close()
        outer.rollback()
        connection.close()


@pytest.fixture(scope="session")
def hasher() -> PasswordHasher:
    """A deliberately cheap argon2 hasher: the tests check behaviour, not hash strength."""
    return make_password_hasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(scope="session")
def vocab() -> Vocabulary:
    """Phenomena and indicators like the catalogue's, and the real 2026 regional division."""
    return Vocabulary.build(
        phenomena=["asunnottomuus", "mielenterveys", "paihteet-ja-riippuvuudet"],
        indicators=["homeless-single-per-1000", "social-assistance-long-term-pct"],
        division=load_division(2026),
    )


def municipality_of(vocab: Vocabulary, county: str) -> str:
    """Some municipality of county."""
    return min(code for code, c in vocab.county_of.items() if c == county and code.startswith("KU"))


@dataclass
class People:
    """A national admin and, in each of two counties, a coordinator and two workers."""

    admin: Principal
    coordinator: Principal
    worker: Principal
    colleague: Principal
    other_coordinator: Principal
    other_worker: Principal

    def by_name(self, name: str) -> Principal:
        """One of the principals by attribute name."""
        principal: Principal = getattr(self, name)
        return principal


def as_principal(user: User) -> Principal:
    """The principal of a user."""
    return Principal(user_id=user.id, role=user.role, county=user.county_code)


def make_people(session: Session, hasher: PasswordHasher, vocab: Vocabulary, tag: str) -> People:
    """Create the accounts of People with user names ending in tag."""
    admin_user = bootstrap_admin(
        session,
        username=f"admin-{tag}",
        display_name="Ylläpitäjä",
        password=PASSWORD,
        hasher=hasher,
    )
    admin = as_principal(admin_user)

    def user(name: str, role: Role, county: str) -> Principal:
        made = create_user(
            session,
            admin,
            username=f"{name}-{tag}",
            display_name=name,
            role=role,
            county=county,
            password=PASSWORD,
            hasher=hasher,
            vocab=vocab,
        )
        return as_principal(made)

    return People(
        admin=admin,
        coordinator=user("koordinaattori", Role.COORDINATOR, OWN),
        worker=user("tyontekija", Role.WORKER, OWN),
        colleague=user("kollega", Role.WORKER, OWN),
        other_coordinator=user("muu-koordinaattori", Role.COORDINATOR, OTHER),
        other_worker=user("muu-tyontekija", Role.WORKER, OTHER),
    )


@pytest.fixture
def people(session: Session, hasher: PasswordHasher, vocab: Vocabulary) -> People:
    """The standard cast, in the rolled-back test session."""
    return make_people(session, hasher, vocab, "t")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Show the identifier corpus rates (recorded by the corpus test) in the run's summary."""
    lines = {
        str(value)
        for key in ("passed", "failed")
        for report in terminalreporter.stats.get(key, [])
        for name, value in getattr(report, "user_properties", [])
        if name == "identifier_corpus"
    }
    for line in sorted(lines):
        terminalreporter.write_line(line)
