"""Errors a user can act on: one clear sentence, the bad value, and the closest valid ones."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from raketieto.text import closest


class RaketietoError(Exception):
    """An error caused by input; its message is safe to show to a user as it is."""

    exit_code = 2

    def __init__(self, message: str, *, suggestions: Sequence[str] = ()) -> None:
        self.message = message
        self.suggestions = list(suggestions)
        super().__init__(self.full_message())

    def full_message(self) -> str:
        """The message with the closest valid values appended, in one sentence."""
        if not self.suggestions:
            return self.message
        shown = ", ".join(self.suggestions)
        return f"{self.message.rstrip('.')}. Lähimmät kelvolliset: {shown}."


class NotFoundError(RaketietoError):
    """A code, name or id that does not exist; carries the closest valid ones."""

    def __init__(self, what: str, value: str, candidates: Iterable[str], *, hint: str = "") -> None:
        self.what = what
        self.value = value
        message = f"Tuntematon {what} '{value}'"
        if hint:
            message += f" ({hint})"
        options = list(dict.fromkeys(candidates))
        # A short closed list is more useful whole than as a guess at the nearest.
        if len(options) <= 8:
            super().__init__(f"{message}. Kelvolliset: {', '.join(options)}.")
            return
        super().__init__(message, suggestions=closest(value, options))


class InvalidValueError(RaketietoError):
    """A parameter's value that cannot be used, alone or with another (e.g. a year range
    whose start is after its end); names the parameter and the value at fault."""

    def __init__(self, parameter: str, value: str, message: str) -> None:
        self.parameter = parameter
        self.value = value
        super().__init__(message)


class DataError(RaketietoError):
    """Data that does not have the shape or content it must have."""


def year_ranges(years: Iterable[int]) -> str:
    """'1990–2022, 2024' for a set of years: runs of consecutive years as ranges."""
    ordered = sorted(set(years))
    runs: list[str] = []
    start = previous = None
    for year in [*ordered, None]:
        if year is not None and previous is not None and year == previous + 1:
            previous = year
            continue
        if start is not None:
            runs.append(str(start) if start == previous else f"{start}–{previous}")
        start = previous = year
    return ", ".join(runs)


class YearNotAvailableError(RaketietoError):
    """A year with no data; the message lists the years that have data."""

    def __init__(self, year: int, available: Iterable[int], *, subject: str = "") -> None:
        self.year = year
        years = list(available)
        where = f" ({subject})" if subject else ""
        text = year_ranges(years) if years else "ei yhtään"
        super().__init__(f"Vuodelta {year} ei ole tietoja{where}; tietoja on vuosilta {text}.")
