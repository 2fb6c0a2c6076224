"""A refresh killed mid-write (SIGKILL) leaves the previous cube valid, with all its data."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from raketieto.settings import Settings
from tests.sources.conftest import install_sotkanet, install_statfin
from tests.sources.fakeserver import running

ROOT = Path(__file__).resolve().parents[2]


def _facts(path: Path) -> list[tuple[object, ...]]:
    connection = duckdb.connect(str(path), read_only=True)
    try:
        return connection.execute("SELECT * FROM facts ORDER BY ALL").fetchall()
    finally:
        connection.close()


def _start(base: str, data_dir: Path, pause: float) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")])}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.sources.refresh_child", base, str(data_dir), str(pause)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(process: subprocess.Popen[str], marker: str, limit: float = 60.0) -> bool:
    """Read the child's lines until marker; False if it ended without printing it."""
    assert process.stdout is not None
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            return False
        if line.strip() == marker:
            return True
    return False


def _kill(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()


@pytest.mark.slow
def test_killed_mid_write_leaves_the_previous_cube(built_cube: Path, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "var")
    settings.cube_path.parent.mkdir(parents=True)
    shutil.copyfile(built_cube, settings.cube_path)
    before = _facts(settings.cube_path)
    with running() as server:
        install_sotkanet(server)
        install_statfin(server)
        process = _start(server.url, settings.data_dir, pause=2.0)
        # STEP 2 comes after the schema and the first rows: the new file is half written.
        reached = _wait_for(process, "STEP 2")
        _kill(process)
    assert reached, "the child refresh never started writing the new cube"
    assert process.returncode == -signal.SIGKILL
    assert list(settings.cube_path.parent.glob(".building-*")), "no half-written build to survive"
    assert _facts(settings.cube_path) == before


@pytest.mark.slow
def test_killed_at_random_moments_leaves_a_valid_cube(built_cube: Path, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "var")
    settings.cube_path.parent.mkdir(parents=True)
    shutil.copyfile(built_cube, settings.cube_path)
    before = _facts(settings.cube_path)
    chance = random.Random(20250301)
    with running() as server:
        install_sotkanet(server)
        install_statfin(server)
        for _ in range(3):
            process = _start(server.url, settings.data_dir, pause=0.05)
            _wait_for(process, "START")
            time.sleep(chance.uniform(0.0, 1.5))
            _kill(process)
            # Whatever moment it died at, the live cube is the old one or a whole new one.
            after = _facts(settings.cube_path)
            assert after == before or [row[:5] for row in after] == [row[:5] for row in before]
