"""The county knowledge base column-wise: the same rows and the same workbook as the row path,
and data sheets split beyond a row limit."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from fastapi.testclient import TestClient

from raketieto.exports import ExportFormat
from raketieto.exports.labels import COLUMN_HEADERS, SHEETS, text
from raketieto.exports.xlsx import split_note, write_xlsx, xlsx_bytes
from raketieto.reports.tidy import (
    COLUMNS,
    county_knowledge_base,
    county_knowledge_base_columns,
    knowledge_base_columns,
)
from raketieto.settings import Settings
from tests.api.conftest import make_app
from tests.exports.conftest import Cube
from tests.exports.readback import numbers, sheet_frame, workbook_cells, xlsx_rows


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


@pytest.mark.parametrize("kept_bytes", [16 * 1024 * 1024, 0])
def test_the_county_route_serves_the_workbook_kept_or_streamed(
    demo_settings: Settings, monkeypatch: pytest.MonkeyPatch, kept_bytes: int
) -> None:
    from raketieto.web.api import downloads

    monkeypatch.setattr(downloads, "_KEPT_BYTES", kept_bytes)
    settings = demo_settings.model_copy(update={"api_requests_per_minute": 1_000_000})
    with TestClient(make_app(settings)) as client:
        for _ in range(2):  # the second answer comes from the cache or is streamed afresh
            answer = client.get("/vienti/tietopohja/HVA90.xlsx", params={"lang": "sv"})
            assert answer.status_code == 200
            assert answer.headers["content-type"] == ExportFormat.XLSX.media_type
            assert 'filename="tietopohja-HVA90-' in answer.headers["content-disposition"]
            rows = xlsx_rows(answer.content, "sv")
            assert {r["area_code"] for r in rows} == {"SSS", "HVA90", "KU091"}


def test_both_csv_forms_of_the_columnar_rows_equal_the_row_path(cube: Cube) -> None:
    from raketieto.exports.csv import finnish_csv, standard_csv

    old = county_knowledge_base(cube.reader, cube.catalogue, cube.division, "HVA12", "sv")
    with county_knowledge_base_columns(
        cube.reader, cube.catalogue, cube.division, "HVA12", "sv"
    ) as new:
        assert standard_csv(new) == standard_csv(old)
        assert finnish_csv(new) == finnish_csv(old)
    assert standard_csv(old).count("\r\n") == len(old.rows) + 1 > 1000
