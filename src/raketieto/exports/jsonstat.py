"""JSON-stat 2.0 dataset of a tidy table, the format statistical offices and PxWeb clients read.

Dimensions in order: indicator (role metric, with each indicator's unit), area (geo), year
(time), sex and age group. Values are stored sparsely as an object keyed by the row-major index
when fewer than half of the cells exist, otherwise as an array. A suppressed cell has value null
and status "s"; its reason is in extension.suppression_reason. Confidence limits, numerators
and denominators travel in extension in the same shape as value.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import tempfile
from collections.abc import Iterator
from typing import IO, Any

from raketieto.exports.csv import iso_utc
from raketieto.exports.labels import (
    ATTRIBUTIONS,
    COLUMN_HEADERS,
    COVER,
    text,
    value_label,
)
from raketieto.reports.tidy import TidyRow, TidyTable
from raketieto.reports.tidy_stream import ValueSelection

DIMENSIONS = ("indicator", "area", "year", "sex", "age_group")
_EXTRA = ("ci_lower", "ci_upper", "numerator", "denominator")


def _key(row: TidyRow, dimension: str) -> str:
    if dimension == "indicator":
        return row.indicator_id
    if dimension == "area":
        return row.area_code
    if dimension == "year":
        return str(row.year)
    return str(getattr(row, dimension))


def jsonstat_dataset(table: TidyTable) -> dict[str, Any]:
    """The table as one JSON-stat 2.0 dataset."""
    lang = table.lang
    codes: dict[str, dict[str, int]] = {d: {} for d in DIMENSIONS}
    for row in table.rows:
        for dimension in DIMENSIONS:
            codes[dimension].setdefault(_key(row, dimension), len(codes[dimension]))
    codes["year"] = {y: n for n, y in enumerate(sorted(codes["year"], key=int))}
    sizes = [len(codes[d]) for d in DIMENSIONS]
    cells = 1
    for size in sizes:
        cells *= size
    dense = cells > 0 and len(table.rows) * 2 >= cells
    values: dict[str, Any] = {}
    extra: dict[str, dict[str, Any]] = {name: {} for name in _EXTRA}
    status: dict[str, str] = {}
    reasons: dict[str, str] = {}
    for row in table.rows:
        index = 0
        for dimension, size in zip(DIMENSIONS, sizes, strict=True):
            index = index * size + codes[dimension][_key(row, dimension)]
        key = str(index)
        values[key] = row.value
        for name in _EXTRA:
            extra[name][key] = getattr(row, name)
        if row.suppressed:
            status[key] = "s"
            if row.suppression_reason:
                reasons[key] = row.suppression_reason
    if dense:  # the cells' order, as the arrays have it (and as the stream writes them)
        status = _by_cell(status)
        reasons = _by_cell(reasons)
    labels = _labels(table)
    dataset: dict[str, Any] = {
        "version": "2.0",
        "class": "dataset",
        "label": table.title,
        "source": ATTRIBUTIONS[lang],
        "updated": iso_utc(table.extracted_at),
        "id": list(DIMENSIONS),
        "size": sizes,
        "role": {"metric": ["indicator"], "geo": ["area"], "time": ["year"]},
        "dimension": {
            dimension: {
                "label": _DIMENSION_LABELS[dimension].get(lang, dimension),
                "category": {
                    "index": codes[dimension],
                    "label": {code: labels[dimension].get(code, code) for code in codes[dimension]},
                    **({"unit": _units(table)} if dimension == "indicator" else {}),
                },
            }
            for dimension in DIMENSIONS
        },
        "value": _shape(values, cells, dense),
        "status": status,
        "note": [text(COVER, "suppression", lang)],
        "extension": {
            **{name: _shape(extra[name], cells, dense) for name in _EXTRA},
            "suppression_reason": reasons,
            "division_year": table.division_year,
            "built_at": table.built_at,
            "synthetic": table.has_synthetic,
        },
    }
    if table.has_synthetic:
        dataset["note"].append(text(COVER, "synthetic", lang))
    return dataset


def _by_cell(found: dict[str, str]) -> dict[str, str]:
    return dict(sorted(found.items(), key=lambda item: int(item[0])))


def _shape(values: dict[str, Any], cells: int, dense: bool) -> Any:
    if not dense:
        return values
    array: list[Any] = [None] * cells
    for key, value in values.items():
        array[int(key)] = value
    return array


_DIMENSION_LABELS = {
    "indicator": COLUMN_HEADERS["indicator_label"],
    "area": COLUMN_HEADERS["area_name"],
    "year": COLUMN_HEADERS["year"],
    "sex": COLUMN_HEADERS["sex"],
    "age_group": COLUMN_HEADERS["age_group"],
}


def _labels(table: TidyTable) -> dict[str, dict[str, str]]:
    lang = table.lang
    labels: dict[str, dict[str, str]] = {d: {} for d in DIMENSIONS}
    for row in table.rows:
        labels["indicator"][row.indicator_id] = row.indicator_label
        labels["area"][row.area_code] = row.area_name
        labels["sex"][row.sex] = value_label("sex", row.sex, lang)
        labels["age_group"][row.age_group] = value_label("age_group", row.age_group, lang)
    return labels


def _units(table: TidyTable) -> dict[str, dict[str, Any]]:
    return {
        d.indicator_id: {"label": d.unit_symbol, "decimals": d.decimals} for d in table.definitions
    }


#: JSON-stat's dimensions as tidy columns.
_CELL_COLUMNS = {
    "indicator": "indicator_id",
    "area": "area_code",
    "year": "year",
    "sex": "sex",
    "age_group": "age_group",
}
#: Below this many bytes a section waiting for its turn stays in memory.
_SPOOL_BYTES = 8 * 1024 * 1024


def stream_jsonstat(
    selection: ValueSelection,
    *,
    extracted_at: dt.datetime | None = None,
    batch_rows: int = 20_000,
) -> Iterator[bytes]:
    """Every row of selection as the bytes render() gives for its TidyTable in the jsonstat
    form (extracted_at: the table's moment of extraction, now by default), a batch at a time.

    The dimensions are asked first (each code where the rows first show it), then the rows are
    read once: "value" is written as it comes, the other sections of the same shape wait in
    temporary files (in memory while small) until their turn. Memory is bounded by a batch."""
    lang = selection.lang
    moment = extracted_at or dt.datetime.now(dt.UTC).replace(microsecond=0)
    seen = selection.first_seen(list(_CELL_COLUMNS.values()))
    seen["year"] = sorted(seen["year"])
    codes = {d: [str(v) for v in seen[_CELL_COLUMNS[d]]] for d in DIMENSIONS}
    sizes = [len(codes[d]) for d in DIMENSIONS]
    cells = math.prod(sizes)
    total, synthetic = selection.total()
    dense = cells > 0 and total * 2 >= cells
    head: dict[str, Any] = {
        "version": "2.0",
        "class": "dataset",
        "label": selection.title,
        "source": ATTRIBUTIONS[lang],
        "updated": iso_utc(moment),
        "id": list(DIMENSIONS),
        "size": sizes,
        "role": {"metric": ["indicator"], "geo": ["area"], "time": ["year"]},
        "dimension": {
            dimension: {
                "label": _DIMENSION_LABELS[dimension].get(lang, dimension),
                "category": {
                    "index": {code: n for n, code in enumerate(codes[dimension])},
                    "label": {
                        code: _label(selection, dimension, code) for code in codes[dimension]
                    },
                    **(
                        {
                            "unit": {
                                i.id: {"label": i.unit.symbol(lang), "decimals": i.decimals}
                                for i in selection.checked.indicators
                            }
                        }
                        if dimension == "indicator"
                        else {}
                    ),
                },
            }
            for dimension in DIMENSIONS
        },
    }
    yield _dumps(head)[:-1].encode() + b', "value": '
    shapes = {name: _Section(dense, cells) for name in ("value", *_EXTRA)}
    status, reasons = _Section(False, 0), _Section(False, 0)
    waiting = [shapes[name] for name in _EXTRA] + [status, reasons]
    try:
        positions = {_CELL_COLUMNS[d]: seen[_CELL_COLUMNS[d]] for d in DIMENSIONS}
        for numbers, batch in selection.cells(positions, by_cell=dense, batch_rows=batch_rows):
            columns = batch.columns
            if piece := shapes["value"].piece(numbers, columns["value"]):
                yield piece
            for name in _EXTRA:
                shapes[name].spool(numbers, columns[name])
            hidden = [n for n, s in zip(numbers, columns["suppressed"], strict=True) if s]
            status.spool(hidden, ["s"] * len(hidden))
            told = [
                (n, r)
                for n, s, r in zip(
                    numbers, columns["suppressed"], columns["suppression_reason"], strict=True
                )
                if s and r
            ]
            reasons.spool([n for n, _ in told], [r for _, r in told])
        yield shapes["value"].end()
        for name in _EXTRA:
            shapes[name].finish()
        status.finish()
        reasons.finish()
        note = [text(COVER, "suppression", lang)]
        if synthetic:
            note.append(text(COVER, "synthetic", lang))
        yield b', "status": '
        yield from status.spooled()
        yield f', "note": {_dumps(note)}, "extension": {{'.encode()
        for n, name in enumerate(_EXTRA):
            yield (", " if n else "").encode() + f'"{name}": '.encode()
            yield from shapes[name].spooled()
        yield b', "suppression_reason": '
        yield from reasons.spooled()
        tail = {
            "division_year": selection.division_year,
            "built_at": selection.built_at,
            "synthetic": synthetic,
        }
        yield b", " + _dumps(tail)[1:].encode() + b"}"
    finally:
        for section in waiting:
            section.close()


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _label(selection: ValueSelection, dimension: str, code: str) -> str:
    if dimension == "indicator":
        return selection.indicator_label(code)
    if dimension == "area":
        return selection.area_name(code)
    if dimension == "year":
        return code
    return value_label(dimension, code, selection.lang) or code


class _Section:
    """One of the dataset's cell-shaped sections written piece by piece: an object keyed by
    cell number (sparse) or an array with null where no row is (dense, the cells in order)."""

    def __init__(self, dense: bool, cells: int) -> None:
        self._dense = dense
        self._cells = cells
        self._next = 0  # dense: the next cell to write
        self._any = False  # a value written: the next one needs a separator
        self._opened = False  # the opening bracket written
        self._file: IO[bytes] | None = None

    def _opening(self) -> bytes:
        if self._opened:
            return b""
        self._opened = True
        return b"[" if self._dense else b"{"

    def piece(self, numbers: list[int], values: list[Any]) -> bytes:
        """The next rows' part of the section, opening bracket included on the first."""
        opening = self._opening()
        if not numbers:
            return opening
        if self._dense:
            shown: list[Any] = [None] * (numbers[-1] + 1 - self._next)
            for number, value in zip(numbers, values, strict=True):
                shown[number - self._next] = value
            self._next = numbers[-1] + 1
            text_ = _dumps(shown)[1:-1]
        else:
            text_ = _dumps(dict(zip(map(str, numbers), values, strict=True)))[1:-1]
        separator = b", " if self._any else b""
        self._any = True
        return opening + separator + text_.encode()

    def end(self) -> bytes:
        """The rest of the section: the trailing nulls of an array, and its closing bracket."""
        opening = self._opening()
        if not self._dense:
            return opening + b"}"
        out = [opening]
        while self._next < self._cells:
            count = min(self._cells - self._next, 100_000)
            out.append((b", " if self._any else b"") + _dumps([None] * count)[1:-1].encode())
            self._any = True
            self._next += count
        out.append(b"]")
        return b"".join(out)

    def spool(self, numbers: list[int], values: list[Any]) -> None:
        """Keep the next rows' part for later (spooled())."""
        self._write(self.piece(numbers, values))

    def finish(self) -> None:
        """Keep the end of the section."""
        self._write(self.end())

    def _write(self, data: bytes) -> None:
        if self._file is None:
            self._file = tempfile.SpooledTemporaryFile(_SPOOL_BYTES)  # noqa: SIM115
        self._file.write(data)

    def spooled(self) -> Iterator[bytes]:
        """What spool() and finish() kept, a megabyte at a time."""
        if self._file is None:
            return
        self._file.seek(0)
        while chunk := self._file.read(1 << 20):
            yield chunk

    def close(self) -> None:
        """Let the kept bytes go."""
        if self._file is not None:
            self._file.close()
            self._file = None
