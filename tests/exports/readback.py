"""Reading exported files back into comparable rows (by the stable column ids)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import openpyxl

from raketieto.exports.labels import COLUMN_HEADERS, SHEETS, YES_NO, text
from raketieto.reports.tidy import COLUMNS, NUMBER_COLUMNS

Row = dict[str, Any]


def xlsx_rows(content: bytes, lang: str = "fi") -> list[Row]:
    """The data sheet as rows keyed by column id; checks the headers are in lang."""
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    sheet = book[text(SHEETS, "data", lang)]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows)
    assert list(header) == [text(COLUMN_HEADERS, c, lang) for c in COLUMNS]
    return [dict(zip(COLUMNS, values, strict=True)) for values in rows]


def csv_rows(content: bytes) -> list[Row]:
    """The standard CSV as rows, numbers parsed."""
    reader = csv.DictReader(io.StringIO(content.decode("utf-8")))
    assert tuple(reader.fieldnames or ()) == COLUMNS
    return [_typed(row, decimal=".", yes="true", no="false") for row in reader]


def csv_fi_rows(content: bytes, lang: str = "fi") -> list[Row]:
    """The Finnish CSV as rows, numbers parsed from decimal commas."""
    assert content.startswith(b"\xef\xbb\xbf"), "the Finnish CSV starts with a BOM"
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";")
    header = next(reader)
    assert header == [text(COLUMN_HEADERS, c, lang) for c in COLUMNS]
    return [
        _typed(
            dict(zip(COLUMNS, values, strict=True)),
            decimal=",",
            yes=YES_NO[True][lang],
            no=YES_NO[False][lang],
        )
        for values in reader
    ]


def json_rows(content: bytes) -> list[Row]:
    """The JSON twin's rows."""
    return list(json.loads(content)["data"])


def _typed(row: dict[str, str], *, decimal: str, yes: str, no: str) -> Row:
    out: Row = dict(row)
    for column in NUMBER_COLUMNS:
        given = row[column]
        out[column] = float(given.replace(decimal, ".")) if given else None
    out["year"] = int(row["year"])
    for column in ("suppressed", "synthetic"):
        assert row[column] in (yes, no)
        out[column] = row[column] == yes
    return out


def numbers(rows: list[Row]) -> list[tuple[Any, ...]]:
    """What must be identical everywhere: the key, the numbers and the suppression flag."""
    return [
        (
            r["area_code"],
            r["indicator_id"],
            int(r["year"]),
            *(None if r[c] is None else float(r[c]) for c in sorted(NUMBER_COLUMNS)),
            bool(r["suppressed"]),
        )
        for r in rows
    ]


def workbook_cells(content: bytes) -> dict[str, list[list[tuple[Any, ...]]]]:
    """What a workbook holds, sheet by sheet and row by row: every cell's value, type, number
    format and font (bold, colour), as openpyxl reads them; whether a cell is written as an
    empty cell or not at all makes no difference."""
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return {
        sheet.title: [[_held(cell) for cell in row] for row in sheet.iter_rows()]
        for sheet in book.worksheets
    }


def _held(cell: Any) -> tuple[Any, ...]:
    font = cell.font
    shown = (
        cell.value,
        cell.data_type,
        cell.number_format,
        bool(font.b) if font else False,
        font.color.rgb if font and font.color else None,
    )
    # openpyxl gives a cell that is not written no number format, an empty one 'General'.
    return (None, "n", None, False, None) if shown == (None, "n", "General", False, None) else shown


def sheet_frame(xml: bytes) -> tuple[bytes, bytes]:
    """A worksheet part around its rows: the view, widths and filter, byte for byte."""
    head, rest = xml.split(b"<sheetData>", 1)
    return head, rest.rsplit(b"</sheetData>", 1)[1]
