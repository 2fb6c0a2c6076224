"""The county knowledge base column-wise: the same rows and the same workbook as the row path,
and data sheets split beyond a row limit."""

from __future__ import annotations

import io
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import openpyxl
import pytest

from raketieto.exports.labels import COLUMN_HEADERS, SHEETS, text
from raketieto.exports.xlsx import split_note, write_xlsx, xlsx_bytes
from raketieto.reports.tidy import (
    COLUMNS,
    county_knowledge_base,
    county_knowledge_base_columns,
    knowledge_base_columns,
)
from tests.exports.conftest import Cube
from tests.exports.readback import numbers, sheet_frame, workbook_cells


@pytest.mark.parametrize(("county", "lang"), [("HVA19", "fi"), ("HVA05", "sv")])
def test_columnar_rows_and_workbook_equal_the_row_path(cube: Cube, county: str, lang: str) -> None:
    old = county_knowledge_base(cube.reader, cube.catalogue, cube.division, county, lang)
    with county_knowledge_base_columns(
        cube.reader, cube.catalogue, cube.division, county, lang
    ) as new:
        assert new.rows() == old.rows
        assert new.total == len(old.rows) > 1000
        assert (new.definitions, new.regions, new.title) == (
            old.definitions,
            old.regions,
            old.title,
        )
        assert new.has_synthetic == old.has_synthetic
        new.extracted_at = old.extracted_at
        fast_bytes = xlsx_bytes(new)
    slow_bytes = xlsx_bytes(old)
    fast = zipfile.ZipFile(io.BytesIO(fast_bytes))
    slow = zipfile.ZipFile(io.BytesIO(slow_bytes))
    # The data sheet is written compactly (shared strings, no cell references): it holds the
    # same cells, values, types and formats, in the same frame (view, widths, filter).
    assert fast.namelist() == [*slow.namelist()[:7], "xl/sharedStrings.xml", *slow.namelist()[7:]]
    held = workbook_cells(fast_bytes)
    assert held == workbook_cells(slow_bytes)
    data = held[text(SHEETS, "data", lang)]
    assert len(data) == len(old.rows) + 1
    assert sum(cell[0] is not None for row in data for cell in row) > 10 * len(old.rows)
    data_part = "xl/worksheets/sheet2.xml"
    assert sheet_frame(fast.read(data_part)) == sheet_frame(slow.read(data_part))
    streamed = fast.read(data_part).split(b"</row>", 1)[1].split(b"</sheetData>")[0]
    assert b"<row><c" in streamed and b' r="' not in streamed  # below the header
    # Every other part byte for byte, the creation moment aside; the package lists the shared
    # strings besides.
    for name in slow.namelist():
        if name in ("[Content_Types].xml", "xl/_rels/workbook.xml.rels"):
            assert len(fast.read(name)) > len(slow.read(name)), name
            assert b"sharedStrings" in fast.read(name), name
        elif name not in ("docProps/core.xml", data_part):
            assert fast.read(name) == slow.read(name), name


def test_data_sheets_split_beyond_the_row_limit(cube: Cube) -> None:
    old = county_knowledge_base(cube.reader, cube.catalogue, cube.division, "HVA90", "en")
    limit = len(old.rows) // 2 - 1  # three sheets, the last one short
    buffer = io.BytesIO()
    with knowledge_base_columns(cube.reader, cube.catalogue, cube.division, "HVA90", "en") as new:
        write_xlsx(new, buffer, sheet_rows=limit)
    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()), read_only=True)
    data = text(SHEETS, "data", "en")
    names = [data, f"{data} 2", f"{data} 3"]
    assert book.sheetnames == [text(SHEETS, "cover", "en"), *names, "Definitions", "Regions"]
    header = [text(COLUMN_HEADERS, c, "en") for c in COLUMNS]
    rows = []
    for name in names:
        sheet = list(book[name].iter_rows(values_only=True))
        assert list(sheet[0]) == header
        assert 0 < len(sheet) - 1 <= limit
        rows.extend(dict(zip(COLUMNS, values, strict=True)) for values in sheet[1:])
    expected = [{c: getattr(r, c) for c in COLUMNS} for r in old.rows]
    assert numbers(rows) == numbers(expected)
    cover = [
        c for row in book[text(SHEETS, "cover", "en")].iter_rows(values_only=True) for c in row
    ]
    assert split_note(names, limit, "en") in cover
    assert len(old.rows) in cover


def test_a_bad_sheet_limit_is_refused(cube: Cube) -> None:
    with (
        knowledge_base_columns(cube.reader, cube.catalogue, cube.division, "HVA90") as table,
        pytest.raises(ValueError, match="sheet_rows 0"),
    ):
        write_xlsx(table, io.BytesIO(), sheet_rows=0)


def test_both_csv_forms_of_the_columnar_rows_equal_the_row_path(cube: Cube) -> None:
    from raketieto.exports.csv import finnish_csv, standard_csv

    old = county_knowledge_base(cube.reader, cube.catalogue, cube.division, "HVA12", "sv")
    with county_knowledge_base_columns(
        cube.reader, cube.catalogue, cube.division, "HVA12", "sv"
    ) as new:
        assert standard_csv(new) == standard_csv(old)
        assert finnish_csv(new) == finnish_csv(old)
    assert standard_csv(old).count("\r\n") == len(old.rows) + 1 > 1000


def test_the_row_thread_is_done_when_the_workbook_is_written(
    cube: Cube, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fetching thread reads one batch ahead of the writer; here, as DuckDB may, it is
    # still busy after the last row the sheets need (a slow last read). It must be stopped and
    # gone before write_xlsx returns, or closing the table's cursor finds the cursor busy
    # (DuckDB refuses instead of waiting).
    from raketieto.exports import xlsx

    original = xlsx._fetched_ahead

    def slow_end(open_reader: Callable[[], Iterable[Any]]) -> Iterator[Any]:
        def reader() -> Iterator[Any]:
            yield from open_reader()
            threading.Event().wait(1.0)  # the slow last read

        return original(reader)

    monkeypatch.setattr(xlsx, "_fetched_ahead", slow_end)
    with knowledge_base_columns(cube.reader, cube.catalogue, cube.division, "HVA90") as table:
        write_xlsx(table, io.BytesIO())
        assert not [t for t in threading.enumerate() if t.name == "xlsx-rows"]
