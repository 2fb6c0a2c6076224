"""Excel workbook of a tidy table: cover, data, definitions and regions sheets.

Written with XlsxWriter (see bench/export_bench.py for why): numbers are stored as numbers,
a suppressed cell as an empty value with the flag and the reason beside it, times as Excel
dates. Every list has a frozen header row, filters on and widths fitted to its content.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from typing import IO, Any

import xlsxwriter

from raketieto.exports.labels import (
    ATTRIBUTIONS,
    COLUMN_HEADERS,
    COVER,
    DEFINITION_HEADERS,
    REGION_HEADERS,
    SHEETS,
    Texts,
    text,
    value_label,
)
from raketieto.reports.tidy import COLUMNS, NUMBER_COLUMNS, DefinitionRow, RegionRow, TidyTable

_CODED = ("level", "sex", "age_group", "comparison")
_MIN_WIDTH, _MAX_WIDTH = 6, 60
# Widths are fitted on the first rows only; a long tail seldom changes them and costs time.
_WIDTH_SAMPLE = 2000
_DATE_FORMAT = "yyyy-mm-dd hh:mm"


def xlsx_bytes(table: TidyTable) -> bytes:
    """The workbook of table as bytes."""
    buffer = io.BytesIO()
    write_xlsx(table, buffer)
    return buffer.getvalue()


def write_xlsx(table: TidyTable, target: str | Path | IO[bytes]) -> None:
    """Write the workbook of table to a path or a binary file object."""
    destination: Any = str(target) if isinstance(target, Path) else target
    workbook = xlsxwriter.Workbook(
        destination, {"in_memory": True, "remove_timezone": True, "nan_inf_to_errors": True}
    )
    lang = table.lang
    workbook.set_properties(
        {
            "title": table.title,
            "author": "raketieto",
            "comments": ATTRIBUTIONS[lang],
        }
    )
    styles = _Styles(workbook)
    _cover(workbook.add_worksheet(text(SHEETS, "cover", lang)), table, styles)
    _data(workbook.add_worksheet(text(SHEETS, "data", lang)), table, styles)
    _records(
        workbook.add_worksheet(text(SHEETS, "definitions", lang)),
        table.definitions,
        DEFINITION_HEADERS,
        lang,
        styles,
    )
    _records(
        workbook.add_worksheet(text(SHEETS, "regions", lang)),
        table.regions,
        REGION_HEADERS,
        lang,
        styles,
    )
    workbook.close()


class _Styles:
    """The few cell formats the workbook uses, created once."""

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self.header = workbook.add_format({"bold": True, "bg_color": "#DDE4EE", "border": 1})
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.label = workbook.add_format({"bold": True, "valign": "top"})
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.date = workbook.add_format({"num_format": _DATE_FORMAT})
        self.warning = workbook.add_format({"bold": True, "font_color": "#9C0006"})
        self.decimals = {
            n: workbook.add_format({"num_format": "0" + ("." + "0" * n if n else "")})
            for n in range(7)
        }


def _cover(sheet: Any, table: TidyTable, styles: _Styles) -> None:
    lang = table.lang
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 100)
    sheet.write_string(0, 0, table.title, styles.title)
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
        sheet.write_string(row, 0, label, styles.label)
        if isinstance(value, dt.datetime):
            sheet.write_datetime(row, 1, value, styles.date)
        elif isinstance(value, int):
            sheet.write_number(row, 1, value)
        else:
            sheet.write_string(row, 1, str(value), styles.wrap)
        row += 1
    if table.has_synthetic:
        sheet.write_string(row, 1, text(COVER, "synthetic", lang), styles.warning)


def _data(sheet: Any, table: TidyTable, styles: _Styles) -> None:
    lang = table.lang
    decimals = {d.indicator_id: min(d.decimals, 6) for d in table.definitions}
    headers = [text(COLUMN_HEADERS, c, lang) for c in COLUMNS]
    widths = [len(h) for h in headers]
    for col, header in enumerate(headers):
        sheet.write_string(0, col, header, styles.header)
    # The column kinds are known, so each cell goes straight to its typed writer.
    write_string, write_number = sheet.write_string, sheet.write_number
    write_boolean, write_datetime = sheet.write_boolean, sheet.write_datetime
    shown_values = frozenset(("value", "ci_lower", "ci_upper"))
    plan = [(col, column, _kind(column)) for col, column in enumerate(COLUMNS)]
    date = styles.date
    for number, tidy in enumerate(table.rows, start=1):
        shown = styles.decimals[decimals.get(tidy.indicator_id, 2)]
        measure = number <= _WIDTH_SAMPLE
        for col, column, kind in plan:
            value = getattr(tidy, column)
            if value is None:
                continue
            if kind == "number":
                write_number(number, col, value, shown if column in shown_values else None)
                width = len(str(round(value, 2))) if measure else 0
            elif kind == "text":
                write_string(number, col, value)
                width = len(value) if measure else 0
            elif kind == "coded":
                label = value_label(column, value, lang)
                write_string(number, col, label)
                width = len(label)
            elif kind == "bool":
                write_boolean(number, col, value)
                width = 6
            else:
                write_datetime(number, col, value, date)
                width = len(_DATE_FORMAT)
            if width > widths[col]:
                widths[col] = width
    _finish_list(sheet, widths, len(table.rows), len(COLUMNS))


def _kind(column: str) -> str:
    if column in NUMBER_COLUMNS or column == "year":
        return "number"
    if column in _CODED:
        return "coded"
    if column in ("suppressed", "synthetic"):
        return "bool"
    if column == "retrieved_at":
        return "datetime"
    return "text"


def _records(
    sheet: Any,
    records: Sequence[DefinitionRow | RegionRow],
    headers: Texts,
    lang: str,
    styles: _Styles,
) -> None:
    names = list(headers)
    widths = []
    for col, name in enumerate(names):
        header = text(headers, name, lang)
        sheet.write_string(0, col, header, styles.header)
        widths.append(len(header))
    for number, record in enumerate(records, start=1):
        values = {f.name: getattr(record, f.name) for f in fields(record)}
        for col, name in enumerate(names):
            value = values[name]
            if value is None:
                continue
            if isinstance(value, dt.datetime):
                sheet.write_datetime(number, col, value, styles.date)
                width = len(_DATE_FORMAT)
            elif isinstance(value, int):
                sheet.write_number(number, col, value)
                width = len(str(value))
            else:
                shown = value_label(name, value, lang)
                sheet.write_string(number, col, shown, styles.wrap if len(shown) > 60 else None)
                width = len(shown)
            widths[col] = max(widths[col], width)
    _finish_list(sheet, widths, len(records), len(names))


def _finish_list(sheet: Any, widths: list[int], rows: int, columns: int) -> None:
    for col, width in enumerate(widths):
        sheet.set_column(col, col, max(_MIN_WIDTH, min(width + 2, _MAX_WIDTH)))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(rows, 1), columns - 1)
