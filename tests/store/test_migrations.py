"""Migrations: upgrade from empty, match the models, protect the audit trail, downgrade back."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from raketieto.store import migrate
from raketieto.store.db import make_engine
from raketieto.store.enums import Role
from raketieto.store.models import AuditEntry, Base
from raketieto.store.types import utcnow

PG = [pytest.param("postgresql", marks=pytest.mark.postgres)]
ONLY_POSTGRES = pytest.mark.parametrize("database_url", PG, indirect=True)
STORE_TABLES = {t.name for t in Base.metadata.sorted_tables}


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return set(inspect(connection).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_from_empty_and_downgrade_back(empty_url: str) -> None:
    assert migrate.current_revision(empty_url) is None
    assert not _tables(empty_url) & STORE_TABLES
    migrate.upgrade(empty_url)
    assert migrate.current_revision(empty_url) == "0001"
    assert _tables(empty_url) >= STORE_TABLES
    migrate.downgrade(empty_url, "base")
    assert migrate.current_revision(empty_url) is None
    assert not _tables(empty_url) & STORE_TABLES
    migrate.upgrade(empty_url)  # and up again: the downgrade left nothing behind
    assert _tables(empty_url) >= STORE_TABLES


def test_models_match_the_migrated_schema(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "version_table": migrate.VERSION_TABLE}
        )
        assert compare_metadata(context, Base.metadata) == []


def _audit_row(session: Session) -> int:
    entry = AuditEntry(
        at=utcnow(), actor_role=Role.PUBLIC, action="test", object_type="test", details={}
    )
    session.add(entry)
    session.flush()
    return entry.id


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_entries SET action = 'forged' WHERE id = :id",
        "DELETE FROM audit_entries WHERE id = :id",
        "DELETE FROM audit_entries",
    ],
)
def test_audit_table_refuses_update_and_delete(session: Session, statement: str) -> None:
    entry_id = _audit_row(session)
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(text(statement), {"id": entry_id})
    assert session.scalar(text("SELECT action FROM audit_entries WHERE id = :id"), {"id": entry_id})


@ONLY_POSTGRES
def test_postgresql_refuses_truncate_too(session: Session) -> None:
    _audit_row(session)
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(text("TRUNCATE audit_entries"))


@pytest.mark.parametrize("empty_url", PG, indirect=True)
def test_app_role_may_append_to_but_not_change_the_audit_trail(fresh_url: str) -> None:
    role = "raketieto_test_app"
    engine = make_engine(fresh_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') "
                    f"THEN CREATE ROLE {role} NOLOGIN; END IF; END $$"
                )
            )
        migrate.grant_app_privileges(fresh_url, role)
        with engine.connect() as connection:
            connection.execute(text(f"SET ROLE {role}"))
            connection.execute(
                text(
                    "INSERT INTO audit_entries (at, actor_role, action, object_type, details) "
                    "VALUES (now(), 'public', 'test', 'test', '{}')"
                )
            )
            for statement in ("DELETE FROM audit_entries", "TRUNCATE audit_entries"):
                with (
                    pytest.raises(DBAPIError, match="permission denied"),
                    connection.begin_nested(),
                ):
                    connection.execute(text(statement))
            connection.rollback()
    finally:
        with engine.begin() as connection:
            connection.execute(text("RESET ROLE"))
        engine.dispose()
