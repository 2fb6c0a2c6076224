"""Rows in bulk: cells made in DuckDB SQL hold what Sheet.write_row writes for the same values,
and the ordered stream of row batches split over sheets and fetched ahead in a thread."""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Iterator

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
import pytest

from raketieto.exports.ooxml import Style, Workbook
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
from raketieto.exports.xlsx import _fetched_ahead, _SplitStream
from tests.exports.readback import workbook_cells

ROWS = [
    ("plain", 1.5, 2020, True, dt.datetime(2024, 6, 1, 12, 30), "last"),
    ('a<b & "c"', float("nan"), 1999, False, dt.datetime(1900, 2, 28), None),
    (" lead and\nbreak", float("inf"), -5, True, None, "tab\tkept"),
    (None, None, 0, False, dt.datetime(1900, 3, 1), "ä ö å €"),
    ("", -0.1, 7, True, dt.datetime(2024, 1, 1), ""),
    ("plain", 1e-300, 2020, False, dt.datetime(2023, 12, 31, 23, 59, 59), "last"),
]


def test_sql_cells_hold_what_write_row_writes() -> None:
    fmt = Style(num_format="0.00")
    by_row = Workbook()
    sheet = by_row.add_sheet("Data")
    styles = sheet.row_styles([None, fmt, None, None, Style(num_format="yyyy-mm-dd"), None])
    for values in ROWS:
        sheet.write_row(list(values), styles)

    bulk = Workbook()
    streamed = bulk.add_sheet("Data")
    tails = streamed.row_styles([None, fmt, None, None, Style(num_format="yyyy-mm-dd"), None]).tails
    texts = sorted({v for row in ROWS for v in (row[0], row[5]) if v is not None})
    index = {t: bulk.shared_string(t) for t in texts}
    assert index[""] is None  # the empty text is shown as nothing
    connection = duckdb.connect()
    connection.execute(
        "CREATE TABLE t (n INTEGER, a INTEGER, x DOUBLE, y INTEGER, b BOOLEAN, d TIMESTAMP, "
        "z INTEGER)"
    )
    connection.executemany(
        "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (n, None if a is None else index[a], x, y, b, d, None if z is None else index[z])
            for n, (a, x, y, b, d, z) in enumerate(ROWS)
        ],
    )
    cells = [
        shared_cell_sql("a", style_attribute(tails[0])),
        number_cell_sql("x", f"'{style_attribute(tails[1])}'"),
        integer_cell_sql("y", style_attribute(tails[2])),
        boolean_cell_sql("b", style_attribute(tails[3])),
        date_cell_sql("d", style_attribute(tails[4])),
        shared_cell_sql("z", style_attribute(tails[5]), last=True),
    ]
    relation = connection.sql(f"SELECT {row_sql(cells)} FROM (SELECT * FROM t ORDER BY n)")
    streamed.stream_rows(len(ROWS), 5, lambda: arrow_chunks(relation.to_arrow_reader(2)))
    held = workbook_cells(bulk.to_bytes())["Data"]
    assert held == workbook_cells(by_row.to_bytes())["Data"]
    assert len(held) == len(ROWS)
    assert held[1][1][:2] == ("#NUM!", "e") and held[2][1][:2] == ("#DIV/0!", "e")
    assert held[3][0][0] is None and held[3][1][0] is None and held[3][2][0] == 0


def _batches(sizes: list[int]) -> list[pa.RecordBatch]:
    start = 0
    out = []
    for size in sizes:
        out.append(pa.record_batch([pa.array(range(start, start + size))], names=["n"]))
        start += size
    return out


def _numbers(batches: Iterator[pa.RecordBatch]) -> list[int]:
    return [n for batch in batches for n in batch.column(0).to_pylist()]


def test_the_stream_splits_into_consecutive_parts() -> None:
    stream = _SplitStream(lambda: _batches([3, 5, 1, 4]))
    parts = [_numbers(stream.part(k, rows)) for k, rows in enumerate([4, 4, 4, 1])]
    assert parts == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11], [12]]


def test_parts_out_of_order_or_past_the_end_are_refused() -> None:
    stream = _SplitStream(lambda: _batches([3]))
    with pytest.raises(ValueError, match="part 1 is read before part 0"):
        _numbers(stream.part(1, 2))
    with pytest.raises(ValueError, match="the rows ended 2 rows before part 0 did"):
        _numbers(stream.part(0, 5))


def test_an_error_while_fetching_ahead_is_raised_to_the_reader() -> None:
    def failing() -> Iterator[int]:
        yield 1
        raise RuntimeError("the cube went away")

    fetched = _fetched_ahead(failing)
    assert next(fetched) == 1
    with pytest.raises(RuntimeError, match="the cube went away"):
        next(fetched)


def test_closing_the_reader_early_stops_the_fetching_thread() -> None:
    before = threading.active_count()
    fetched = _fetched_ahead(lambda: iter(range(1_000_000)))
    assert [next(fetched) for _ in range(3)] == [0, 1, 2]
    fetched.close()
    assert threading.active_count() == before


def test_shared_strings_are_a_part_of_their_own_only_when_used() -> None:
    import zipfile

    plain = Workbook()
    plain.add_sheet("A").write_row(["x"])
    assert "xl/sharedStrings.xml" not in zipfile.ZipFile(io.BytesIO(plain.to_bytes())).namelist()
    shared = Workbook()
    shared.add_sheet("A")
    assert shared.shared_string("x") == 0 == shared.shared_string("x")
    assert shared.shared_string("<y>") == 1
    # Excel reads _xHHHH_ as a character: a literal one is kept by escaping its underscore.
    assert shared.shared_string("_x0041_") == 2
    content = shared.to_bytes()
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert archive.read("xl/sharedStrings.xml").endswith(
        b'uniqueCount="3"><si><t>x</t></si><si><t>&lt;y&gt;</t></si>'
        b"<si><t>_x005F_x0041_</t></si></sst>"
    )
