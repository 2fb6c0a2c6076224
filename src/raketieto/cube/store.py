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
CUBE_DATABASE = "cube"


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
    return connect_read_only(path)


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection of its own to the cube file at path, pinned to that file.

    duckdb.connect(path) hands back the database already open for the same path in this
    process, which after a swap is the old file; a fresh in-memory database that attaches the
    file opens whatever the path names now.
    """
    connection = duckdb.connect(":memory:")
    try:
        quoted = str(path).replace("'", "''")
        connection.execute(f"ATTACH '{quoted}' AS {CUBE_DATABASE} (READ_ONLY)")
        connection.execute(f"USE {CUBE_DATABASE}")
    except BaseException:
        connection.close()
        raise
    return connection


def cursor_of(connection: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor of connection that reads the same cube (a cursor starts in the in-memory
    database, not in the one its connection chose with USE)."""
    cursor = connection.cursor()
    try:
        # Trying USE costs 0.07 ms; asking duckdb_databases() first cost 1.5 ms a page.
        with contextlib.suppress(duckdb.CatalogException):  # not attached: the file itself
            cursor.execute(f"USE {CUBE_DATABASE}")
    except BaseException:
        cursor.close()
        raise
    return cursor
