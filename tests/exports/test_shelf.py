"""The shelf of kept workbooks: whole files or none, found only for their own cube, and the
workbooks of older cubes removed while the live cube's and those of a build still making its
own stay."""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

import pytest

from raketieto.exports.shelf import WorkbookShelf, file_stamp

NAME = "tietopohja-HVA90-2026-12-04.xlsx"


def _workbook(target: IO[bytes]) -> str:
    target.write(b"PK")
    return NAME


def test_a_failed_write_leaves_no_part_behind(tmp_path: Path) -> None:
    shelf = WorkbookShelf(tmp_path)

    def broken(target: IO[bytes]) -> str:
        target.write(b"half a workbook")
        raise RuntimeError("the cube went away")

    with pytest.raises(RuntimeError):
        shelf.keep((1, 2), "HVA90-fi", broken)
    assert shelf.find((1, 2), "HVA90-fi") is None
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_a_kept_workbook_is_found_only_for_its_cube(tmp_path: Path) -> None:
    shelf = WorkbookShelf(tmp_path)

    kept = shelf.keep((1, 2), "HVA90-fi", _workbook)
    assert kept.size == 2
    assert shelf.find((1, 2), "HVA90-fi") == kept
    assert shelf.find((1, 3), "HVA90-fi") is None
    shelf.keep((1, 3), "HVA90-fi", _workbook)
    assert shelf.find((1, 2), "HVA90-fi") is None  # the earlier cube's workbooks are gone


@pytest.mark.parametrize("key", ["../etc", "HVA90/fi", "", "a b"])
def test_a_key_that_is_not_a_plain_name_is_refused(tmp_path: Path, key: str) -> None:
    with pytest.raises(ValueError, match="workbook key"):
        WorkbookShelf(tmp_path).find((1, 2), key)


def _cube(path: Path, mtime_ns: int) -> tuple[int, int]:
    path.write_bytes(b"cube")
    os.utime(path, ns=(mtime_ns, mtime_ns))
    stamp = file_stamp(path)
    assert stamp is not None
    return stamp


def test_older_cubes_go_but_the_live_one_and_a_newer_build_stay(tmp_path: Path) -> None:
    second = 1_000_000_000
    old = _cube(tmp_path / "old.duckdb", 10 * second)
    live_file = tmp_path / "current.duckdb"
    live = _cube(live_file, 20 * second)
    building = _cube(tmp_path / ".building-1.duckdb", 30 * second)
    shelf = WorkbookShelf(tmp_path / "workbooks", live=live_file)
    shelf.keep(old, "HVA90-fi", _workbook)  # e.g. a request that began before the swap
    shelf.keep(live, "HVA90-fi", _workbook)
    assert shelf.find(old, "HVA90-fi") is None  # older than the live cube
    # A build making its workbooks before its swap keeps the live cube's...
    shelf.keep(building, "HVA90-fi", _workbook)
    assert shelf.find(live, "HVA90-fi") is not None
    # ...and a request for the live cube keeps the build's.
    shelf.keep(live, "HVA13-fi", _workbook)
    assert shelf.find(building, "HVA90-fi") is not None
    # Once the build is live, the cube it replaced goes.
    os.replace(tmp_path / ".building-1.duckdb", live_file)
    assert file_stamp(live_file) == building
    shelf.prune()
    assert shelf.find(live, "HVA90-fi") is None
    assert shelf.find(building, "HVA90-fi") is not None


def test_only_the_shelf_s_own_folders_are_pruned(tmp_path: Path) -> None:
    live_file = tmp_path / "current.duckdb"
    live = _cube(live_file, 20_000_000_000)
    root = tmp_path / "workbooks"
    (root / "notes").mkdir(parents=True)
    (root / "1-5").write_text("a file, not a cube's folder")
    WorkbookShelf(root, live=live_file).keep(live, "HVA90-fi", _workbook)
    assert sorted(p.name for p in root.iterdir()) == sorted(
        ["notes", "1-5", f"{live[0]}-{live[1]}"]
    )


def test_discard_removes_one_cube_s_workbooks(tmp_path: Path) -> None:
    shelf = WorkbookShelf(tmp_path)
    shelf.keep((1, 2), "HVA90-fi", _workbook)
    shelf.keep((1, 2), "HVA90-sv", _workbook)
    shelf.discard((1, 2))
    assert not any(tmp_path.iterdir())
    shelf.discard((1, 2))  # nothing left: nothing to do
