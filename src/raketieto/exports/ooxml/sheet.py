"""A worksheet: rows turned into XML as they are written, widths, frozen panes and a filter."""

from __future__ import annotations

import datetime as dt
import math
import numbers
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from raketieto.exports.ooxml.cells import (
    DEFAULT_DATE_FORMAT,
    MAX_COLUMNS,
    MAX_ROWS,
    CellValue,
    cell_ref,
    column_letter,
    excel_serial,
    quote_sheet_name,
    string_body,
)
from raketieto.exports.ooxml.namespaces import DECLARATION, MAIN, REL
from raketieto.exports.ooxml.styles import RowStyles, Style

if TYPE_CHECKING:
    from raketieto.exports.ooxml.workbook import Workbook

# Rows per encoded chunk: big enough to amortise the join, small enough to keep memory flat.
_ROWS_PER_CHUNK = 1024


class Sheet:
    """One worksheet: rows written in ascending order, widths, frozen panes, a filter."""

    def __init__(self, book: Workbook, name: str, index: int) -> None:
        self.book = book
        self.name = name
        self.index = index
        self.part = f"xl/worksheets/sheet{index + 1}.xml"
        self.widths: dict[int, float] = {}
        self.frozen: tuple[int, int] = (0, 0)
        self.filter_range: tuple[int, int, int, int] | None = None
        self._next_row = 0
        self._last_row = -1
        self._last_col = -1
        self._rows: list[str] = []
        self._chunks: list[bytes] = []
        self._plain = RowStyles(book, (), ())
        self._stream: Callable[[], Iterable[bytes | memoryview]] | None = None

    def row_styles(self, styles: Sequence[Style | None]) -> RowStyles:
        """styles resolved once, to pass to write_row for every row that uses them."""
        heads, tails = [], []
        for col, style in enumerate(styles):
            heads.append(f'<c r="{column_letter(col)}')
            xf = self.book.style_id(style)
            tails.append(f'" s="{xf}"' if xf else '"')
        return RowStyles(self.book, tuple(heads), tuple(tails))

    def write_row(
        self,
        values: Sequence[CellValue],
        styles: RowStyles | Sequence[Style | None] | None = None,
        *,
        row: int | None = None,
    ) -> None:
        """Write values from column A of the next row (or of row, 0-based, not above it);
        None leaves a cell empty."""
        if self._stream is not None:
            raise ValueError("rows cannot be written below streamed rows")
        if row is None:
            row = self._next_row
        elif row < self._next_row:
            raise ValueError(f"row {row} is above row {self._next_row}: rows go downwards")
        if row >= MAX_ROWS:
            raise ValueError(f"row {row} is past Excel's last row {MAX_ROWS - 1}")
        self._next_row = row + 1
        if styles is None:
            styles = self._plain
        elif not isinstance(styles, RowStyles):
            styles = self.row_styles(styles)
        elif styles.book is not self.book:
            raise ValueError("the row styles belong to another workbook")
        end = len(values)
        while end and values[end - 1] is None:
            end -= 1
        if not end:
            return
        if end > len(styles.heads):
            styles = self._widen(styles, end)
        heads, tails = styles.heads, styles.tails
        strings = self.book._strings
        r = str(row + 1)
        cells: list[str] = []
        add = cells.append
        for col, value in enumerate(values):
            if value is None:
                continue
            kind = type(value)
            if kind is str:
                body = strings.get(value)  # type: ignore[arg-type]
                if body is None:
                    body = self.book._string(value)  # type: ignore[arg-type]
                if body:
                    add(f'{heads[col]}{r}{tails[col]} t="inlineStr"><is>{body}</is></c>')
                elif tails[col] != '"':
                    add(f"{heads[col]}{r}{tails[col]}/>")
            elif kind is float:
                text = repr(value)
                if text[-1] in "nf":  # nan, inf, -inf
                    add(_error_cell(heads[col], r, tails[col], value))  # type: ignore[arg-type]
                else:
                    add(f"{heads[col]}{r}{tails[col]}><v>{text}</v></c>")
            elif kind is int:
                add(f"{heads[col]}{r}{tails[col]}><v>{value}</v></c>")
            elif kind is bool:
                add(f'{heads[col]}{r}{tails[col]} t="b"><v>{1 if value else 0}</v></c>')
            else:
                add(self._other_cell(heads[col], r, tails[col], value))
        if not cells:
            return
        self._rows.append(f'<row r="{r}">{"".join(cells)}</row>')
        self._last_row = row
        if end - 1 > self._last_col:
            self._last_col = end - 1
        if len(self._rows) >= _ROWS_PER_CHUNK:
            self._flush()

    def stream_rows(
        self, rows: int, last_col: int, chunks: Callable[[], Iterable[bytes | memoryview]]
    ) -> None:
        """rows more rows from the next one, written by chunks when the workbook is saved.

        chunks yields the UTF-8 XML of the <row> elements in order, with or without their r
        and their cells' references (without them a row follows the one before it, as
        exports.ooxml.bulk writes them); nothing can be written below them. The part is then
        written straight from chunks into the zip, so memory is bounded by one chunk."""
        if self._stream is not None:
            raise ValueError("a sheet streams its rows once")
        if rows < 0 or self._next_row + rows > MAX_ROWS:
            raise ValueError(f"{rows} rows from row {self._next_row} pass Excel's last row")
        column_letter(last_col)
        if rows:
            self._next_row += rows
            self._last_row = self._next_row - 1
            self._last_col = max(self._last_col, last_col)
        self._stream = chunks

    def set_width(self, col: int, width: float) -> None:
        """Column col's width in characters of the default font, as Excel's dialog shows it."""
        column_letter(col)
        if not math.isfinite(width) or not 0 <= width <= 255:
            raise ValueError(f"column width {width} is outside 0..255")
        self.widths[col] = width

    def freeze(self, rows: int, cols: int = 0) -> None:
        """Keep the top rows and left columns in view while scrolling."""
        if rows < 0 or cols < 0 or rows >= MAX_ROWS or cols >= MAX_COLUMNS:
            raise ValueError(f"cannot freeze {rows} rows and {cols} columns")
        self.frozen = (rows, cols)

    def autofilter(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        """Filter buttons on the header of the range (0-based, inclusive)."""
        cell_ref(first_row, first_col)
        cell_ref(last_row, last_col)
        if last_row < first_row or last_col < first_col:
            raise ValueError("the filter range must run down and to the right")
        self.filter_range = (first_row, first_col, last_row, last_col)

    def _widen(self, styles: RowStyles, end: int) -> RowStyles:
        if end > MAX_COLUMNS:
            raise ValueError(f"a row has {end} cells; Excel holds {MAX_COLUMNS}")
        more = range(len(styles.heads), end)
        heads = styles.heads + tuple(f'<c r="{column_letter(c)}' for c in more)
        tails = styles.tails + ('"',) * len(more)
        widened = RowStyles(self.book, heads, tails)
        if styles is self._plain:
            self._plain = widened
        return widened

    def _other_cell(self, head: str, r: str, tail: str, value: object) -> str:
        if isinstance(value, bool):
            return f'{head}{r}{tail} t="b"><v>{1 if value else 0}</v></c>'
        if isinstance(value, str):
            body = string_body(value)
            return f'{head}{r}{tail} t="inlineStr"><is>{body}</is></c>' if body else ""
        if isinstance(value, dt.date):
            serial = excel_serial(value)
            if serial is None:  # before 1900: Excel has no such date, so show the text
                body = string_body(
                    value.isoformat(sep=" ")
                    if isinstance(value, dt.datetime)
                    else value.isoformat()
                )
                return f'{head}{r}{tail} t="inlineStr"><is>{body}</is></c>'
            if tail == '"':
                fmt = (
                    self.book.datetime_format
                    if isinstance(value, dt.datetime)
                    else DEFAULT_DATE_FORMAT
                )
                tail = f'" s="{self.book.style_id(Style(num_format=fmt))}"'
            return f"{head}{r}{tail}><v>{serial!r}</v></c>"
        if isinstance(value, numbers.Integral):
            return f"{head}{r}{tail}><v>{int(value)}</v></c>"
        if isinstance(value, numbers.Real):
            number = float(value)
            if not math.isfinite(number):
                return _error_cell(head, r, tail, number)
            return f"{head}{r}{tail}><v>{number!r}</v></c>"
        raise TypeError(f"a cell cannot hold {type(value).__name__} {value!r}")

    def _flush(self) -> None:
        if self._rows:
            self._chunks.append("".join(self._rows).encode("utf-8"))
            self._rows = []

    def _size(self) -> int:
        return sum(len(c) for c in self._chunks) + 4096

    def _filter_name(self) -> str:
        assert self.filter_range is not None
        first_row, first_col, last_row, last_col = self.filter_range
        start = cell_ref(first_row, first_col, absolute=True)
        end = cell_ref(last_row, last_col, absolute=True)
        return f"{quote_sheet_name(self.name)}!{start}:{end}"

    def _xml(self) -> Iterator[bytes | memoryview]:
        last = self._last_row
        dimension = "A1" if last < 0 else f"A1:{cell_ref(last, self._last_col)}"
        head = (
            f'{DECLARATION}<worksheet xmlns="{MAIN}" xmlns:r="{REL}">'
            f'<dimension ref="{dimension}"/><sheetViews>{self._view()}</sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/>{self._cols()}<sheetData>'
        )
        tail = "</sheetData>"
        if self.filter_range is not None:
            first_row, first_col, last_row, last_col = self.filter_range
            ref = f"{cell_ref(first_row, first_col)}:{cell_ref(last_row, last_col)}"
            tail += f'<autoFilter ref="{ref}"/>'
        tail += (
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
            'footer="0.3"/></worksheet>'
        )
        yield head.encode("utf-8")
        yield from self._chunks
        if self._stream is not None:
            yield from self._stream()
        yield tail.encode("utf-8")

    def _view(self) -> str:
        selected = ' tabSelected="1"' if self.index == 0 else ""
        rows, cols = self.frozen
        if not rows and not cols:
            return f'<sheetView{selected} workbookViewId="0"/>'
        top_left = cell_ref(rows, cols)
        split = (f' xSplit="{cols}"' if cols else "") + (f' ySplit="{rows}"' if rows else "")
        if rows and cols:
            active = "bottomRight"
            panes: tuple[str, ...] = ("topRight", "bottomLeft", "bottomRight")
        else:
            active = "bottomLeft" if rows else "topRight"
            panes = (active,)
        # Only the active pane holds the cursor, as Excel writes it.
        selections = "".join(
            f'<selection pane="{pane}" activeCell="{top_left}" sqref="{top_left}"/>'
            if pane == active
            else f'<selection pane="{pane}"/>'
            for pane in panes
        )
        return (
            f'<sheetView{selected} workbookViewId="0"><pane{split} topLeftCell="{top_left}" '
            f'activePane="{active}" state="frozen"/>{selections}</sheetView>'
        )

    def _cols(self) -> str:
        if not self.widths:
            return ""
        cols = []
        for col in sorted(self.widths):
            width = self.widths[col]
            if width <= 0:
                attrs = 'width="0" hidden="1" customWidth="1"'
            else:
                attrs = f'width="{_stored_width(width)}" customWidth="1"'
            cols.append(f'<col min="{col + 1}" max="{col + 1}" {attrs}/>')
        return f"<cols>{''.join(cols)}</cols>"


def _stored_width(width: float) -> str:
    # ECMA-376 18.3.1.13: characters of the maximum digit width (7 px in Calibri 11) plus
    # 5 px of padding, in 1/256ths of a character.
    pixels = int(width * 7 + 0.5) + 5
    return repr(int(pixels / 7 * 256) / 256)


def _error_cell(head: str, r: str, tail: str, value: float) -> str:
    # What Excel itself shows for the results: 0/0 is #NUM!, x/0 is #DIV/0!.
    error = "#NUM!" if math.isnan(value) else "#DIV/0!"
    return f'{head}{r}{tail} t="e"><v>{error}</v></c>'
