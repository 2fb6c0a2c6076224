"""Sheet rows in bulk: the XML of a cell as a DuckDB SQL expression, and Arrow batches of row XML
as chunks for `Sheet.stream_rows`.

Each expression yields exactly what `Sheet.write_row` writes for the same value (an inline
string, a number as its shortest round-trip text, NaN and infinities as error cells, a boolean,
a date as a serial day), or NULL for a cell that is not written; `row_sql` joins the cells of
a row, skipping the NULL ones. Strings are not escaped in SQL: the caller joins each value to
its cell text made once by `cells.string_body` (labels and codes are few), so the escaping rules
live in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]

# Microseconds from Excel's day 0 (1899-12-30) to the Unix epoch, and in a day.
_EPOCH_US = 25_569 * 86_400_000_000
_DAY_US = 86_400_000_000


def _head(letter: str, row: str, tail: str) -> str:
    return f"'<c r=\"{letter}' || {row} || {tail}"


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def string_cell_sql(letter: str, row: str, body: str, tail: str = '"') -> str:
    """An inline string cell whose <t> element is the SQL expression body (NULL: no cell)."""
    return (
        f"{_head(letter, row, _quoted(tail))} || ' t=\"inlineStr\"><is>' || {body} || '</is></c>'"
    )


def number_cell_sql(letter: str, row: str, value: str, tail_sql: str) -> str:
    """A number cell of the DOUBLE expression value, styled by the SQL text tail_sql."""
    head = _head(letter, row, tail_sql)
    return (
        f"CASE WHEN {value} IS NULL THEN NULL "
        f"WHEN isnan({value}) THEN {head} || ' t=\"e\"><v>#NUM!</v></c>' "
        f"WHEN isinf({value}) THEN {head} || ' t=\"e\"><v>#DIV/0!</v></c>' "
        f"ELSE {head} || '><v>' || CAST({value} AS VARCHAR) || '</v></c>' END"
    )


def integer_cell_sql(letter: str, row: str, value: str, tail: str = '"') -> str:
    """A whole-number cell of the integer expression value."""
    return (
        f"{_head(letter, row, _quoted(tail))} || '><v>' || CAST({value} AS VARCHAR) || '</v></c>'"
    )


def boolean_cell_sql(letter: str, row: str, value: str, tail: str = '"') -> str:
    """A boolean cell of the BOOLEAN expression value."""
    return (
        f"{_head(letter, row, _quoted(tail))} || ' t=\"b\"><v>' || "
        f"CASE WHEN {value} THEN '1' ELSE '0' END || '</v></c>'"
    )


def serial_sql(moment: str) -> str:
    """Excel's serial day of a TIMESTAMP expression (its wall time), as Python computes it: one
    correctly rounded division of whole microseconds. Days before March 1900 count Excel's
    phantom 29 February; a moment before 1900 has no serial (NULL)."""
    days = f"(CAST(epoch_us({moment}) + {_EPOCH_US} AS DOUBLE) / {float(_DAY_US)!r})"
    return f"CASE WHEN {days} >= 61 THEN {days} WHEN {days} - 1 >= 1 THEN {days} - 1 ELSE NULL END"


def row_sql(row: str, cells: Sequence[str]) -> str:
    """A <row> element holding the cells that are not NULL, in order."""
    return f"'<row r=\"' || {row} || '\">' || concat({', '.join(cells)}) || '</row>'"


def arrow_chunks(batches: Iterable[pa.RecordBatch]) -> Iterator[bytes | memoryview]:
    """The first column's strings of each batch back to back, without a Python string per row:
    the UTF-8 data buffer of the Arrow array between its first and last offset."""
    for batch in batches:
        array = batch.column(0)
        if len(array) == 0:
            continue
        if array.null_count:
            raise ValueError("a row's XML cannot be NULL")
        if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
            width = np.int32 if pa.types.is_string(array.type) else np.int64
            _, offsets_buffer, data = array.buffers()
            offsets = np.frombuffer(
                offsets_buffer,
                dtype=width,
                count=len(array) + 1,
                offset=array.offset * np.dtype(width).itemsize,
            )
            yield memoryview(data)[int(offsets[0]) : int(offsets[-1])]
        else:  # e.g. string views: fall back to Python strings
            yield "".join(array.to_pylist()).encode("utf-8")
