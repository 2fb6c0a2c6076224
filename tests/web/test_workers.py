"""`raketieto serve --workers N`: several processes share one read-only cube and all notice a
new one swapped in."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest
from typer.testing import CliRunner

from raketieto.cli.main import app
from raketieto.settings import Settings


def test_workers_run_the_app_by_its_import_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    seen: dict[str, Any] = {}

    def fake_run(application: Any, **options: Any) -> None:
        seen["app"] = application
        seen.update(options)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.setenv("RAKETIETO_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(app, ["serve", "--port", "8123", "--workers", "3"])
    assert result.exit_code == 0, result.output
    assert seen["app"] == "raketieto.cli.serve:app_from_environment"
    assert (seen["factory"], seen["workers"], seen["port"]) == (True, 3, 8123)
    bad = CliRunner().invoke(app, ["serve", "--workers", "0"])
    assert bad.exit_code == 2


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _built_at(base: str, seconds: float = 300) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            answer = httpx.get(base + "/health", timeout=5, headers={"Connection": "close"})
            if answer.status_code == 200:
                return str(answer.json()["cube_built_at"])
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{base} did not become ready")


def _swap_in_copy(settings: Settings, built_at: str) -> None:
    """A copy of the live cube with another build time, renamed over it as the builder does."""
    copy = settings.cube_path.with_name(".building-test.duckdb")
    shutil.copyfile(settings.cube_path, copy)
    with duckdb.connect(str(copy)) as connection:
        connection.execute("UPDATE meta SET value = ? WHERE key = 'built_at'", [built_at])
    os.replace(copy, settings.cube_path)


@pytest.mark.slow
def test_every_worker_serves_the_new_cube_after_a_swap(
    demo_settings: Settings, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path / "var")
    settings.cube_path.parent.mkdir(parents=True)
    shutil.copyfile(demo_settings.cube_path, settings.cube_path)
    port = _free_port()
    env = {**os.environ, "RAKETIETO_DATA_DIR": str(settings.data_dir)}
    server = subprocess.Popen(
        [sys.executable, "-m", "raketieto", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        before = _built_at(base)
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        commands = [Path(f"/proc/{c}/cmdline").read_bytes() for c in children]
        # Two worker processes under the supervisor (beside multiprocessing's resource tracker).
        assert sum(b"multiprocessing.spawn" in c for c in commands) == 2
        # Every worker must be ready before the swap, so that each has the old cube open.
        answers = {_built_at(base) for _ in range(20)}
        assert answers == {before}
        _swap_in_copy(settings, "2099-01-01T00:00:00+00:00")
        # Fresh connections spread over both workers; every answer must be the new cube's.
        answers = {_built_at(base) for _ in range(40)}
        assert answers == {"2099-01-01T00:00:00+00:00"}
        page = httpx.get(base + "/tilannekuva/SSS", timeout=30)
        assert page.status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=120)
