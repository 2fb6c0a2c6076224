"""Excel workbook of a tidy table: cover, data, definitions and regions sheets.

Written with raketieto.exports.ooxml (see bench/export_bench.py for why): numbers are stored as
numbers, a suppressed cell as an empty value with the flag and the reason beside it, times as
Excel dates. Every list has a frozen header row, filters on and widths fitted to its content.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import fields
from operator import attrgetter
from pathlib import Path
from typing import IO, Any

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
from raketieto.exports.ooxml import CellValue, Sheet, Style, Workbook
from raketieto.reports.tidy import COLUMNS, NUMBER_COLUMNS, DefinitionRow, RegionRow, TidyTable

_CODED = ("level", "sex", "age_group", "comparison")
_MIN_WIDTH, _MAX_WIDTH = 6, 60
# Widths are fitted on the first rows only; a long tail seldom changes them and costs time.
_WIDTH_SAMPLE = 2000
_DATE_FORMAT = "yyyy-mm-dd hh:mm"
_SHOWN_VALUES = ("value", "ci_lower", "ci_upper")

HEADER = Style(bold=True, fill="#DDE4EE", border=True)
TITLE = Style(bold=True, size=14)
LABEL = Style(bold=True, vertical="top")
WRAP = Style(wrap=True, vertical="top")
DATE = Style(num_format=_DATE_FORMAT)
WARNING = Style(bold=True, color="#9C0006")


def decimals_style(decimals: int) -> Style:
    """The number format showing decimals places (0-6)."""
    return Style(num_format="0" + ("." + "0" * decimals if decimals else ""))


def xlsx_bytes(table: TidyTable) -> bytes:
    """The workbook of table as bytes."""
    buffer = io.BytesIO()
    write_xlsx(table, buffer)
    return buffer.getvalue()


def write_xlsx(table: TidyTable, target: str | Path | IO[bytes]) -> None:
    """Write the workbook of table to a path or a binary file object."""
    lang = table.lang
    book = Workbook(
        title=table.title,
        creator="raketieto",
        description=ATTRIBUTIONS[lang],
        datetime_format=_DATE_FORMAT,
    )
    _cover(book.add_sheet(text(SHEETS, "cover", lang)), table)
    _data(book.add_sheet(text(SHEETS, "data", lang)), table)
    _records(
        book.add_sheet(text(SHEETS, "definitions", lang)),
        table.definitions,
        DEFINITION_HEADERS,
        lang,
    )
    _records(book.add_sheet(text(SHEETS, "regions", lang)), table.regions, REGION_HEADERS, lang)
    book.save(target)


def _cover(sheet: Sheet, table: TidyTable) -> None:
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
        (text(COVER, "rows", lang), len(table.rows)),
        ("", text(COVER, "sheets", lang)),
        ("", text(COVER, "suppression", lang)),
    ]
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


def _data(sheet: Sheet, table: TidyTable) -> None:
    lang = table.lang
    headers = [text(COLUMN_HEADERS, c, lang) for c in COLUMNS]
    sheet.write_row(headers, [HEADER] * len(COLUMNS))
    decimals = {d.indicator_id: max(0, min(d.decimals, 6)) for d in table.definitions}
    # One resolved style row per number of decimals; a row picks its own by its indicator.
    by_decimals = {
        n: sheet.row_styles(
            [
                decimals_style(n) if c in _SHOWN_VALUES else DATE if c == "retrieved_at" else None
                for c in COLUMNS
            ]
        )
        for n in sorted({*decimals.values(), 2})
    }
    plain = by_decimals[2]
    coded = [(COLUMNS.index(c), c, _labels(c, lang)) for c in _CODED]
    cells = attrgetter(*COLUMNS)
    write_row = sheet.write_row
    widths = [len(h) for h in headers]
    measures = [_measure(c) for c in COLUMNS]
    for number, tidy in enumerate(table.rows):
        values: list[Any] = list(cells(tidy))
        for col, column, labels in coded:
            code = values[col]
            if code is not None:
                label = labels.get(code)
                values[col] = value_label(column, code, lang) if label is None else label
        write_row(values, by_decimals.get(decimals.get(tidy.indicator_id, 2), plain))
        if number < _WIDTH_SAMPLE:
            _fit(widths, measures, values)
    # Coded labels are few, so every row's label counts, as on the screen.
    for col, column, _ in coded:
        shown = {value_label(column, v, lang) for v in {getattr(r, column) for r in table.rows}}
        widths[col] = max([widths[col], *(len(s) for s in shown if s is not None)])
    _finish_list(sheet, widths, len(table.rows), len(COLUMNS))


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
