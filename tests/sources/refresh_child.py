"""A refresh run in its own process, so that a test can kill it mid-write (SIGKILL).

Usage: python -m tests.sources.refresh_child <base url> <data dir> <pause seconds>

Every statement the cube builder sends to DuckDB is announced on stdout ("STEP n") and followed
by a pause, so that the parent can kill the process while the new cube file is half written.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import duckdb

from raketieto.catalogue import load_catalogue
from raketieto.cube import build
from raketieto.pipeline.refresh import refresh
from raketieto.regions import load_division
from raketieto.settings import Settings
from raketieto.sources.csvfile import CsvFileSource
from raketieto.sources.http import HttpClient
from raketieto.sources.sotkanet import SotkanetSource
from raketieto.sources.statfin import StatFinSource


class _SlowConnection:
    """A DuckDB connection that pauses after every statement."""

    def __init__(self, real: duckdb.DuckDBPyConnection, pause: float) -> None:
        self._real = real
        self._pause = pause
        self._steps = 0

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        result = self._real.execute(*args, **kwargs)
        self._steps += 1
        print(f"STEP {self._steps}", flush=True)
        time.sleep(self._pause)
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


class _SlowDuckDB:
    """Stands in for the duckdb module inside the cube builder only."""

    def __init__(self, pause: float) -> None:
        self._pause = pause

    def connect(self, *args: Any, **kwargs: Any) -> _SlowConnection:
        return _SlowConnection(duckdb.connect(*args, **kwargs), self._pause)

    def __getattr__(self, name: str) -> Any:
        return getattr(duckdb, name)


def main() -> None:
    """Run one refresh against the given server into the given data folder."""
    base, data_dir, pause = sys.argv[1], Path(sys.argv[2]), float(sys.argv[3])
    build.duckdb = _SlowDuckDB(pause)  # type: ignore[assignment]
    settings = Settings(data_dir=data_dir)
    print("START", flush=True)
    report = refresh(
        settings,
        load_catalogue(),
        load_division(),
        indicator="social-assistance-recipients-pct",
        years=[2010, 2011],
        source_objects={
            "sotkanet": SotkanetSource(base + "rest/1.1/"),
            "statfin": StatFinSource(base + "statfin/"),
            "csv": CsvFileSource(data_dir / "imports"),
        },
        client_factory=lambda source: HttpClient(min_interval=0.0),
    )
    print("DONE" if report.ok else "FAILED", flush=True)


if __name__ == "__main__":
    main()
