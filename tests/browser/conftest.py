"""One uvicorn server on a free loopback port for the session (Chromium: tests/conftest.py)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from raketieto.settings import Settings

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def served_app(demo_settings: Settings) -> Any:
    """The app the browser tests' server serves (tests may set its state, e.g. the date)."""
    from raketieto.web.app import create_app

    return create_app(demo_settings)


@pytest.fixture(scope="session")
def base_url(served_app: Any) -> Iterator[str]:
    """The app on the demo cube, served by uvicorn in a thread."""
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(served_app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    """A fresh page (own context) whose relative URLs go to the app."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    one = context.new_page()
    yield one
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """The folder for screenshots (gitignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
