"""Shared fixtures and the switches that turn skips of optional parts into failures in CI."""

from __future__ import annotations

import functools
import os
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from raketieto.settings import Settings

REQUIRE = {
    "postgres": "RAKETIETO_REQUIRE_POSTGRES",
    "browser": "RAKETIETO_REQUIRE_BROWSER",
    "spark": "RAKETIETO_REQUIRE_SPARK",
}


@functools.cache
def _postgres_up() -> bool:
    # Asked once per test process, patiently: a busy machine can be slow to accept a connection,
    # and one slow answer must not skip (or, in CI, fail) a single test among the rest.
    for _ in range(3):
        try:
            with socket.create_connection(("127.0.0.1", 5432), timeout=3):
                return True
        except OSError:
            time.sleep(0.5)
    return False


def _missing(marker: str) -> str | None:
    """Why an optional part cannot run here, or None when it can."""
    if marker == "postgres" and not _postgres_up():
        return "PostgreSQL is not reachable at 127.0.0.1:5432"
    if marker == "browser" and not Path("/usr/bin/chromium").exists():
        return "Debian's Chromium is not installed at /usr/bin/chromium"
    if marker == "spark" and shutil.which("java") is None:
        return "Java (for Spark in local mode) is not on PATH"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip live tests unless asked, and optional parts loudly where they are missing."""
    live = os.environ.get("RAKETIETO_LIVE") == "1"
    for item in items:
        if "live" in item.keywords and not live:
            item.add_marker(pytest.mark.skip(reason="live API test: set RAKETIETO_LIVE=1"))
        for marker, switch in REQUIRE.items():
            why = _missing(marker) if marker in item.keywords else None
            if why is not None and os.environ.get(switch) != "1":
                item.add_marker(pytest.mark.skip(reason=f"SKIPPED LOUDLY: {why}"))


def pytest_runtest_setup(item: pytest.Item) -> None:
    """In CI (the RAKETIETO_REQUIRE_* switches) a missing optional part is a failure."""
    for marker, switch in REQUIRE.items():
        if marker in item.keywords and os.environ.get(switch) == "1":
            why = _missing(marker)
            if why is not None:
                pytest.fail(f"{switch}=1 but {why}", pytrace=False)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings pointing at a fresh data folder."""
    return Settings(data_dir=tmp_path / "var")


@pytest.fixture(scope="session")
def demo_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings whose data folder holds a freshly built demo cube, as `make demo` builds it."""
    from raketieto.catalogue import load_catalogue
    from raketieto.cube.build import build_cube
    from raketieto.pipeline.demo import demo_cube_facts
    from raketieto.regions import load_division

    built = Settings(data_dir=tmp_path_factory.mktemp("demo") / "var")
    catalogue = load_catalogue()
    division = load_division(built.division_year)
    build_cube(
        demo_cube_facts(catalogue, division), settings=built, catalogue=catalogue, division=division
    )
    return built


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium per test process, shared by every browser test.

    Playwright's sync API runs its own event loop: two of them alive in one process fail, so
    the browser must not be launched per module.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
