"""The one Settings object. Built explicitly by the entry points, never at import."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from raketieto.errors import RaketietoError

Language = Literal["fi", "sv", "en"]


class Settings(BaseModel):
    """Where things live and how the service behaves; see docs/settings.md."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    data_dir: Path = Field(default=Path("var"), description="Folder for the cube and caches.")
    catalogue_dir: Path | None = Field(
        default=None, description="Folder of catalogue YAML; None uses the shipped catalogue."
    )
    division_year: int | None = Field(
        default=None, description="Regional division the cube uses; None means the newest shipped."
    )
    language: Language = Field(default="fi", description="Default language of messages.")
    engine: Literal["duckdb", "spark"] = Field(
        default="duckdb", description="Engine for client-data aggregation."
    )
    database_url: str | None = Field(
        default=None,
        description="Operational store: sqlite:///path or postgresql+psycopg://user@host/db; "
        "None uses a SQLite file in data_dir.",
    )
    host: str = Field(default="127.0.0.1", description="Address the web service listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port of the web service.")
    secret_key: str | None = Field(
        default=None,
        description="Key that signs session cookies and CSRF tokens; None makes a random key "
        "in data_dir on first start.",
    )
    secure_cookies: bool = Field(
        default=False, description="Send cookies only over HTTPS (set true in production)."
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
    oidc_issuer: str | None = Field(
        default=None, description="OpenID Connect issuer URL; None disables OIDC login."
    )
    oidc_client_id: str | None = Field(default=None, description="OpenID Connect client id.")
    oidc_client_secret: str | None = Field(
        default=None, description="OpenID Connect client secret."
    )
    api_requests_per_minute: int = Field(
        default=600, ge=1, description="API requests one client may make in a minute (429 after)."
    )
    fetch_requests_per_second: float = Field(
        default=2.0, gt=0, description="Politeness limit for requests to open-data APIs."
    )
    password_hash_workers: int = Field(
        default=1, ge=1, le=64, description="Threads that check passwords (argon2), apart."
    )
    password_hash_queue: int = Field(
        default=8, ge=0, le=10_000, description="Logins that may wait for a hashing thread (503)."
    )
    forwarded_allow_ips: str = Field(
        default="",
        description="Reverse proxies (addresses or networks, comma-separated, '*' any) whose "
        "X-Forwarded-Proto is believed; empty believes none.",
    )

    @field_validator("forwarded_allow_ips")
    @classmethod
    def _proxies(cls, value: str) -> str:
        for entry in (e.strip() for e in value.split(",")):
            if entry and entry != "*":
                try:
                    ipaddress.ip_network(entry, strict=False)
                except ValueError:
                    raise ValueError(
                        f"'{entry}' is not an address or network (e.g. 10.0.0.5, 10.1.0.0/16, *)"
                    ) from None
        return value

    @property
    def cube_path(self) -> Path:
        """The cube file that readers open."""
        return self.data_dir / "cube" / "current.duckdb"

    @property
    def cache_dir(self) -> Path:
        """Raw responses of open-data sources, kept so that a rebuild needs no network."""
        return self.data_dir / "cache"

    @property
    def store_url(self) -> str:
        """The operational store's SQLAlchemy URL (SQLite in data_dir unless set)."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'raketieto.sqlite3').resolve()}"

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, overrides: Mapping[str, object] | None = None
    ) -> Settings:
        """Build settings from RAKETIETO_* environment variables, then explicit overrides."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for name in cls.model_fields:
            key = f"RAKETIETO_{name.upper()}"
            if key in env and env[key] != "":
                values[name] = env[key]
        values.update({k: v for k, v in (overrides or {}).items() if v is not None})
        try:
            return cls.model_validate(values)
        except ValidationError as error:
            first = error.errors()[0]
            name = str(first["loc"][0]) if first["loc"] else "?"
            shown = f"RAKETIETO_{name.upper()}={values.get(name)!r}"
            raise RaketietoError(f"Virheellinen asetus {shown}: {first['msg']}.") from None
