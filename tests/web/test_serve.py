"""`raketieto serve` starts uvicorn on the settings' host and port with the web app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from typer.testing import CliRunner

from raketieto.cli.main import app


def test_serve_runs_the_app_on_the_configured_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    seen: dict[str, Any] = {}

    def fake_run(application: Any, **options: Any) -> None:
        seen["app"] = application
        seen.update(options)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.setenv("RAKETIETO_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RAKETIETO_HOST", "127.0.0.2")
    result = CliRunner().invoke(app, ["serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert isinstance(seen["app"], FastAPI)
    assert (seen["host"], seen["port"]) == ("127.0.0.2", 8123)
