"""The store's view of the one Settings object: which database, and how logins are guarded.

Nothing here reads the environment: Settings.from_env already maps RAKETIETO_DATABASE_URL and
the login settings, and entry points build Settings explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from raketieto.settings import Settings

#: Connections an app process keeps open to PostgreSQL (and as many more at peak).
DEFAULT_POOL_SIZE = 5


@dataclass(frozen=True)
class StoreSettings:
    """The store-related fields of Settings, resolved (the database URL is never None here)."""

    database_url: str
    login_max_failures: int = 5
    lockout_seconds: int = 15 * 60
    login_attempts_per_minute: int = 10
    pool_size: int = DEFAULT_POOL_SIZE


def store_settings(
    settings: Settings, *, database_url: str | None = None, pool_size: int | None = None
) -> StoreSettings:
    """The store settings taken from Settings; database_url and pool_size may be overridden."""
    built = StoreSettings(
        database_url=settings.store_url,
        login_max_failures=settings.login_max_failures,
        lockout_seconds=settings.lockout_seconds,
        login_attempts_per_minute=settings.login_attempts_per_minute,
    )
    if database_url is not None:
        built = replace(built, database_url=database_url)
    if pool_size is not None:
        built = replace(built, pool_size=pool_size)
    return built
