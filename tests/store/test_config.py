"""Store settings and engines: one setting picks the database, nothing happens at import."""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import raketieto.store
from raketieto.errors import RaketietoError
from raketieto.settings import Settings
from raketieto.store.config import store_settings
from raketieto.store.db import backend_of, make_engine


def test_default_is_a_sqlite_file_in_the_data_folder(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "var")
    url = store_settings(settings).database_url
    assert url == f"sqlite:///{(tmp_path / 'var' / 'raketieto.sqlite3').resolve()}"
    assert backend_of(url) == "sqlite"


def test_the_environment_reaches_the_store_through_settings(tmp_path: Path) -> None:
    pg = "postgresql+psycopg://app@db.example/raketieto"
    env = {
        "RAKETIETO_DATA_DIR": str(tmp_path),
        "RAKETIETO_DATABASE_URL": pg,
        "RAKETIETO_LOGIN_MAX_FAILURES": "3",
        "RAKETIETO_LOCKOUT_SECONDS": "120",
        "RAKETIETO_LOGIN_ATTEMPTS_PER_MINUTE": "7",
    }
    built = store_settings(Settings.from_env(env))
    assert built.database_url == pg
    assert backend_of(built.database_url) == "postgresql"
    assert (built.login_max_failures, built.lockout_seconds) == (3, 120)
    assert built.login_attempts_per_minute == 7


def test_the_store_does_not_read_the_environment_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAKETIETO_DATABASE_URL", "sqlite:///elsewhere.db")
    built = store_settings(Settings(data_dir=tmp_path))
    assert built.database_url == Settings(data_dir=tmp_path).store_url


def test_explicit_override_wins_over_settings(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url="sqlite:///a.db")
    built = store_settings(settings, database_url="sqlite:///b.db", pool_size=2)
    assert (built.database_url, built.pool_size) == ("sqlite:///b.db", 2)


def test_unsupported_database_is_refused_in_one_sentence() -> None:
    with pytest.raises(RaketietoError, match="mysql"):
        backend_of("mysql://root@localhost/x")


def test_sqlite_engine_creates_its_folder_only_when_built(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "er" / "store.sqlite3"
    url = f"sqlite:///{target}"
    assert not target.parent.exists()
    engine = make_engine(url)
    assert target.parent.is_dir()
    engine.dispose()


def test_importing_the_store_touches_nothing(tmp_path: Path) -> None:
    names = [
        m.name
        for m in pkgutil.walk_packages(raketieto.store.__path__, "raketieto.store.")
        if not m.name.endswith(".env") and ".versions." not in m.name
    ]
    code = "import importlib\n" + "".join(f"importlib.import_module({n!r})\n" for n in names)
    env = {**os.environ, "RAKETIETO_DATABASE_URL": f"sqlite:///{tmp_path / 'nope.sqlite3'}"}
    subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, check=True)
    assert len(names) > 10
    assert list(tmp_path.iterdir()) == []
