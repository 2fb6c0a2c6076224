"""One shown number with its interval, comparison and the flags every renderer must honour."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from raketieto.numbers import optional_float


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
