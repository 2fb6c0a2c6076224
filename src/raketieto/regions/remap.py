"""Re-mapping data from an older municipal division to a newer one through the merger table.

Every merger between 2013 and 2025 was a whole municipality joining one that kept its code,
so an old code maps to exactly one new code, and numerators and denominators are summed.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

import pandas as pd

from raketieto.errors import DataError, NotFoundError

#: The division the merger table starts from; data on older divisions is taken as on this one.
TABLE_START_YEAR = 2013


@dataclass(frozen=True)
class MunicipalityChange:
    """One municipality joining another on a date."""

    old_code: str
    old_name: str
    new_code: str
    new_name: str
    effective: dt.date


@functools.lru_cache(maxsize=1)
def municipality_changes() -> tuple[MunicipalityChange, ...]:
    """The mergers in the shipped table (unchanged rows left out), oldest first."""
    path = resources.files("raketieto") / "data" / "regions" / "municipality_changes_2013_2025.csv"
    text = path.read_text(encoding="utf-8")
    rows = [r for r in csv.DictReader(io.StringIO(text)) if r["effective_date"]]
    changes = [
        MunicipalityChange(
            old_code=r["old_code"],
            old_name=r["old_name_fi"],
            new_code=r["new_code"],
            new_name=r["new_name_fi"],
            effective=dt.date.fromisoformat(r["effective_date"]),
        )
        for r in rows
    ]
    return tuple(sorted(changes, key=lambda c: c.effective))


def code_map(from_year: int, to_year: int) -> dict[str, str]:
    """Old code -> new code (3 digits) for mergers after 1.1.from_year up to 1.1.to_year."""
    if to_year < from_year:
        raise DataError(
            f"Aluejakoa ei voi muuntaa taaksepäin: {from_year} → {to_year}; "
            "kohdevuoden on oltava sama tai myöhempi."
        )
    start = dt.date(max(from_year, TABLE_START_YEAR), 1, 1)
    end = dt.date(to_year, 1, 1)
    mapping: dict[str, str] = {}
    for change in municipality_changes():
        if start < change.effective <= end:
            mapping[change.old_code] = change.new_code
    # A municipality merged twice follows the chain to its final code.
    for old, new in list(mapping.items()):
        while new in mapping:
            new = mapping[new]
        mapping[old] = new
    return mapping


def remap_codes(codes: Iterable[str], from_year: int, to_year: int) -> dict[str, str]:
    """Each given code (3-digit or KU###) -> its code on the to_year division, same form."""
    mapping = code_map(from_year, to_year)
    result: dict[str, str] = {}
    for code in codes:
        prefix, digits = ("KU", code[2:]) if code.startswith("KU") else ("", code)
        result[code] = prefix + mapping.get(digits, digits)
    return result


def remap_frame(
    frame: pd.DataFrame,
    from_year: int,
    to_year: int,
    *,
    valid_codes: Iterable[str],
    code_column: str = "region_code",
    sum_columns: tuple[str, ...] = ("numerator", "denominator"),
) -> pd.DataFrame:
    """Move municipal rows to the to_year division, summing sum_columns over merged codes.

    Codes that exist neither in the merger table nor in valid_codes raise a DataError, because
    silently dropping a municipality would change every total above it.
    """
    valid = set(valid_codes)
    mapped = remap_codes(frame[code_column].unique(), from_year, to_year)
    unknown = sorted(new for new in set(mapped.values()) if new not in valid)
    if unknown:
        raise NotFoundError(
            "kuntakoodi",
            unknown[0],
            valid,
            hint=f"ei vuoden {to_year} aluejaossa eikä kuntaliitosten taulukossa",
        )
    out = frame.copy()
    out[code_column] = out[code_column].map(mapped)
    keys = [c for c in out.columns if c not in sum_columns]
    # min_count=1 keeps a missing sum missing instead of turning it into zero.
    return out.groupby(keys, dropna=False, as_index=False, sort=False)[list(sum_columns)].sum(
        min_count=1
    )


def merged_municipality(query: str, to_year: int) -> tuple[MunicipalityChange, str] | None:
    """The merger that ended the municipality named or coded query, and its code on to_year.

    The code is the final one (KU###) when the municipality it joined merged again later;
    None when query names no municipality that merged before 1.1.to_year.
    """
    from raketieto.text import fold

    text = query.strip()
    upper = text.upper()
    digits = upper[2:] if upper.startswith("KU") else upper
    wanted = fold(text)
    mapping = code_map(TABLE_START_YEAR, to_year)
    for change in reversed(municipality_changes()):
        if change.old_code not in mapping:
            continue
        if digits == change.old_code or wanted == fold(change.old_name):
            return change, "KU" + mapping[change.old_code]
    return None
