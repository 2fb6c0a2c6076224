"""JSON-stat 2.0 dataset of a tidy table, the format statistical offices and PxWeb clients read.

Dimensions in order: indicator (role metric, with each indicator's unit), area (geo), year
(time), sex and age group. Values are stored sparsely as an object keyed by the row-major index
when fewer than half of the cells exist, otherwise as an array. A suppressed cell has value null
and status "s"; its reason is in extension.suppression_reason. Confidence limits, numerators
and denominators travel in extension in the same shape as value.
"""

from __future__ import annotations

from typing import Any

from raketieto.exports.csv import iso_utc
from raketieto.exports.labels import (
    ATTRIBUTIONS,
    COLUMN_HEADERS,
    COVER,
    text,
    value_label,
)
from raketieto.reports.tidy import TidyRow, TidyTable

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
