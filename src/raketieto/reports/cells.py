"""One shown number with its interval, comparison and the flags every renderer must honour."""

from __future__ import annotations

from dataclasses import dataclass

from raketieto.cube.memory import Fact


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


def cell_from_fact(fact: Fact) -> Cell:
    """A Cell from one fact of the in-memory index ; a suppressed cell shows no number."""
    if fact.suppressed:
        return Cell(
            fact.year,
            None,
            None,
            None,
            "not_compared",
            True,
            fact.suppression_reason,
            fact.synthetic,
        )
    return Cell(
        fact.year,
        fact.value,
        fact.ci_lower,
        fact.ci_upper,
        fact.comparison,
        False,
        None,
        fact.synthetic,
    )
