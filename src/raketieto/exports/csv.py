"""CSV: the standard form (UTF-8, comma, point, column ids) and an Excel-friendly Finnish form.

The Finnish form is chosen explicitly (format ``csv-fi``): semicolon separator, decimal comma,
a byte-order mark so that Excel reads UTF-8, CRLF line ends, headers and coded values in the
chosen language. Numbers are never rounded: both forms write the shortest text that reads back
as exactly the stored number, so the CSV and the JSON carry identical values.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np

from raketieto.exports.labels import COLUMN_HEADERS, YES_NO, text, value_label
from raketieto.reports.tidy import COLUMNS, NUMBER_COLUMNS, ColumnarTable, TidyRow, TidyTable
from raketieto.reports.tidy_stream import ValueSelection

_CODED = ("level", "sex", "age_group", "comparison")


def plain_number(value: float) -> str:
    """The shortest positional text that reads back as value ('12', '0.125', never '1e-05')."""
    return str(np.format_float_positional(value, trim="-"))


def iso_utc(moment: dt.datetime) -> str:
    """'2025-09-25T00:00:00Z' for a UTC moment."""
    return moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat() + "Z"


def _rows_of(table: TidyTable | ColumnarTable) -> Iterable[TidyRow]:
    # A column-wise table's rows come a batch at a time, the same rows as the workbook's.
    return table.iter_rows() if isinstance(table, ColumnarTable) else table.rows


def standard_csv(table: TidyTable | ColumnarTable) -> str:
    """RFC 4180 CSV with the stable column ids as headers and coded values as they are."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(_standard_rows(_rows_of(table)))
    return out.getvalue()


def _standard_rows(rows: Iterable[TidyRow]) -> Iterator[list[str]]:
    for row in rows:
        cells = []
        for column in COLUMNS:
            value = getattr(row, column)
            if value is None:
                cells.append("")
            elif isinstance(value, bool):
                cells.append("true" if value else "false")
            elif column in NUMBER_COLUMNS:
                cells.append(plain_number(value))
            elif isinstance(value, dt.datetime):
                cells.append(iso_utc(value))
            else:
                cells.append(str(value))
        yield cells


def finnish_csv(table: TidyTable | ColumnarTable) -> str:
    """CSV for Excel in Finnish locales: semicolons, decimal commas, headers in table.lang."""
    lang = table.lang
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([text(COLUMN_HEADERS, c, lang) for c in COLUMNS])
    for row in _rows_of(table):
        cells = []
        for column in COLUMNS:
            value = getattr(row, column)
            if value is None:
                cells.append("")
            elif isinstance(value, bool):
                cells.append(YES_NO[value][lang])
            elif column in NUMBER_COLUMNS:
                cells.append(plain_number(value).replace(".", ","))
            elif isinstance(value, dt.datetime):
                # Excel reads 'YYYY-MM-DD HH:MM:SS' as a date in every locale.
                cells.append(value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"))
            elif column in _CODED:
                cells.append(value_label(column, str(value), lang))
            else:
                cells.append(str(value))
        writer.writerow(cells)
    return out.getvalue()


# --- Streamed from the cube, column by column ----------------------------------------------


def _standard_column(column: str, values: list[Any]) -> list[str]:
    """_standard_rows' cells of one column, a column at a time (tested equal)."""
    if column in NUMBER_COLUMNS:
        return ["" if v is None else plain_number(v) for v in values]
    if column in ("suppressed", "synthetic"):
        return ["true" if v else "false" for v in values]
    if column == "retrieved_at":
        return _times(values, iso_utc)
    return ["" if v is None else str(v) for v in values]


def _finnish_column(column: str, values: list[Any], lang: str) -> list[str]:
    """finnish_csv's cells of one column, a column at a time (tested equal)."""
    if column in NUMBER_COLUMNS:
        return ["" if v is None else plain_number(v).replace(".", ",") for v in values]
    if column in ("suppressed", "synthetic"):
        words = {True: YES_NO[True][lang], False: YES_NO[False][lang]}
        return [words[bool(v)] for v in values]
    if column == "retrieved_at":
        return _times(values, lambda m: m.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"))
    if column in _CODED:
        labels: dict[Any, str] = {}
        for value in values:
            if value not in labels:
                labels[value] = "" if value is None else value_label(column, str(value), lang)
        return [labels[v] for v in values]
    return ["" if v is None else str(v) for v in values]


def _times(values: list[Any], form: Callable[[dt.datetime], str]) -> list[str]:
    # A handful of distinct retrieval moments: each is written once.
    texts: dict[Any, str] = {None: ""}
    out = []
    for value in values:
        if value not in texts:
            texts[value] = form(value)
        out.append(texts[value])
    return out


def stream_csv(
    selection: ValueSelection, *, finnish: bool = False, batch_rows: int = 20_000
) -> Iterator[bytes]:
    """Every row of selection as the bytes render() gives for its TidyTable in the csv form
    (finnish: csv-fi, with its byte-order mark), a batch at a time: memory is bounded by a
    batch, not by the answer."""
    lang = selection.lang
    out = io.StringIO()
    if finnish:
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow([text(COLUMN_HEADERS, c, lang) for c in COLUMNS])
        yield "\ufeff".encode() + out.getvalue().encode()
    else:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        yield out.getvalue().encode()
    for batch in selection.batches(batch_rows):
        out.seek(0)
        out.truncate()
        cells = [
            _finnish_column(c, batch.columns[c], lang)
            if finnish
            else _standard_column(c, batch.columns[c])
            for c in COLUMNS
        ]
        writer.writerows(zip(*cells, strict=True))
        yield out.getvalue().encode()
