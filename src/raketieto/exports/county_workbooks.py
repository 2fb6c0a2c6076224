"""A county's whole knowledge base as a workbook: written from a cube, kept on the shelf, and
made ahead for every county when a large cube is published.

On a national cube the largest county's workbook holds two million rows and takes seconds to
make (bench/scale_bench.py), far over the two seconds a download may take. When a cube holds
at least AHEAD_MIN_FACTS facts, the publisher (pipeline/publish.py) therefore makes every
county's workbook in every language from the finished cube file before it is swapped in:
the rename keeps the file's identity, so the moment the cube is live its workbooks are on the
shelf, and a download is a file sent. On a smaller cube (where one is made in well under a
second), and for any the publisher could not write, a workbook is made by its first request
and kept (web/api/downloads.py).
"""

from __future__ import annotations

import errno
import logging
import re
import shutil
import time
from collections.abc import Iterable
from pathlib import Path
from typing import IO

import duckdb

from raketieto.catalogue import Catalogue
from raketieto.catalogue.models import LANGS
from raketieto.cube.query import CubeReader
from raketieto.cube.store import connect_read_only, cursor_of
from raketieto.exports.shelf import CubeStamp, KeptWorkbook, WorkbookShelf, file_stamp
from raketieto.exports.xlsx import write_xlsx
from raketieto.regions import Division, Level
from raketieto.reports.tidy import county_knowledge_base_columns
from raketieto.settings import Settings

log = logging.getLogger(__name__)

#: The languages whose county workbooks the publisher makes before a large cube goes live:
#: all of them, so that no first request after a refresh waits for one (Finnish first).
PREMADE_LANGUAGES: tuple[str, ...] = LANGS
#: A cube this large has its county workbooks made ahead: from here on the largest county's
#: takes about a second or more to make (bench/scale_bench.py, HVA19: 0.3 s at the demo's
#: 0.1 M facts, 0.6 s at 1 M, 2.9 s at 10 M, 7.5 s at 23 M).
AHEAD_MIN_FACTS = 2_000_000
# DuckDB's memory while making them, as in the build (beyond it, the sort spills to disk).
_DUCKDB_MEMORY = "1GB"
#: Making ahead stops when less than this is free on the shelf's disk: the workbooks of a 20 M
#: cube take some 2.4 GB, and a full disk would stop the store and the next build too.
KEEP_FREE_BYTES = 2 << 30


def shelf_of(settings: Settings) -> WorkbookShelf:
    """The shelf of the data folder's kept workbooks."""
    return WorkbookShelf(settings.cache_dir / "workbooks", live=settings.cube_path)


def file_part(text: str) -> str:
    """text with anything but letters, digits and '-' as '_', for a file or key name."""
    return re.sub(r"[^A-Za-z0-9-]", "_", text)


def workbook_key(county: str, lang: str) -> str:
    """The shelf key of a county's workbook in one language."""
    return f"{file_part(county)}-{lang}"


def write_county_workbook(
    reader: CubeReader,
    catalogue: Catalogue,
    division: Division,
    county: str,
    lang: str,
    target: IO[bytes],
) -> str:
    """Write county's knowledge base in lang to target; returns its download name. Any code
    but a county's is a NotFoundError before anything is written."""
    # Rows computed column-wise in the cube, the workbook streamed to the file: memory is
    # bounded by a batch, not by the workbook.
    with county_knowledge_base_columns(reader, catalogue, division, county, lang) as table:
        write_xlsx(table, target)
        day = table.extracted_at.strftime("%Y-%m-%d")
    return f"tietopohja-{file_part(county)}-{day}.xlsx"


