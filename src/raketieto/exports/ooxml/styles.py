"""Cell formats: the Style of a cell, per-row resolved styles and the stylesheet part."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from raketieto.exports.ooxml.cells import number_text, xml_text
from raketieto.exports.ooxml.namespaces import DECLARATION, MAIN

if TYPE_CHECKING:
    from raketieto.exports.ooxml.workbook import Workbook

# Format codes every Excel knows by id whatever its locale; anything else gets an id from 164.
_BUILTIN_FORMATS = {
    "General": 0,
    "0": 1,
    "0.00": 2,
    "#,##0": 3,
    "#,##0.00": 4,
    "0%": 9,
    "0.00%": 10,
    "0.00E+00": 11,
    "@": 49,
}
_FIRST_CUSTOM_FORMAT = 164
_HEX_COLOUR = re.compile(r"^#?([0-9A-Fa-f]{6})$")
_ALIGN_H = ("left", "center", "right", "fill", "justify", "centerContinuous", "distributed")
_ALIGN_V = ("top", "center", "bottom", "justify", "distributed")


@dataclass(frozen=True)
class Style:
    """A cell format: font, fill, thin border, alignment and number format."""

    bold: bool = False
    italic: bool = False
    size: float | None = None
    color: str | None = None
    fill: str | None = None
    border: bool = False
    wrap: bool = False
    horizontal: str | None = None
    vertical: str | None = None
    num_format: str | None = None


@dataclass(frozen=True)
class RowStyles:
    """Per-column styles of a row, resolved once for a workbook (the fast path of write_row)."""

    book: Workbook
    heads: tuple[str, ...]
    tails: tuple[str, ...]


def _colour(value: str) -> str:
    found = _HEX_COLOUR.match(value)
    if found is None:
        raise ValueError(f"colour {value!r} is not of the form #RRGGBB")
    return "FF" + found.group(1).upper()


def check_style(style: Style) -> None:
    """Raise ValueError naming the bad colour, size, alignment or empty number format."""
    for colour in (style.color, style.fill):
        if colour is not None:
            _colour(colour)
    if style.size is not None and not 1 <= style.size <= 409:
        raise ValueError(f"font size {style.size} is outside 1..409")
    if style.horizontal is not None and style.horizontal not in _ALIGN_H:
        raise ValueError(f"horizontal alignment {style.horizontal!r} is not one of {_ALIGN_H}")
    if style.vertical is not None and style.vertical not in _ALIGN_V:
        raise ValueError(f"vertical alignment {style.vertical!r} is not one of {_ALIGN_V}")
    if style.num_format is not None and not style.num_format:
        raise ValueError("a number format cannot be empty")


def _font(style: Style) -> str:
    bold = "<b/>" if style.bold else ""
    italic = "<i/>" if style.italic else ""
    size = number_text(style.size) if style.size is not None else "11"
    color = f'<color rgb="{_colour(style.color)}"/>' if style.color else ""
    name = '<name val="Calibri"/><family val="2"/>'
    return f'<font>{bold}{italic}<sz val="{size}"/>{color}{name}</font>'


def _border(thin: bool) -> str:
    if not thin:
        return "<border><left/><right/><top/><bottom/><diagonal/></border>"
    sides = "".join(
        f'<{side} style="thin"><color auto="1"/></{side}>'
        for side in ("left", "right", "top", "bottom")
    )
    return f"<border>{sides}<diagonal/></border>"


def _xf(style: Style, format_id: int, font_id: int, fill_id: int, border_id: int) -> str:
    applied = ""
    if format_id:
        applied += ' applyNumberFormat="1"'
    if font_id:
        applied += ' applyFont="1"'
    if fill_id:
        applied += ' applyFill="1"'
    if border_id:
        applied += ' applyBorder="1"'
    alignment = ""
    if style.wrap or style.horizontal or style.vertical:
        applied += ' applyAlignment="1"'
        attrs = ""
        if style.horizontal:
            attrs += f' horizontal="{style.horizontal}"'
        if style.vertical:
            attrs += f' vertical="{style.vertical}"'
        if style.wrap:
            attrs += ' wrapText="1"'
        alignment = f"<alignment{attrs}/>"
    attrs = (
        f'numFmtId="{format_id}" fontId="{font_id}" fillId="{fill_id}" '
        f'borderId="{border_id}" xfId="0"{applied}'
    )
    return f"<xf {attrs}>{alignment}</xf>" if alignment else f"<xf {attrs}/>"


def stylesheet_xml(styles: Iterable[Style]) -> str:
    """The styles part for the workbook's styles, in cell format index order."""
    formats: dict[str, int] = {}
    fonts: dict[str, int] = {_font(Style()): 0}
    fills: dict[str, int] = {
        '<fill><patternFill patternType="none"/></fill>': 0,
        '<fill><patternFill patternType="gray125"/></fill>': 1,
    }
    borders: dict[str, int] = {_border(False): 0}
    xfs = []
    for style in styles:
        if style.num_format is None:
            format_id = 0
        elif style.num_format in _BUILTIN_FORMATS:
            format_id = _BUILTIN_FORMATS[style.num_format]
        else:
            format_id = formats.setdefault(style.num_format, _FIRST_CUSTOM_FORMAT + len(formats))
        font_id = fonts.setdefault(_font(style), len(fonts))
        fill_id = 0
        if style.fill is not None:
            fill = (
                '<fill><patternFill patternType="solid">'
                f'<fgColor rgb="{_colour(style.fill)}"/><bgColor indexed="64"/>'
                "</patternFill></fill>"
            )
            fill_id = fills.setdefault(fill, len(fills))
        border_id = borders.setdefault(_border(style.border), len(borders))
        xfs.append(_xf(style, format_id, font_id, fill_id, border_id))
    numfmts = "".join(
        f'<numFmt numFmtId="{number}" formatCode="{xml_text(code)}"/>'
        for code, number in formats.items()
    )
    numfmt_part = f'<numFmts count="{len(formats)}">{numfmts}</numFmts>' if formats else ""
    return (
        f'{DECLARATION}<styleSheet xmlns="{MAIN}">{numfmt_part}'
        f'<fonts count="{len(fonts)}">{"".join(fonts)}</fonts>'
        f'<fills count="{len(fills)}">{"".join(fills)}</fills>'
        f'<borders count="{len(borders)}">{"".join(borders)}</borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        f'</cellStyleXfs><cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium9" '
        'defaultPivotStyle="PivotStyleLight16"/></styleSheet>'
    )
