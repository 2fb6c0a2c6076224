"""`raketieto users` and `raketieto store migrate` for administrators."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from raketieto.cli.main import app
from raketieto.settings import Settings
from raketieto.store import migrate
from raketieto.store.accounts import make_password_hasher
from raketieto.store.config import store_settings
from raketieto.store.db import make_engine, make_session_factory, transaction
from raketieto.store.login import authenticate


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"RAKETIETO_DATA_DIR": str(tmp_path / "var")}


def _login(env: dict[str, str], username: str, password: str) -> str:
    settings = Settings.from_env(env)
    engine = make_engine(settings.store_url)
    try:
        with transaction(make_session_factory(engine)) as session:
            outcome = authenticate(
                session,
                username,
                password,
                hasher=make_password_hasher(),
                settings=store_settings(settings),
            )
        return outcome.result
    finally:
        engine.dispose()


def test_store_migrate_creates_the_tables(env: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["store", "migrate"], env=env)
    assert result.exit_code == 0, result.output
    assert migrate.current_revision(Settings.from_env(env).store_url) == migrate.head_revision()


def test_users_add_asks_the_password_twice_and_list_shows_the_account(
    env: dict[str, str],
) -> None:
    runner = CliRunner()
    args = ["users", "add", "--username", "Koordi", "--role", "coordinator"]
    result = runner.invoke(
        app,
        [*args, "--county", "Pohjois-Savo"],
        input="hyva-salasana-123\nhyva-salasana-123\n",
        env=env,
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("Salasana") >= 2
    assert _login(env, "koordi", "hyva-salasana-123") == "ok"
    listed = runner.invoke(app, ["users", "list"], env=env)
    assert "koordi" in listed.output and "HVA13" in listed.output


def test_users_add_refuses_mismatched_passwords_and_bad_roles(env: dict[str, str]) -> None:
    runner = CliRunner()
    mismatch = runner.invoke(
        app,
        ["users", "add", "--username", "w", "--role", "worker", "--county", "HVA13"],
        input="eka-salasana-123\ntoka-salasana-123\neka-salasana-123\neka-salasana-123\n",
        env=env,
    )
    assert mismatch.exit_code == 0, mismatch.output
    assert _login(env, "w", "eka-salasana-123") == "ok"
    bad = runner.invoke(app, ["users", "add", "--username", "x", "--role", "boss"], env=env)
    assert bad.exit_code != 0 and "boss" in (bad.output + str(bad.exception))


def test_users_demo_prints_two_working_passwords_once(env: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["users", "demo"], env=env)
    assert result.exit_code == 0, result.output
    rows = re.findall(r"(demo-\w+)\s+│\s+\S+\s+│\s+(\S+)", result.output)
    assert {name for name, _ in rows} == {"demo-tyontekija", "demo-koordinaattori"}
    for name, password in rows:
        assert _login(env, name, password) == "ok"
