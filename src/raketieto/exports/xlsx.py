"""Excel workbook of a tidy table: cover, data, definitions and regions sheets.

Written with raketieto.exports.ooxml (see bench/export_bench.py for why): numbers are stored as
numbers, a suppressed cell as an empty value with the flag and the reason beside it, times as
Excel dates. Every list has a frozen header row, filters on and widths fitted to its content.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields
from operator import attrgetter
from pathlib import Path
from typing import IO, Any

import pandas as pd

from raketieto.exports.labels import (
    ATTRIBUTIONS,
    COLUMN_HEADERS,
    COVER,
    DEFINITION_HEADERS,
    REGION_HEADERS,
    SHEETS,
    VALUE_LABELS,
    Texts,
    text,
    value_label,
)
from raketieto.exports.ooxml import MAX_ROWS, CellValue, Sheet, Style, Workbook, column_letter
from raketieto.exports.ooxml.bulk import (
    arrow_chunks,
    boolean_cell_sql,
    integer_cell_sql,
    number_cell_sql,
    row_sql,
    serial_sql,
    string_cell_sql,
)
from raketieto.exports.ooxml.cells import string_body
from raketieto.reports.tidy import (
    COLUMNAR_ORDER,
    COLUMNS,
    NUMBER_COLUMNS,
    ColumnarTable,
    DefinitionRow,
    RegionRow,
    TidyRow,
    TidyTable,
)

_CODED = ("level", "sex", "age_group", "comparison")
_MIN_WIDTH, _MAX_WIDTH = 6, 60
# Widths are fitted on the first rows only; a long tail seldom changes them and costs time.
_WIDTH_SAMPLE = 2000
_DATE_FORMAT = "yyyy-mm-dd hh:mm"
_SHOWN_VALUES = ("value", "ci_lower", "ci_upper")
#: Data rows a sheet holds below its header: Excel's row limit.
SHEET_ROWS = MAX_ROWS - 1
# Rows per Arrow batch of a streamed data sheet (about a kilobyte of XML each).
_BATCH_ROWS = 16_384
_BOOLEAN_COLUMNS = ("suppressed", "synthetic")

HEADER = Style(bold=True, fill="#DDE4EE", border=True)
TITLE = Style(bold=True, size=14)
LABEL = Style(bold=True, vertical="top")
WRAP = Style(wrap=True, vertical="top")
DATE = Style(num_format=_DATE_FORMAT)
WARNING = Style(bold=True, color="#9C0006")


def decimals_style(decimals: int) -> Style:
    """The number format showing decimals places (0-6)."""
    return Style(num_format="0" + ("." + "0" * decimals if decimals else ""))


def xlsx_bytes(table: TidyTable | ColumnarTable) -> bytes:
    """The workbook of table as bytes."""
    buffer = io.BytesIO()
    write_xlsx(table, buffer)
    return buffer.getvalue()


def write_xlsx(
    table: TidyTable | ColumnarTable,
    target: str | Path | IO[bytes],
    *,
    sheet_rows: int = SHEET_ROWS,
) -> None:
    """Write the workbook of table to a path or a binary file object.

    A ColumnarTable's data sheet is streamed from the cube into the file; beyond sheet_rows
    rows (Excel's limit) it goes on in sheets 'Tiedot 2', 'Tiedot 3', ..., and the cover says
    so."""
    if not 1 <= sheet_rows <= SHEET_ROWS:
        raise ValueError(f"sheet_rows {sheet_rows} is outside 1..{SHEET_ROWS}")
    lang = table.lang
    book = Workbook(
        title=table.title,
        creator="raketieto",
        description=ATTRIBUTIONS[lang],
        datetime_format=_DATE_FORMAT,
    )
    data_name = text(SHEETS, "data", lang)
    if isinstance(table, ColumnarTable):
        parts = max(1, -(-table.total // sheet_rows))
        names = [data_name, *(f"{data_name} {k}" for k in range(2, parts + 1))]
        _cover(book.add_sheet(text(SHEETS, "cover", lang)), table, table.total, names, sheet_rows)
        _columnar_data(book, names, table, sheet_rows)
    else:
        _cover(book.add_sheet(text(SHEETS, "cover", lang)), table, len(table.rows), [data_name])
        _data(book.add_sheet(data_name), table)
    _records(
        book.add_sheet(text(SHEETS, "definitions", lang)),
        table.definitions,
        DEFINITION_HEADERS,
        lang,
    )
    _records(book.add_sheet(text(SHEETS, "regions", lang)), table.regions, REGION_HEADERS, lang)
    book.save(target)


def _cover(
    sheet: Sheet,
    table: TidyTable | ColumnarTable,
    rows: int,
    data_sheets: list[str],
    sheet_rows: int = SHEET_ROWS,
) -> None:
    lang = table.lang
    sheet.set_width(0, 24)
    sheet.set_width(1, 100)
    sheet.write_row([table.title], [TITLE])
    lines: list[tuple[str, Any]] = [
        ("", text(COVER, "service", lang)),
        ("", ATTRIBUTIONS[lang]),
        (text(COVER, "extracted", lang), table.extracted_at),
        (text(COVER, "built", lang), table.built_at),
        (text(COVER, "division", lang), table.division_year),
        (text(COVER, "rows", lang), rows),
        ("", text(COVER, "sheets", lang)),
    ]
    if len(data_sheets) > 1:
        lines.append(("", split_note(data_sheets, sheet_rows, lang)))
    lines.append(("", text(COVER, "suppression", lang)))
    row = 2
    for label, value in lines:
        if isinstance(value, dt.datetime):
            sheet.write_row([label, value], [LABEL, DATE], row=row)
        elif isinstance(value, int):
            sheet.write_row([label, value], [LABEL, None], row=row)
        else:
            sheet.write_row([label, str(value)], [LABEL, WRAP], row=row)
        row += 1
    if table.has_synthetic:
        sheet.write_row([None, text(COVER, "synthetic", lang)], [None, WARNING], row=row)


def split_note(data_sheets: list[str], sheet_rows: int, lang: str) -> str:
    """The cover's line saying the data go on over several sheets, and why."""
    return text(COVER, "split", lang).format(
        sheets=", ".join(data_sheets), count=len(data_sheets), rows=f"{sheet_rows:,}"
    )


def _data(sheet: Sheet, table: TidyTable) -> None:
    lang = table.lang
    headers = _header(sheet, lang)
    decimals = _decimals(table.definitions)
    by_decimals = _row_styles(sheet, decimals)
    plain = by_decimals[2]
    coded = [(COLUMNS.index(c), c, _labels(c, lang)) for c in _CODED]
    write_row = sheet.write_row
    widths = [len(h) for h in headers]
    measures = [_measure(c) for c in COLUMNS]
    for number, tidy in enumerate(table.rows):
        values = _shown(tidy, coded, lang)
        write_row(values, by_decimals.get(decimals.get(tidy.indicator_id, 2), plain))
        if number < _WIDTH_SAMPLE:
            _fit(widths, measures, values)
    _coded_widths(widths, {c: {getattr(r, c) for r in table.rows} for c in _CODED}, lang)
    _finish_list(sheet, widths, len(table.rows), len(COLUMNS))


_cells = attrgetter(*COLUMNS)


def _shown(tidy: TidyRow, coded: list[tuple[int, str, dict[str, str]]], lang: str) -> list[Any]:
    """A row's cell values: coded values as their words in lang."""
    values: list[Any] = list(_cells(tidy))
    for col, column, labels in coded:
        code = values[col]
        if code is not None:
            label = labels.get(code)
            values[col] = value_label(column, code, lang) if label is None else label
    return values


def _header(sheet: Sheet, lang: str) -> list[str]:
    headers = [text(COLUMN_HEADERS, c, lang) for c in COLUMNS]
    sheet.write_row(headers, [HEADER] * len(COLUMNS))
    return headers


def _decimals(definitions: Sequence[DefinitionRow]) -> dict[str, int]:
    return {d.indicator_id: max(0, min(d.decimals, 6)) for d in definitions}


def _row_styles(sheet: Sheet, decimals: dict[str, int]) -> dict[int, Any]:
    # One resolved style row per number of decimals; a row picks its own by its indicator.
    return {
        n: sheet.row_styles(
            [
                decimals_style(n) if c in _SHOWN_VALUES else DATE if c == "retrieved_at" else None
                for c in COLUMNS
            ]
        )
        for n in sorted({*decimals.values(), 2})
    }


def _coded_widths(widths: list[int], values: dict[str, set[Any]], lang: str) -> None:
    # Coded labels are few, so every row's label counts, as on the screen.
    for column, found in values.items():
        col = COLUMNS.index(column)
        shown = {value_label(column, v, lang) for v in found}
        widths[col] = max([widths[col], *(len(s) for s in shown if s is not None)])


def _columnar_data(book: Workbook, names: list[str], table: ColumnarTable, sheet_rows: int) -> None:
    """The data sheets of a ColumnarTable, their rows made in DuckDB and streamed."""
    lang = table.lang
    decimals = _decimals(table.definitions)
    coded = [(COLUMNS.index(c), c, _labels(c, lang)) for c in _CODED]
    # Widths as _data fits them: the first rows, and every coded label.
    widths = [len(text(COLUMN_HEADERS, c, lang)) for c in COLUMNS]
    measures = [_measure(c) for c in COLUMNS]
    for tidy in table.rows(_WIDTH_SAMPLE):
        _fit(widths, measures, _shown(tidy, coded, lang))
    distinct = table.distinct(*_STRING_COLUMNS)
    _coded_widths(widths, {c: set(distinct[c]) for c in _CODED}, lang)
    _register_cell_texts(table, distinct, lang)
    for part, name in enumerate(names):
        sheet = book.add_sheet(name)
        _header(sheet, lang)
        styles = _row_styles(sheet, decimals)
        tails = pd.DataFrame(
            {
                "id": list(decimals),
                "tail": [styles[n].tails[COLUMNS.index("value")] for n in decimals.values()],
            }
        )
        table.register("_xlsx_tails", tails)
        plain = styles[2].tails
        first = part * sheet_rows
        count = min(sheet_rows, table.total - first)
        select = _rows_select(plain, first, count)
        relation = table.relation(select)

        def chunks(relation: Any = relation) -> Iterable[bytes | memoryview]:
            return arrow_chunks(relation.to_arrow_reader(_BATCH_ROWS))

        sheet.stream_rows(count, len(COLUMNS) - 1, chunks)
        _finish_list(sheet, widths, count, len(COLUMNS))


_STRING_COLUMNS = tuple(
    c
    for c in COLUMNS
    if c not in NUMBER_COLUMNS and c not in _BOOLEAN_COLUMNS and c not in ("year", "retrieved_at")
)


def _register_cell_texts(table: ColumnarTable, distinct: dict[str, list[Any]], lang: str) -> None:
    """Per string column, each distinct value's cell text (coded values as their words)."""
    for column in _STRING_COLUMNS:
        values = distinct[column]
        shown = [value_label(column, v, lang) if column in _CODED else v for v in values]
        bodies = [string_body(v) or None for v in shown]
        table.register(
            f"_xlsx_text_{column}",
            pd.DataFrame(
                {"v": pd.Series(values, dtype=object), "b": pd.Series(bodies, dtype=object)}
            ),
        )


def _rows_select(plain: tuple[str, ...], first: int, count: int) -> str:
    """SQL of one data sheet's <row> elements, rows first+1..first+count in order."""
    row = "t._r"
    cells = []
    joins = []
    for col, column in enumerate(COLUMNS):
        letter = column_letter(col)
        if column in _STRING_COLUMNS:
            joins.append(f"LEFT JOIN _xlsx_text_{column} x_{column} ON x_{column}.v = t.{column}")
            cells.append(string_cell_sql(letter, row, f"x_{column}.b", plain[col]))
        elif column in _SHOWN_VALUES:
            tail = f"coalesce(d.tail, '{plain[col]}')"
            cells.append(number_cell_sql(letter, row, f"t.{column}", tail))
        elif column in NUMBER_COLUMNS:
            cells.append(number_cell_sql(letter, row, f"t.{column}", "'\"'"))
        elif column == "year":
            cells.append(integer_cell_sql(letter, row, f"t.{column}", plain[col]))
        elif column in _BOOLEAN_COLUMNS:
            cells.append(boolean_cell_sql(letter, row, f"t.{column}", plain[col]))
        else:  # retrieved_at
            quoted = plain[col].replace("'", "''")
            serial = serial_sql(f"t.{column}")
            cells.append(
                f"CASE WHEN ({serial}) IS NULL THEN NULL ELSE '<c r=\"{letter}' || {row} || "
                f"'{quoted}><v>' || CAST(({serial}) AS VARCHAR) || '</v></c>' END"
            )
    numbered = (
        f"SELECT *, CAST(_n - {first} + 1 AS VARCHAR) AS _r FROM "
        f"(SELECT *, row_number() OVER (ORDER BY {COLUMNAR_ORDER}) AS _n FROM tidy) "
        f"WHERE _n > {first} AND _n <= {first + count}"
    )
    return (
        f"SELECT {row_sql(row, cells)} AS xml FROM ({numbered}) t "
        "LEFT JOIN _xlsx_tails d ON d.id = t.indicator_id "
        f"{' '.join(joins)} ORDER BY t._n"
    )


def _labels(column: str, lang: str) -> dict[str, str]:
    return {code: value_label(column, code, lang) for code in VALUE_LABELS.get(column, {})}


def _measure(column: str) -> Callable[[Any], int]:
    """How wide a value of column is shown, in characters."""
    if column in NUMBER_COLUMNS or column == "year":
        return lambda value: len(str(round(value, 2)))
    if column in ("suppressed", "synthetic"):
        return lambda value: 6
    if column == "retrieved_at":
        return lambda value: len(_DATE_FORMAT)
    return len


def _fit(widths: list[int], measures: list[Callable[[Any], int]], values: list[Any]) -> None:
    for col, value in enumerate(values):
        if value is not None:
            width = measures[col](value)
            if width > widths[col]:
                widths[col] = width


def _records(
    sheet: Sheet,
    records: Sequence[DefinitionRow | RegionRow],
    headers: Texts,
    lang: str,
) -> None:
    names = list(headers)
    titles = [text(headers, name, lang) for name in names]
    sheet.write_row(titles, [HEADER] * len(names))
    widths = [len(t) for t in titles]
    for record in records:
        values = {f.name: getattr(record, f.name) for f in fields(record)}
        cells: list[CellValue] = []
        styles: list[Style | None] = []
        for col, name in enumerate(names):
            value = values[name]
            style = None
            if value is None:
                width = 0
            elif isinstance(value, dt.datetime):
                style = DATE
                width = len(_DATE_FORMAT)
            elif isinstance(value, int):
                width = len(str(value))
            else:
                value = value_label(name, value, lang)
                style = WRAP if len(value) > 60 else None
                width = len(value)
            cells.append(value)
            styles.append(style)
            widths[col] = max(widths[col], width)
        sheet.write_row(cells, styles)
    _finish_list(sheet, widths, len(records), len(names))


def _finish_list(sheet: Sheet, widths: list[int], rows: int, columns: int) -> None:
    for col, width in enumerate(widths):
        sheet.set_width(col, max(_MIN_WIDTH, min(width + 2, _MAX_WIDTH)))
    sheet.freeze(1, 0)
    sheet.autofilter(0, 0, max(rows, 1), columns - 1)
