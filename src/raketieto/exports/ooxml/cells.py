"""Cells of a SpreadsheetML sheet: references, limits, sheet names, date serials and text."""

from __future__ import annotations

import datetime as dt
import math
import re

CellValue = str | int | float | bool | dt.datetime | dt.date | None

MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
#: Excel's longest cell text, in UTF-16 code units.
MAX_TEXT = 32_767
MAX_SHEET_NAME = 31
DEFAULT_DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DEFAULT_DATE_FORMAT = "yyyy-mm-dd"
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

# Excel reads "_xHHHH_" in cell text as the character HHHH (ECMA-376 ST_Xstring), so a literal
# one is protected by escaping its underscore, and characters XML 1.0 cannot hold are written
# that way. Lone surrogates cannot be encoded at all and become U+FFFD.
_EXCEL_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")
_NOT_XML = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_PLAIN_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_EPOCH = dt.datetime(1899, 12, 30)
_DATE_EPOCH = dt.date(1899, 12, 30)
_DAY = dt.timedelta(days=1)


def column_letter(col: int) -> str:
    """The letters of a 0-based column index (0 -> A, 26 -> AA)."""
    if not 0 <= col < MAX_COLUMNS:
        raise ValueError(f"column {col} is outside 0..{MAX_COLUMNS - 1}")
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_ref(row: int, col: int, absolute: bool = False) -> str:
    """The A1 reference of a 0-based row and column ($A$1 when absolute)."""
    if not 0 <= row < MAX_ROWS:
        raise ValueError(f"row {row} is outside 0..{MAX_ROWS - 1}")
    mark = "$" if absolute else ""
    return f"{mark}{column_letter(col)}{mark}{row + 1}"


def quote_sheet_name(name: str) -> str:
    """The sheet name as a formula reference writes it: quoted, inner quotes doubled."""
    return "'" + name.replace("'", "''") + "'"


def excel_serial(value: dt.datetime | dt.date) -> float | None:
    """Days since 1899-12-30 in Excel's 1900 system, or None before 1900-01-01 (or for NaT).

    Excel counts a 29 February 1900 that never was, so days before March 1900 are one less;
    a timezone is dropped and the wall time kept.
    """
    if isinstance(value, dt.datetime):
        serial: float = (value.replace(tzinfo=None) - _EPOCH) / _DAY
    else:
        serial = float((value - _DATE_EPOCH).days)
    if not math.isfinite(serial):  # pandas.NaT is a datetime too
        return None
    if serial < 61:
        serial -= 1
        if serial < 1:
            return None
    return serial


def cell_text(value: str) -> str:
    """The text Excel will show for value: capped at its length limit, unencodable
    characters replaced by U+FFFD (what a reader gets back after undoing `_xHHHH_`)."""
    value = _SURROGATE.sub("\ufffd", value)
    return _cap(value)


def _cap(value: str) -> str:
    if len(value) <= MAX_TEXT // 2:
        return value
    if len(value.encode("utf-16-le", "surrogatepass")) // 2 <= MAX_TEXT:
        return value
    units = 0
    for index, char in enumerate(value):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > MAX_TEXT:
            return value[:index]
    return value


def _xml_escape(value: str) -> str:
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    if '"' in value:
        value = value.replace('"', "&quot;")
    return value


def xml_text(value: str) -> str:
    """value escaped for XML text or an attribute, characters XML cannot hold dropped."""
    return _xml_escape(_PLAIN_XML_BAD.sub("", value))


def string_body(value: str) -> str:
    """The <t> element of a cell string ('' for the empty string)."""
    value = cell_text(value)
    if not value:
        return ""
    if "_x" in value:
        value = _EXCEL_ESCAPE.sub(lambda m: "_x005F" + m.group(0), value)
    # XML turns a carriage return into a newline, so it is kept as Excel's escape.
    value = _NOT_XML.sub(lambda m: f"_x{ord(m.group(0)):04X}_", value)
    value = _xml_escape(value)
    if value[0] in " \t\n" or value[-1] in " \t\n" or "\n" in value:
        return f'<t xml:space="preserve">{value}</t>'
    return f"<t>{value}</t>"


def number_text(value: float) -> str:
    """A number as XML attribute text: integral values without a fraction."""
    return f"{value:g}" if float(value).is_integer() else repr(float(value))


def check_sheet_name(name: str) -> None:
    """Raise ValueError naming the problem unless name is a valid Excel sheet name."""
    problem = None
    if not name or not name.strip():
        problem = "is empty"
    elif len(name) > MAX_SHEET_NAME:
        problem = f"is longer than {MAX_SHEET_NAME} characters"
    elif _SHEET_NAME_FORBIDDEN.search(name):
        problem = "holds one of []:*?/\\"
    elif name[0] == "'" or name[-1] == "'":
        problem = "starts or ends with an apostrophe"
    elif _PLAIN_XML_BAD.search(name):
        problem = "holds a control character"
    elif name.casefold() == "history":
        problem = "is reserved by Excel"
    if problem is not None:
        raise ValueError(f"sheet name {name!r} {problem}")
