"""Run the store's Alembic migrations from code: no alembic.ini, no command line needed."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.engine import URL

from raketieto.errors import RaketietoError
from raketieto.store.db import backend_of, make_engine

VERSION_TABLE = "raketieto_store_version"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"

#: Tables the application may only read and append to.
APPEND_ONLY_TABLES = ("audit_entries",)


def _config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def upgrade(url: str | URL, revision: str = "head") -> None:
    """Bring the database at url up to revision (default: the newest)."""
    engine = make_engine(url, pool_size=1)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), revision)
    finally:
        engine.dispose()


def downgrade(url: str | URL, revision: str = "base") -> None:
    """Take the database at url down to revision ('base' removes every store table)."""
    engine = make_engine(url, pool_size=1)
    try:
        with engine.begin() as connection:
            command.downgrade(_config(connection), revision)
    finally:
        engine.dispose()


def head_revision() -> str:
    """The newest revision the shipped migrations know."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    head = ScriptDirectory.from_config(config).get_current_head()
    if head is None:
        raise RaketietoError("Tietokannan migraatioita ei löydy asennuksesta.")
    return head


def current_revision(url: str | URL) -> str | None:
    """The revision the database at url is at, or None when it has no store tables."""
    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
            return context.get_current_revision()
    finally:
        engine.dispose()


def grant_app_privileges(url: str | URL, role: str) -> None:
    """On PostgreSQL, let role use the store but only read and append to the audit trail.

    The migrations run as the schema owner; the application connects as role. Owners can
    disable triggers, so this REVOKE is the second, independent guard of the audit trail.
    """
    if backend_of(url) != "postgresql":
        raise RaketietoError(
            "Käyttöoikeudet annetaan vain PostgreSQL-tietokannassa; "
            "SQLite-tiedostolla ei ole rooleja."
        )
    if not role.isidentifier():
        raise RaketietoError(f"Roolin nimi '{role}' ei kelpaa: odotettiin kirjaimia ja numeroita.")
    engine = make_engine(url, pool_size=1)
    try:
        with engine.begin() as connection:
            schema = connection.execute(text("SELECT current_schema()")).scalar_one()
            quoted_schema = connection.dialect.identifier_preparer.quote_schema(schema)
            quoted_role = connection.dialect.identifier_preparer.quote(role)
            connection.execute(text(f"GRANT USAGE ON SCHEMA {quoted_schema} TO {quoted_role}"))
            connection.execute(
                text(
                    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "
                    f"{quoted_schema} TO {quoted_role}"
                )
            )
            connection.execute(
                text(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {quoted_schema} TO {quoted_role}")
            )
            for table in APPEND_ONLY_TABLES:
                connection.execute(
                    text(f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {quoted_role}")
                )
    finally:
        engine.dispose()
