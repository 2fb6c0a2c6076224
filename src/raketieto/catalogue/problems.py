"""A problem in the catalogue's YAML located by file, line and field; the error carrying them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from raketieto.errors import RaketietoError


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one place: file (relative to the catalogue), 1-based line, field."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class CatalogueError(RaketietoError):
    """The catalogue does not validate; problems lists every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        first = str(self.problems[0]) if self.problems else "tuntematon virhe"
        more = len(self.problems) - 1
        message = f"Indikaattoriluettelo ei kelpaa: {first}"
        if more:
            message += f" (ja {more} muuta ongelmaa; aja 'raketieto catalogue validate')"
        super().__init__(message)
