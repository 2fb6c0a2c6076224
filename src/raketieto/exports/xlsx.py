"""Excel workbook of a tidy table: cover, data, definitions and regions sheets.

Written with raketieto.exports.ooxml (see bench/export_bench.py for why): numbers are stored as
numbers, a suppressed cell as an empty value with the flag and the reason beside it, times as
Excel dates. Every list has a frozen header row, filters on and widths fitted to its content.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import queue
import threading
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import fields
from operator import attrgetter
from pathlib import Path
from typing import IO, Any

import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]

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
from raketieto.exports.ooxml import MAX_ROWS, CellValue, Sheet, Style, Workbook
from raketieto.exports.ooxml.bulk import (
    arrow_chunks,
    boolean_cell_sql,
    date_cell_sql,
    integer_cell_sql,
    number_cell_sql,
    row_sql,
    shared_cell_sql,
    style_attribute,
)
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
    # The columnar rows are read as the book is saved, by a thread of their own on the
    # table's cursor: closing the stream after the save stops and waits for that thread.
    rows = contextlib.ExitStack()
    if isinstance(table, ColumnarTable):
        parts = max(1, -(-table.total // sheet_rows))
        names = [data_name, *(f"{data_name} {k}" for k in range(2, parts + 1))]
        _cover(book.add_sheet(text(SHEETS, "cover", lang)), table, table.total, names, sheet_rows)
        rows.enter_context(_columnar_data(book, names, table, sheet_rows))
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
    with rows:
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


def _columnar_data(
    book: Workbook, names: list[str], table: ColumnarTable, sheet_rows: int
) -> _SplitStream:
    """The data sheets of a ColumnarTable: their rows made in DuckDB in one ordered stream,
    split over the sheets as the workbook is saved. The stream is returned to be closed after
    the save, before the table's cursor is used or closed again."""
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
    sheets = []
    for name in names:
        sheet = book.add_sheet(name)
        _header(sheet, lang)
        sheets.append(sheet)
    # Styles belong to the workbook: every data sheet resolves them alike.
    styles = _row_styles(sheets[0], decimals)
    _register_shared_strings(book, table, distinct, lang)
    value_col = COLUMNS.index("value")
    table.register(
        "_xlsx_styles",
        pd.DataFrame(
            {
                "id": pd.Series(list(decimals), dtype=object),
                "s": pd.Series(
                    [style_attribute(styles[n].tails[value_col]) for n in decimals.values()],
                    dtype=object,
                ),
            }
        ),
    )
    relation = table.relation(_rows_select(styles[2].tails))
    stream = _SplitStream(lambda: relation.to_arrow_reader(_BATCH_ROWS))
    for part, sheet in enumerate(sheets):
        count = min(sheet_rows, table.total - part * sheet_rows)

        def chunks(part: int = part, count: int = count) -> Iterable[bytes | memoryview]:
            return arrow_chunks(stream.part(part, count))

        sheet.stream_rows(count, len(COLUMNS) - 1, chunks)
        _finish_list(sheet, widths, count, len(COLUMNS))
    return stream


class _SplitStream:
    """One ordered stream of row batches cut into consecutive parts of given lengths, read
    part after part (as the workbook writes its sheets).

    The batches are fetched ahead in a thread of their own (DuckDB and zlib both let go of the
    GIL), so the cube makes the next rows while the zip deflates the last ones; at most
    _AHEAD batches wait."""

    def __init__(self, open_reader: Callable[[], Iterable[pa.RecordBatch]]) -> None:
        self._open = open_reader
        self._batches: Generator[pa.RecordBatch, None, None] | None = None
        self._left: pa.RecordBatch | None = None
        self._next = 0

    def close(self) -> None:
        """Stop the fetching thread and wait for it (the last part seldom reads to the end)."""
        if self._batches is not None:
            self._batches.close()
            self._batches = None

    def __enter__(self) -> _SplitStream:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def part(self, number: int, rows: int) -> Iterator[pa.RecordBatch]:
        """The next rows rows; number says which part that is (they are read in order)."""
        if number != self._next:
            raise ValueError(f"part {number} is read before part {self._next}")
        self._next += 1
        if self._batches is None:
            self._batches = _fetched_ahead(self._open)
        while rows > 0:
            batch = self._left
            self._left = None
            if batch is None:
                batch = next(self._batches, None)
                if batch is None:
                    raise ValueError(f"the rows ended {rows} rows before part {number} did")
            if batch.num_rows > rows:
                self._left = batch.slice(rows)
                batch = batch.slice(0, rows)
            rows -= batch.num_rows
            yield batch


