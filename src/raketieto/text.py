"""Text helpers: accent- and case-insensitive keys and closest-match suggestions."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable


def fold(text: str) -> str:
    """A search key: lower case, no accents, single spaces ("Mäntyharju" -> "mantyharju")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())


def closest(value: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """The candidates closest to value, compared on folded text; at most n."""
    by_key: dict[str, str] = {}
    for candidate in candidates:
        by_key.setdefault(fold(candidate), candidate)
    keys = difflib.get_close_matches(fold(value), list(by_key), n=n, cutoff=0.5)
    return [by_key[k] for k in keys]
