"""Sheet rows in bulk: the XML of a cell as a DuckDB SQL expression, and Arrow batches of row XML
as chunks for `Sheet.stream_rows`.

The rows are written compactly, as Excel itself may read them: no `r` references (a row follows
the one before it, a cell the one before it; an empty cell between two others is an empty
`<c/>`, which holds nothing), and strings as indices into the workbook's shared strings
(`Workbook.shared_string`). Each expression yields the cell of the same value, type and style
that `Sheet.write_row` writes (a number as its shortest round-trip text, NaN and infinities as
error cells, a boolean, a date as a serial day), `<c/>` for a cell that holds nothing, or, as
`last`, an empty text. Strings are not escaped in SQL: the caller joins each value to its
shared-string index, made once by the workbook (labels and codes are few), so the escaping
rules live in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]

# Microseconds from Excel's day 0 (1899-12-30) to the Unix epoch, and in a day.
_EPOCH_US = 25_569 * 86_400_000_000
_DAY_US = 86_400_000_000
#: The cell that holds nothing: it keeps the next cell in its column.
EMPTY_CELL = "<c/>"


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def style_attribute(tail: str) -> str:
    """The style attribute of a resolved tail of `Sheet.row_styles` ('"' or '" s="3"')."""
    return tail[1:]


def _nothing(last: bool) -> str:
    return "''" if last else _quoted(EMPTY_CELL)


def shared_cell_sql(index: str, style: str = "", *, last: bool = False) -> str:
    """A shared-string cell of the INTEGER expression index (NULL: a cell holding nothing)."""
    head = _quoted(f'<c{style} t="s"><v>')
    nothing = _nothing(last)
    return f"CASE WHEN {index} IS NULL THEN {nothing} ELSE {head} || {index} || '</v></c>' END"


def number_cell_sql(value: str, style_sql: str, *, last: bool = False) -> str:
    """A number cell of the DOUBLE expression value, styled by the SQL text style_sql (a style
    attribute such as ' s="3"', or '')."""
    head = f"'<c' || {style_sql}"
    return (
        f"CASE WHEN {value} IS NULL THEN {_nothing(last)} "
        f"WHEN isnan({value}) THEN {head} || ' t=\"e\"><v>#NUM!</v></c>' "
        f"WHEN isinf({value}) THEN {head} || ' t=\"e\"><v>#DIV/0!</v></c>' "
        f"ELSE {head} || '><v>' || CAST({value} AS VARCHAR) || '</v></c>' END"
    )


def integer_cell_sql(value: str, style: str = "", *, last: bool = False) -> str:
    """A whole-number cell of the integer expression value."""
    head = _quoted(f"<c{style}><v>")
    return (
        f"CASE WHEN {value} IS NULL THEN {_nothing(last)} "
        f"ELSE {head} || CAST({value} AS VARCHAR) || '</v></c>' END"
    )


def boolean_cell_sql(value: str, style: str = "", *, last: bool = False) -> str:
    """A boolean cell of the BOOLEAN expression value."""
    true, false = (_quoted(f'<c{style} t="b"><v>{v}</v></c>') for v in (1, 0))
    nothing = _nothing(last)
    return f"CASE WHEN {value} IS NULL THEN {nothing} WHEN {value} THEN {true} ELSE {false} END"


def serial_sql(moment: str) -> str:
    """Excel's serial day of a TIMESTAMP expression (its wall time), as Python computes it: one
    correctly rounded division of whole microseconds. Days before March 1900 count Excel's
    phantom 29 February; a moment before 1900 has no serial (NULL)."""
    days = f"(CAST(epoch_us({moment}) + {_EPOCH_US} AS DOUBLE) / {float(_DAY_US)!r})"
    return f"CASE WHEN {days} >= 61 THEN {days} WHEN {days} - 1 >= 1 THEN {days} - 1 ELSE NULL END"


def date_cell_sql(moment: str, style: str = "", *, last: bool = False) -> str:
    """A date cell of the TIMESTAMP expression moment (before 1900: a cell holding nothing)."""
    serial = serial_sql(moment)
    head = _quoted(f"<c{style}><v>")
    return (
        f"CASE WHEN ({serial}) IS NULL THEN {_nothing(last)} "
        f"ELSE {head} || CAST(({serial}) AS VARCHAR) || '</v></c>' END"
    )


def row_sql(cells: Iterable[str]) -> str:
    """A <row> element of the cells in order (each one's expression is never NULL)."""
    return f"concat('<row>', {', '.join(cells)}, '</row>')"


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
