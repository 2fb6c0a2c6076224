"""Alembic environment: migrate.py hands in an open connection; no alembic.ini is read."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from raketieto.store.migrate import VERSION_TABLE
from raketieto.store.models import Base


def run() -> None:
    """Run the requested migrations on the connection migrate.py passed in."""
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError("run migrations through raketieto.store.migrate, not the alembic CLI")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        version_table=VERSION_TABLE,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
