"""Half-years, the period in which reports are counted and themes summarised ('2025H1')."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from raketieto.errors import DataError

FINLAND = ZoneInfo("Europe/Helsinki")
_HALF_YEAR = re.compile(r"(?P<year>\d{4})H(?P<half>[12])")


def half_year_of(moment: dt.datetime) -> str:
    """The half-year of moment in Finnish local time, e.g. '2025H2'."""
    local = moment.astimezone(FINLAND)
    return f"{local.year}H{1 if local.month <= 6 else 2}"


def parse_half_year(text: str) -> str:
    """A half-year code checked for form ('2025H1'); anything else raises DataError."""
    value = text.strip().upper()
    match = _HALF_YEAR.fullmatch(value)
    if match is None or not 2000 <= int(match["year"]) <= 2100:
        raise DataError(
            f"Puolivuosi '{text}' ei kelpaa: odotettiin muotoa VVVVH1 tai VVVVH2, esim. 2025H1."
        )
    return value
