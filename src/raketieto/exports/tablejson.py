"""The JSON twin of a tidy table: rows keyed by the stable column ids, with the provenance."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from raketieto.exports.csv import iso_utc
from raketieto.exports.labels import ATTRIBUTIONS
from raketieto.reports.tidy import COLUMNS, TidyRow, TidyTable


def row_json(row: TidyRow) -> dict[str, Any]:
    """One tidy row as JSON: numbers as numbers, missing as null, times as ISO 8601 UTC."""
    out: dict[str, Any] = {}
    for column in COLUMNS:
        value = getattr(row, column)
        out[column] = iso_utc(value) if isinstance(value, dt.datetime) else value
    return out


def meta_json(table: TidyTable) -> dict[str, Any]:
    """What the rows are, where they come from and when they were taken."""
    return {
        "title": table.title,
        "lang": table.lang,
        "division_year": table.division_year,
        "built_at": table.built_at,
        "extracted_at": iso_utc(table.extracted_at),
        "attribution": ATTRIBUTIONS[table.lang],
        "synthetic": table.has_synthetic,
        "columns": list(COLUMNS),
    }


def table_json(table: TidyTable) -> dict[str, Any]:
    """The whole table: meta, rows, and the definitions and regions they refer to."""
    definitions = []
    for definition in table.definitions:
        entry = asdict(definition)
        entry["updated"] = iso_utc(definition.updated) if definition.updated else None
        definitions.append(entry)
    return {
        "meta": meta_json(table),
        "data": [row_json(r) for r in table.rows],
        "definitions": definitions,
        "regions": [asdict(r) for r in table.regions],
    }
