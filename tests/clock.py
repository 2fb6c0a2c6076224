"""Clocks that only move when a test tells them to (time limits, today's date)."""

from __future__ import annotations

import datetime as dt


class Clock:
    """Call it for the time; set ``now`` to move it."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Calendar:
    """Today's date as the app asks for it (``AppState.today``); set ``today`` to move it."""

    def __init__(self, today: dt.date) -> None:
        self.today = today

    def __call__(self) -> dt.date:
        return self.today
