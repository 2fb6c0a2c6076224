"""Settings of the operational store, built explicitly from Settings and the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field

from raketieto.settings import Settings

DATABASE_URL_ENV = "RAKETIETO_DATABASE_URL"


class StoreSettings(BaseModel):
    """Which database holds the operational store and how logins are guarded."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    database_url: str = Field(
        description="SQLAlchemy URL: sqlite:///path or postgresql+psycopg://user@host/db."
    )
    login_max_failures: int = Field(
        default=5, ge=1, description="Failed logins in a row that lock an account."
    )
    lockout_seconds: int = Field(
        default=15 * 60, ge=1, description="How long a locked account stays locked."
    )
    login_attempts_per_minute: int = Field(
        default=10, ge=1, description="Login attempts one client may make in a minute."
    )
    pool_size: int = Field(default=5, ge=1, description="Connections kept open (PostgreSQL).")


def default_database_url(settings: Settings) -> str:
    """The embedded default: a SQLite file in the data folder."""
    path = (settings.data_dir / "raketieto.sqlite3").resolve()
    return f"sqlite:///{path}"


def store_settings(
    settings: Settings, environ: Mapping[str, str] | None = None, **overrides: object
) -> StoreSettings:
    """Store settings from Settings, RAKETIETO_DATABASE_URL and explicit overrides."""
    env = os.environ if environ is None else environ
    values: dict[str, object] = {"database_url": default_database_url(settings)}
    if env.get(DATABASE_URL_ENV):
        values["database_url"] = env[DATABASE_URL_ENV]
    values.update({k: v for k, v in overrides.items() if v is not None})
    return StoreSettings.model_validate(values)