_AHEAD = 4


def _fetched_ahead(open_reader: Callable[[], Iterable[Any]]) -> Generator[Any, None, None]:
    """The items of open_reader(), fetched by a thread of their own up to _AHEAD ahead; an
    error in the thread is raised here, and the thread stops when this generator is closed."""
    ahead: queue.Queue[tuple[str, Any]] = queue.Queue(_AHEAD)
    stop = threading.Event()

    def put(item: tuple[str, Any]) -> bool:
        while not stop.is_set():
            try:
                ahead.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def fetch() -> None:
        try:
            for item in open_reader():
                if not put(("item", item)):
                    return
        except BaseException as error:  # handed over to the reader
            put(("error", error))
        else:
            put(("end", None))

    worker = threading.Thread(target=fetch, name="xlsx-rows", daemon=True)
    worker.start()
    try:
        while True:
            kind, item = ahead.get()
            if kind == "end":
                return
            if kind == "error":
                raise item
            yield item
    finally:
        stop.set()
        worker.join()


_STRING_COLUMNS = tuple(
    c
    for c in COLUMNS
    if c not in NUMBER_COLUMNS and c not in _BOOLEAN_COLUMNS and c not in ("year", "retrieved_at")
)


def _register_shared_strings(
    book: Workbook, table: ColumnarTable, distinct: dict[str, list[Any]], lang: str
) -> None:
    """Per string column, each distinct value's shared-string index (of its words, for a coded
    value; None for a text shown as nothing)."""
    for column in _STRING_COLUMNS:
        values = distinct[column]
        shown = [value_label(column, v, lang) if column in _CODED else v for v in values]
        table.register(
            f"_xlsx_text_{column}",
            pd.DataFrame(
                {
                    "v": pd.Series(values, dtype=object),
                    "s": pd.Series([book.shared_string(v) for v in shown], dtype="Int64"),
                }
            ),
        )


def _rows_select(plain: tuple[str, ...]) -> str:
    """SQL of the data sheets' <row> elements, in order: the rows sorted with the cells' shared
    strings and styles as small numbers, their XML made after the sort."""
    payload = []
    cells = []
    joins = []
    last = len(COLUMNS) - 1
    for col, column in enumerate(COLUMNS):
        style = style_attribute(plain[col])
        end = col == last
        if column in _STRING_COLUMNS:
            joins.append(f"LEFT JOIN _xlsx_text_{column} x_{column} ON x_{column}.v = t.{column}")
            payload.append(f"x_{column}.s AS {column}")
            cells.append(shared_cell_sql(column, style, last=end))
        elif column in _SHOWN_VALUES:
            payload.append(f"t.{column}")
            cells.append(number_cell_sql(column, f"coalesce(_style, '{style}')", last=end))
        elif column in NUMBER_COLUMNS:
            payload.append(f"t.{column}")
            cells.append(number_cell_sql(column, f"'{style}'", last=end))
        elif column == "year":
            payload.append(f"t.{column}")
            cells.append(integer_cell_sql(column, style, last=end))
        elif column in _BOOLEAN_COLUMNS:
            payload.append(f"t.{column}")
            cells.append(boolean_cell_sql(column, style, last=end))
        else:  # retrieved_at
            payload.append(f"t.{column}")
            cells.append(date_cell_sql(column, style, last=end))
    order = ", ".join(f"t.{c.strip()}" for c in COLUMNAR_ORDER.split(","))
    sorted_rows = (
        f"SELECT {', '.join(payload)}, d.s AS _style FROM tidy t "
        f"LEFT JOIN _xlsx_styles d ON d.id = t.indicator_id {' '.join(joins)} ORDER BY {order}"
    )
    return f"SELECT {row_sql(cells)} AS xml FROM ({sorted_rows}) k"


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
