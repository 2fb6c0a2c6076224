"""County knowledge-base workbooks of the live cube, kept on disk once made.

A county's whole knowledge base on a national cube is a workbook of tens of megabytes whose
making costs seconds of CPU (docs/exports.md). The cube is read-only until a new one is swapped
in, so the workbook made for one request is the workbook of every later one: it is kept in the
data folder's cache, under the live cube file's identity (inode and modification time), where
every server process of the same data folder finds it. A new cube has a new identity, so its
workbooks are made afresh and the old cube's are removed when the first new one is kept.

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
    """The kept workbooks below root: root/<cube identity>/<key>/<download name>."""

    def __init__(self, root: Path) -> None:
        self.root = root

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
        for key of this cube, and the workbooks of other cubes are removed.

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
        self._drop_other_cubes(folder.parent.name)
        return KeptWorkbook(final, name)

    def _drop_other_cubes(self, current: str) -> None:
        for other in self.root.iterdir():
            if other.name != current and other.is_dir():
                log.info("removing the workbooks of an earlier cube: %s", other)
                shutil.rmtree(other, ignore_errors=True)
