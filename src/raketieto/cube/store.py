"""Where the cube lives, how a new one is swapped in, and how readers open it."""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

import duckdb

from raketieto.errors import RaketietoError
from raketieto.settings import Settings

_BUILDING_PREFIX = ".building-"


class CubeMissingError(RaketietoError):
    """There is no cube yet at the configured place."""


def new_build_path(settings: Settings) -> Path:
    """A fresh file next to the live cube for one writer to build into."""
    folder = settings.cube_path.parent
    folder.mkdir(parents=True, exist_ok=True)
    _remove_stale_builds(folder)
    return folder / f"{_BUILDING_PREFIX}{os.getpid()}-{time.time_ns()}.duckdb"


def _remove_stale_builds(folder: Path, max_age_seconds: float = 3600.0) -> None:
    # A writer killed mid-build leaves its file behind; it was never live, so it can go.
    now = time.time()
    for leftover in folder.glob(f"{_BUILDING_PREFIX}*"):
        with contextlib.suppress(OSError):
            if now - leftover.stat().st_mtime > max_age_seconds:
                leftover.unlink()


def swap_in(built: Path, settings: Settings) -> Path:
    """Make a finished build live in one atomic rename; readers see old or new, never half."""
    with built.open("rb") as handle:
        os.fsync(handle.fileno())
    target = settings.cube_path
    os.replace(built, target)
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return target


def open_cube(settings: Settings) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the live cube."""
    path = settings.cube_path
    if not path.exists():
        raise CubeMissingError(
            f"Indikaattorikuutiota ei löydy polusta '{path}'. "
            "Rakenna se ensin komennolla 'raketieto build-demo' tai 'raketieto fetch'."
        )
    return duckdb.connect(str(path), read_only=True)
