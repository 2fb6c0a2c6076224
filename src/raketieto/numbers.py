"""Small number helpers shared by the renderers."""

from __future__ import annotations

import math


def optional_float(value: object) -> float | None:
    """A float, or None for None and NaN (how pandas and DuckDB say 'missing')."""
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number