def workbook_connection(cube_file: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the cube file for making workbooks, its memory capped."""
    connection = connect_read_only(cube_file)
    try:
        connection.execute(f"SET memory_limit = '{_DUCKDB_MEMORY}'")
    except BaseException:
        connection.close()
        raise
    return connection


def make_county_workbooks(
    cube_file: Path,
    shelf: WorkbookShelf,
    catalogue: Catalogue,
    division: Division,
    languages: Iterable[str],
) -> list[KeptWorkbook]:
    """Every county's workbook in each language, from the cube file, kept on shelf under
    the file's identity (those already kept are not made again). An error stops it; what was
    kept stays. RuntimeError when the file is replaced while it is opened; OSError when the
    shelf's disk has less than KEEP_FREE_BYTES free."""
    stamp = file_stamp(cube_file)
    if stamp is None:
        raise FileNotFoundError(f"no cube file at {cube_file}")
    connection = workbook_connection(cube_file)
    kept = []
    try:
        # Made under the identity of the file that was opened, or not at all.
        if file_stamp(cube_file) != stamp:
            raise RuntimeError(f"{cube_file} was replaced while its workbooks were to be made")
        reader = CubeReader(cursor_of(connection))
        for lang in languages:
            for county in division.at_level(Level.COUNTY):
                _require_room(shelf.root)
                kept.append(_kept(shelf, stamp, reader, catalogue, division, county.code, lang))
    finally:
        connection.close()
    return kept


def _require_room(folder: Path) -> None:
    """OSError (no space) when less than KEEP_FREE_BYTES is free on folder's disk."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    free = shutil.disk_usage(existing).free
    if free < KEEP_FREE_BYTES:
        raise OSError(
            errno.ENOSPC,
            f"{free // 2**20} MiB free on the disk of {folder}, "
            f"{KEEP_FREE_BYTES // 2**20} MiB are kept free",
        )


def fact_count(cube_file: Path) -> int:
    """How many facts the cube file holds."""
    with connect_read_only(cube_file) as connection:
        row = connection.execute("SELECT count(*) FROM facts").fetchone()
    return int(row[0]) if row else 0


def _kept(
    shelf: WorkbookShelf,
    stamp: CubeStamp,
    reader: CubeReader,
    catalogue: Catalogue,
    division: Division,
    county: str,
    lang: str,
) -> KeptWorkbook:
    key = workbook_key(county, lang)
    found = shelf.find(stamp, key)
    if found is not None:
        return found

    def write(target: IO[bytes]) -> str:
        return write_county_workbook(reader, catalogue, division, county, lang, target)

    return shelf.keep(stamp, key, write)


class WorkbooksAhead:
    """The county workbooks a publish makes ahead of the requests: before_swap is given to
    build_cube, after_swap is called once the cube is live, abandon when the publish failed.
    Whether the cube is large (AHEAD_MIN_FACTS) is decided once, from the finished file."""

    def __init__(self, settings: Settings, catalogue: Catalogue, division: Division) -> None:
        self.settings = settings
        self.catalogue = catalogue
        self.division = division
        self.shelf = shelf_of(settings)
        #: The identity of the cube file whose workbooks before_swap made, if it made any.
        self.made_for: CubeStamp | None = None

    def before_swap(self, cube_file: Path) -> None:
        """Every county's workbook in PREMADE_LANGUAGES, of a large cube. On an error none of
        them is left, as the cube will not go live; but a shelf that cannot be written (a full
        disk) is logged, not fatal: the cube still goes live, and the workbooks not made are
        made on request."""
        if fact_count(cube_file) < AHEAD_MIN_FACTS:
            return
        start = time.perf_counter()
        self.made_for = file_stamp(cube_file)
        try:
            made = make_county_workbooks(
                cube_file, self.shelf, self.catalogue, self.division, PREMADE_LANGUAGES
            )
        except OSError as error:
            log.warning("county workbooks not made ahead: %s", error)
            return
        except BaseException:
            self.abandon()
            raise
        log.info("made %d county workbooks ahead in %.1f s", len(made), time.perf_counter() - start)

    def abandon(self) -> None:
        """The publish failed: the workbooks before_swap made are removed, unless their cube
        went live after all (a swap whose rename went through before the error)."""
        if self.made_for is not None and file_stamp(self.settings.cube_path) != self.made_for:
            self.shelf.discard(self.made_for)
        self.made_for = None

    def after_swap(self) -> None:
        """The new cube is live: the replaced cube's workbooks are removed."""
        self.shelf.prune()
