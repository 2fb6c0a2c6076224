"""One shown number with its interval, comparison and the flags every renderer must honour."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from raketieto.numbers import optional_float

# The fact columns a Cell is made of; selecting them first keeps to_dict() cheap.
CELL_COLUMNS = [
    "year",
    "value",
    "ci_lower",
    "ci_upper",
    "comparison",
    "suppressed",
    "suppression_reason",
    "synthetic",
]


def cell_records(facts: pd.DataFrame, *keys: str) -> list[dict[str, Any]]:
    """Rows of facts as dicts holding the Cell columns and the given key columns.

    Built from column lists, which is many times faster than DataFrame.to_dict on the
    small frames the views read.
    """
    columns = [*dict.fromkeys([*keys, *CELL_COLUMNS])]
    values = [facts[c].tolist() for c in columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


# The columns the views read; the provenance columns are left for the definition page.
VIEW_COLUMNS = [
    "indicator_id",
    "region_code",
    "level",
    "year",
    "sex",
    "age_group",
    "numerator",
    "denominator",
    *CELL_COLUMNS[1:],
]


def view_facts(facts: pd.DataFrame) -> pd.DataFrame:
    """The view columns of facts with plain object strings.

    DuckDB hands strings over as Arrow-backed columns, and every boolean filter on those
    goes through pyarrow's take; the views filter small frames many times, so plain numpy
    object columns make them several times faster.
    """
    slim = facts[[c for c in VIEW_COLUMNS if c in facts.columns]]
    strings = [c for c in slim.columns if pd.api.types.is_string_dtype(slim[c].dtype)]
    return slim.astype({c: object for c in strings}) if strings else slim


@dataclass(frozen=True)
class Cell:
    """A value of one area, year, sex and age group as the cube holds it."""

    year: int
    value: float | None
    ci_lower: float | None
    ci_upper: float | None
    comparison: str
    suppressed: bool
    suppression_reason: str | None
    synthetic: bool

    @property
    def shown(self) -> bool:
        """True when there is a value or a suppression to show (not a plain gap)."""
        return self.value is not None or self.suppressed


def cell_from_row(row: Mapping[Any, Any]) -> Cell:
    """A Cell from one fact row (a pandas row or a dict with the cube's columns)."""
    suppressed = bool(row["suppressed"])
    reason = row.get("suppression_reason")
    return Cell(
        year=int(row["year"]),
        value=None if suppressed else optional_float(row["value"]),
        ci_lower=None if suppressed else optional_float(row["ci_lower"]),
        ci_upper=None if suppressed else optional_float(row["ci_upper"]),
        comparison=str(row["comparison"]) if not suppressed else "not_compared",
        suppressed=suppressed,
        suppression_reason=str(reason) if suppressed and isinstance(reason, str) else None,
        synthetic=bool(row["synthetic"]),
    )
