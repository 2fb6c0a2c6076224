"""Numbers, changes and dates in the conventions of Finnish, Swedish and English."""

from __future__ import annotations

import datetime as dt
import functools
import math
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

MINUS = "\u2212"
HELSINKI = ZoneInfo("Europe/Helsinki")


def number(value: float | None, decimals: int, lang: str) -> str:
    """'12 345,6' in fi and sv, '12,345.6' in en; an en dash for no value."""
    if value is None:
        return "–"
    text = _plain(abs(value), decimals, lang)
    negative = value < 0 and text.strip("0,. \u00a0") != ""
    return (MINUS if negative else "") + text


@functools.cache
def _separators(lang: str) -> dict[int, str]:
    """The language's decimal and group symbols as a str.translate table from ',' and '.'."""
    return str.maketrans({",": get_group_symbol(lang), ".": get_decimal_symbol(lang)})


def _plain(value: float, decimals: int, lang: str) -> str:
    """value >= 0 grouped by thousands with the language's symbols, as Babel writes it.

    Babel's pattern formatting is a tenth of a page's time; its rule (the shortest decimal
    form of the float, rounded half to even) is kept here with Decimal, and a test keeps the
    two in step.
    """
    if not math.isfinite(value):
        pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
        return str(format_decimal(value, format=pattern, locale=lang))
    return format(Decimal(repr(float(value))), f",.{decimals}f").translate(_separators(lang))


def change(value: float | None, decimals: int, lang: str) -> str:
    """A signed change ('+0,4', '−1,2', '±0,0'), or an en dash when nothing to compare."""
    if value is None:
        return "–"
    shown = number(abs(value), decimals, lang)
    if shown.strip("0,. \u00a0") == "":
        return "±" + shown
    return ("+" if value > 0 else MINUS) + shown


def interval(lower: float | None, upper: float | None, decimals: int, lang: str) -> str:
    """'11,9–12,8', or an empty string without an interval."""
    if lower is None or upper is None:
        return ""
    return f"{number(lower, decimals, lang)}–{number(upper, decimals, lang)}"


def date(value: dt.datetime | dt.date | str | None, lang: str) -> str:
    """A date in the language's medium form; ISO strings are parsed first."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        try:
            parsed: dt.datetime | dt.date = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        value = parsed
    if isinstance(value, dt.datetime):
        # The cube stores UTC; people here read Finnish time.
        aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
        return str(format_datetime(aware, format="medium", tzinfo=HELSINKI, locale=lang))
    return str(format_date(value, format="medium", locale=lang))
