"""A clock that only moves when a test tells it to (for time limits without waiting)."""

from __future__ import annotations


class Clock:
    """Call it for the time; set ``now`` to move it."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now
