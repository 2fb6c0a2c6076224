"""County knowledge-base workbooks of a cube, kept on disk once made.

A county's whole knowledge base on a national cube is a workbook of tens of megabytes whose
making costs seconds of CPU (docs/exports.md). A cube is read-only once built, so the workbook
made once is the workbook of every later request: it is kept in the data folder's cache, under
the cube file's identity (inode and modification time, which a rename keeps), where every
server process of the same data folder finds it. The builder makes the Finnish ones of a new
cube before it is swapped in (exports.county_workbooks); the others are made on first request.

Keeping a workbook removes the folders of cubes older than the live one; the live cube's and
those of newer cubes (a build that is making its workbooks before its swap) stay.

A workbook is written beside its final name and renamed into place, so a reader sees a whole
file or none; a file being sent when its folder is removed is still read to its end.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

log = logging.getLogger(__name__)

#: A cube file's identity: its inode and modification time in nanoseconds.
CubeStamp = tuple[int, int]
_FOLDER = re.compile(r"(\d+)-(\d+)")


def file_stamp(path: Path) -> CubeStamp | None:
    """The identity of the cube file at path, None when there is none."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_ino, stat.st_mtime_ns)


@dataclass(frozen=True)
class KeptWorkbook:
    """A workbook file and the name it is downloaded as."""

    path: Path
    name: str

    @property
    def size(self) -> int:
        """The file's size in bytes."""
        return self.path.stat().st_size


class WorkbookShelf:
    """The kept workbooks below root: root/<cube identity>/<key>/<download name>.

    live is the path of the live cube file, whose workbooks a keep never removes.
    """

    def __init__(self, root: Path, live: Path | None = None) -> None:
        self.root = root
        self.live = live

    def _folder(self, stamp: CubeStamp, key: str) -> Path:
        if not re.fullmatch(r"[A-Za-z0-9_-]+", key):
            raise ValueError(f"workbook key {key!r}: only letters, digits, _ and -")
        return self.root / f"{stamp[0]}-{stamp[1]}" / key

    def find(self, stamp: CubeStamp, key: str) -> KeptWorkbook | None:
        """The workbook kept for key of the cube with this identity, or None."""
        folder = self._folder(stamp, key)
        try:
            names = [p.name for p in folder.iterdir() if not p.name.startswith(".")]
        except OSError:
            return None
        if len(names) != 1:
            return None
        return KeptWorkbook(folder / names[0], names[0])

    def keep(self, stamp: CubeStamp, key: str, write: Callable[[IO[bytes]], str]) -> KeptWorkbook:
        """write(file) makes the workbook and returns its download name; the file is kept
        for key of this cube, and the workbooks of older cubes are removed (prune).

        OSError when the folder cannot be written (e.g. a full disk); nothing half-written
        is left either way.
        """
        folder = self._folder(stamp, key)
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".part-")
        try:
            with os.fdopen(handle, "wb") as target:
                name = write(target)
            if not re.fullmatch(r"[A-Za-z0-9_.-]+", name) or name.startswith("."):
                raise ValueError(f"workbook name {name!r}: only letters, digits, _ . and -")
            for old in folder.iterdir():  # another process's copy of the same workbook
                if not old.name.startswith(".") and old.name != name:
                    old.unlink(missing_ok=True)
            final = folder / name
            os.replace(temporary, final)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty: a bad county leaves no folder behind
            raise
        self.prune(stamp)
        return KeptWorkbook(final, name)

    def discard(self, stamp: CubeStamp) -> None:
        """Remove every workbook kept for the cube of stamp (e.g. a build that failed)."""
        shutil.rmtree(self.root / f"{stamp[0]}-{stamp[1]}", ignore_errors=True)

    def prune(self, stamp: CubeStamp | None = None) -> None:
        """Remove the workbooks of every cube older than the live one (or, without a live
        cube, than the cube of stamp); those of the live cube and of newer ones stay."""
        live = file_stamp(self.live) if self.live is not None else None
        bounds = [s[1] for s in (live, stamp) if s is not None]
        if not bounds:
            return
        oldest_kept = min(bounds) if live is None else live[1]
        try:
            folders = list(self.root.iterdir())
        except OSError:
            return
        for folder in folders:
            found = _FOLDER.fullmatch(folder.name)
            if found is None or not folder.is_dir():
                continue
            identity = (int(found[1]), int(found[2]))
            if identity in (live, stamp) or identity[1] >= oldest_kept:
                continue
            log.info("removing the workbooks of an earlier cube: %s", folder)
            shutil.rmtree(folder, ignore_errors=True)
