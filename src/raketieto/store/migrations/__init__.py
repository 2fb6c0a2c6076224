"""Alembic migrations of the operational store, run through raketieto.store.migrate."""
