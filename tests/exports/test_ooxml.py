"""The OOXML writer: a valid package, every value read back by openpyxl, and the export layout."""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils import column_index_from_string

from raketieto.exports.labels import SHEETS, text
from raketieto.exports.ooxml import (
    CellValue,
    Sheet,
    Style,
    Workbook,
    cell_ref,
    column_letter,
    quote_sheet_name,
)
from raketieto.exports.xlsx import write_xlsx, xlsx_bytes
from raketieto.reports.tidy import COLUMNS, DefinitionRow, RegionRow, TidyRow, TidyTable

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
#: CT_Worksheet's children in schema order (the ones a writer of values may use).
WORKSHEET_ORDER = [
    "sheetPr",
    "dimension",
    "sheetViews",
    "sheetFormatPr",
    "cols",
    "sheetData",
    "autoFilter",
    "pageMargins",
]


def build(fill: Callable[[Workbook], None], **properties: Any) -> bytes:
    book = Workbook(**properties)
    fill(book)
    return book.to_bytes()


def column_values(content: bytes, sheet: int = 0, column: int = 0) -> list[Any]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    rows = book.worksheets[sheet].iter_rows(values_only=True)
    return [row[column] if len(row) > column else None for row in rows]


def excel_unescape(value: str) -> str:
    """What Excel shows for a cell text that holds _xHHHH_ escapes (ECMA-376 ST_Xstring)."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), value)


def shown_text(value: str) -> str | None:
    """What Excel holds for value: lone surrogates replaced, capped at 32,767 UTF-16 units."""
    out, units = [], 0
    for char in value:
        char = "\ufffd" if 0xD800 <= ord(char) <= 0xDFFF else char
        units += 2 if ord(char) > 0xFFFF else 1
        if units > 32_767:
            break
        out.append(char)
    return "".join(out) or None


FRAGMENTS = [
    " ",
    "  leading",
    "trailing  ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "&",
    "<",
    ">",
    '"',
    "'",
    "&amp;",
    "<t>",
    "]]>",
    "_x0041_",
    "_x005F_",
    "_x00",
    "_X0041_",
    "😀",
    "\U0010ffff",
    "\ud800",
    "\udfff",
    "\ufffe",
    "\uffff",
    "\x00",
    "\x01",
    "\x0b",
    "\x1f",
    "\x7f",
    "ä",
    "€",
]
awkward_text = st.lists(st.one_of(st.text(max_size=8), st.sampled_from(FRAGMENTS)), max_size=8).map(
    "".join
)


@settings(max_examples=60, deadline=None)
@given(st.lists(awkward_text, min_size=1, max_size=12))
def test_strings_read_back_as_written(values: list[str]) -> None:
    def fill(book: Workbook) -> None:
        sheet = book.add_sheet("Texts")
        for value in values:
            sheet.write_row([value])

    read = column_values(build(fill))
    got = [None if v is None else excel_unescape(v) for v in read]
    got += [None] * (len(values) - len(got))
    assert got == [shown_text(v) for v in values]


def test_long_strings_are_capped_at_excels_limit() -> None:
    values = ["x" * 40_000, "😀" * 20_000, "a" * 32_766 + "😀b", "y" * 32_767]

    def fill(book: Workbook) -> None:
        sheet = book.add_sheet("Long")
        for value in values:
            sheet.write_row([value])

    got = column_values(build(fill))
    assert got == ["x" * 32_767, "😀" * 16_383, "a" * 32_766, "y" * 32_767]


finite_or_not = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e-300, max_value=1e-300),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.sampled_from([0.1 + 0.2, -0.0, 1e16, 1e308, -1.7976931348623157e308, 5e-324, 2.0]),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(finite_or_not, min_size=1, max_size=20))
def test_numbers_read_back_exactly(values: list[float]) -> None:
    def fill(book: Workbook) -> None:
        sheet = book.add_sheet("Numbers")
        for value in values:
            sheet.write_row([value], [Style(num_format="0.00")])

    got = column_values(build(fill))
    for written, read in zip(values, got, strict=True):
        if isinstance(written, float) and math.isnan(written):
            assert read == "#NUM!"
        elif isinstance(written, float) and math.isinf(written):
            assert read == "#DIV/0!"
        else:
            assert type(read) is type(written) and read == written


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.booleans(),
            st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_booleans_and_datetimes_read_back(values: list[bool | dt.datetime]) -> None:
    seconds = [v.replace(microsecond=0) if isinstance(v, dt.datetime) else v for v in values]

    def fill(book: Workbook) -> None:
        sheet = book.add_sheet("Kinds")
        for value in seconds:
            sheet.write_row([value])

    assert column_values(build(fill)) == seconds


def test_datetimes_are_excel_serials_with_the_1900_leap_day() -> None:
    dates: list[CellValue] = [
        dt.datetime(1900, 1, 1),
        dt.datetime(1900, 2, 28, 12),
        dt.datetime(1900, 3, 1),
        dt.date(2000, 1, 1),
        dt.datetime(2026, 1, 1, 6, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        dt.datetime(1899, 12, 31),
    ]

    def fill(book: Workbook) -> None:
        sheet = book.add_sheet("Dates")
        for value in dates:
            sheet.write_row([value])

    content = build(fill)
    root = ET.fromstring(zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml"))
    cells = root.iter(f"{MAIN}c")
    serials = [c.findtext(f"{MAIN}v") for c in cells]
    # Excel's own serials: 1900-01-01 is 1, its phantom 1900-02-29 is 60, 2000-01-01 is 36526.
    assert serials[:5] == ["1.0", "59.5", "61.0", "36526.0", "46023.25"]
    assert serials[5] is None, "a date before 1900 is kept as text"
    read = column_values(content)
    assert read[4] == dt.datetime(2026, 1, 1, 6), "the timezone is dropped, the wall time kept"
    assert read[5] == "1899-12-31 00:00:00"
    book = openpyxl.load_workbook(io.BytesIO(content))
    formats = [row[0].number_format for row in book.active.iter_rows()]
    assert formats[:5] == ["yyyy-mm-dd hh:mm"] * 3 + ["yyyy-mm-dd", "yyyy-mm-dd hh:mm"]


def sample_book(book: Workbook) -> None:
    """Three sheets with every kind of cell, styles, a filter and frozen panes."""
    header = Style(bold=True, fill="#DDE4EE", border=True)
    first = book.add_sheet("Bob's data")
    first.write_row(["name", "value", "flag", "when"], [header] * 4)
    styles = first.row_styles([Style(wrap=True, vertical="top"), Style(num_format="0.0")])
    for n in range(2500):  # past one chunk of rows
        first.write_row([f"row {n}", n / 7, n % 2 == 0, dt.datetime(2024, 1, 1)], styles)
    first.write_row([None, None, None, "last"], row=2600)
    first.set_width(0, 10)
    first.set_width(3, 0)
    first.freeze(1)
    first.autofilter(0, 0, 2501, 3)
    second = book.add_sheet("Toinen & <muu>")
    second.write_row(["a"], [Style(bold=True, size=14, color="#9C0006")])
    second.freeze(2, 1)
    second.autofilter(0, 0, 3, 1)
    book.add_sheet("Empty").freeze(0, 3)


def test_every_part_is_well_formed_and_declared() -> None:
    content = build(sample_book, title="T & t", creator="raketieto", description="Lähde")
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert archive.testzip() is None
    names = archive.namelist()
    assert names[0] == "[Content_Types].xml"
    parts = {name: ET.fromstring(archive.read(name)) for name in names}
    types = parts["[Content_Types].xml"]
    overrides = {e.get("PartName") for e in types if e.tag.endswith("Override")}
    defaults = {e.get("Extension") for e in types if e.tag.endswith("Default")}
    assert defaults == {"rels", "xml"}
    assert overrides == {"/" + n for n in names if not n.endswith(".rels")} - {
        "/[Content_Types].xml"
    }
    # Every relationship points at a part that exists.
    for rels, base in (("_rels/.rels", ""), ("xl/_rels/workbook.xml.rels", "xl/")):
        for rel in parts[rels]:
            assert base + str(rel.get("Target")) in names
    workbook = parts["xl/workbook.xml"]
    sheets = [s.get("name") for s in workbook.iter(f"{MAIN}sheet")]
    assert sheets == ["Bob's data", "Toinen & <muu>", "Empty"]
    filters = {
        d.get("localSheetId"): d.text
        for d in workbook.iter(f"{MAIN}definedName")
        if d.get("name") == "_xlnm._FilterDatabase" and d.get("hidden") == "1"
    }
    assert filters == {"0": "'Bob''s data'!$A$1:$D$2502", "1": "'Toinen & <muu>'!$A$1:$B$4"}
    core = archive.read("docProps/core.xml").decode()
    assert "<dc:title>T &amp; t</dc:title>" in core
    assert 'xsi:type="dcterms:W3CDTF"' in core
    xf_count = check_styles(parts["xl/styles.xml"])
    for n in range(1, 4):
        check_worksheet(parts[f"xl/worksheets/sheet{n}.xml"], xf_count)


def check_styles(styles: ET.Element) -> int:
    """Checks the stylesheet; the number of cell formats."""
    for group in ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles"):
        element = styles.find(f"{MAIN}{group}")
        assert element is not None, group
        assert int(element.get("count", "-1")) == len(element), group
    fills = styles.find(f"{MAIN}fills")
    assert fills is not None
    patterns = [p.get("patternType") for p in fills.iter(f"{MAIN}patternFill")]
    assert patterns[:2] == ["none", "gray125"]
    custom = [int(f.get("numFmtId", "0")) for f in styles.iter(f"{MAIN}numFmt")]
    assert custom and min(custom) >= 164
    cell_xfs = styles.find(f"{MAIN}cellXfs")
    assert cell_xfs is not None
    default = cell_xfs[0]
    assert [default.get(k) for k in ("numFmtId", "fontId", "fillId", "borderId")] == ["0"] * 4
    for xf in cell_xfs:
        if xf.get("fillId") != "0":
            assert xf.get("applyFill") == "1"
        if xf.find(f"{MAIN}alignment") is not None:
            assert xf.get("applyAlignment") == "1"
    return len(cell_xfs)


def check_worksheet(sheet: ET.Element, xf_count: int) -> None:
    order = [child.tag.removeprefix(MAIN) for child in sheet]
    assert order == [tag for tag in WORKSHEET_ORDER if tag in order]
    assert {"dimension", "sheetViews", "sheetData"} <= set(order)
    last_row = 0
    for row in sheet.iter(f"{MAIN}row"):
        number = int(row.get("r", "0"))
        assert number > last_row
        last_row = number
        last_col = 0
        for cell in row:
            found = re.fullmatch(r"([A-Z]+)(\d+)", cell.get("r", ""))
            assert found is not None and int(found.group(2)) == number
            col = column_index_from_string(found.group(1))
            assert col > last_col
            last_col = col
            assert int(cell.get("s", "0")) < xf_count
            if cell.get("t") == "inlineStr":
                assert cell.find(f"{MAIN}is/{MAIN}t") is not None
                assert cell.find(f"{MAIN}v") is None


def test_layout_and_styles_read_back() -> None:
    book = openpyxl.load_workbook(io.BytesIO(build(sample_book, title="Otsikko")))
    assert book.properties.title == "Otsikko"
    first, second, empty = book.worksheets
    assert (first.freeze_panes, second.freeze_panes, empty.freeze_panes) == ("A2", "B3", "D1")
    assert first.auto_filter.ref == "A1:D2502"
    assert first.column_dimensions["A"].width == 10.7109375  # what Excel stores for 10 chars
    assert first.column_dimensions["D"].hidden
    assert first.max_row == 2601 and first["D2601"].value == "last"
    header = first["A1"]
    assert header.font.b and header.fill.fgColor.rgb == "FFDDE4EE"
    assert header.border.left.style == "thin" and header.border.bottom.style == "thin"
    assert first["A2"].alignment.wrap_text and first["A2"].alignment.vertical == "top"
    assert first["B2"].number_format == "0.0" and first["B3"].value == 1 / 7
    assert first["C2"].value is True and first["C3"].value is False
    assert first["D2"].value == dt.datetime(2024, 1, 1)
    title = second["A1"]
    assert title.font.sz == 14 and title.font.color.rgb == "FF9C0006"


@pytest.mark.parametrize(
    "name",
    ["", "   ", "x" * 32, "a[1]", "a:b", "a*", "a?", "a/b", "a\\b", "'quoted", "History", "a\x01"],
)
def test_bad_sheet_names_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="sheet name"):
        Workbook().add_sheet(name)


def test_misuse_is_refused() -> None:
    book = Workbook()
    sheet = book.add_sheet("Data")
    with pytest.raises(ValueError, match="twice"):
        book.add_sheet("DATA")
    sheet.write_row(["a"], row=5)
    with pytest.raises(ValueError, match="downwards"):
        sheet.write_row(["b"], row=3)
    with pytest.raises(TypeError, match="cannot hold"):
        sheet.write_row([object()])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="another workbook"):
        sheet.write_row(["c"], Workbook().add_sheet("Other").row_styles([None]))
    with pytest.raises(ValueError, match="colour"):
        sheet.row_styles([Style(fill="blue")])
    with pytest.raises(ValueError, match="at least one sheet"):
        Workbook().to_bytes()


def tidy_row(indicator: str, value: float | None, **changes: Any) -> TidyRow:
    fields: dict[str, Any] = {
        "area_code": "HVA05",
        "area_name": "Pirkanmaan hyvinvointialue",
        "level": "hva",
        "indicator_id": indicator,
        "indicator_label": "Label " + indicator,
        "unit": "%",
        "year": 2024,
        "sex": "female",
        "age_group": "total",
        "value": value,
        "ci_lower": None if value is None else value - 0.5,
        "ci_upper": None if value is None else value + 0.5,
        "numerator": 12.0,
        "denominator": 3400.0,
        "suppressed": value is None,
        "suppression_reason": "small count" if value is None else None,
        "comparison": "better",
        "source": "Sotkanet",
        "source_version": None,
        "retrieved_at": dt.datetime(2026, 5, 4, 3, 2, tzinfo=dt.UTC),
        "synthetic": True,
        "note": None,
    }
    fields.update(changes)
    return TidyRow(**fields)


def definition(indicator: str, decimals: int) -> DefinitionRow:
    return DefinitionRow(
        indicator_id=indicator,
        label="Label " + indicator,
        definition="A definition " * 10,
        numerator="n",
        denominator=None,
        unit="%",
        unit_symbol="%",
        decimals=decimals,
        polarity="lower_is_better",
        organisation="THL",
        licence="CC BY 4.0",
        attribution="THL",
        url=None,
        source_versions="1",
        updated=dt.datetime(2026, 1, 2, 3, 4),
        caveats=None,
    )


@pytest.fixture(scope="module")
def small_table() -> TidyTable:
    rows = [
        tidy_row("one", 1.25),
        tidy_row("three", 2.5),
        tidy_row("one", None),
        tidy_row("unknown", math.nan, comparison="not_compared", note="  x & <y>\n"),
    ]
    return TidyTable(
        title="Tietopohja",
        lang="fi",
        rows=rows,
        definitions=[definition("one", 1), definition("three", 3)],
        regions=[RegionRow("HVA05", "hva", "Pirkanmaa", "Pirkanmaa", "Birkaland", "Pirkanmaa", "")],
        division_year=2026,
        built_at="2026-11-01",
        extracted_at=dt.datetime(2026, 11, 2, 10, 30, tzinfo=dt.UTC),
        total=len(rows),
    )


def test_export_workbook_formats_by_indicator_decimals(small_table: TidyTable) -> None:
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(small_table)))
    assert book.sheetnames == [text(SHEETS, k, "fi") for k in SHEETS]
    assert (book.properties.creator, book.properties.title) == ("raketieto", "Tietopohja")
    data = book[text(SHEETS, "data", "fi")]
    at = {c: COLUMNS.index(c) + 1 for c in COLUMNS}
    formats = [
        [data.cell(r, at[c]).number_format for c in ("value", "ci_lower", "ci_upper")]
        for r in (2, 3, 5)
    ]
    # An indicator without a definition keeps two decimals.
    assert formats == [["0.0"] * 3, ["0.000"] * 3, ["0.00"] * 3]
    assert data.cell(2, at["numerator"]).number_format == "General"
    assert data.cell(4, at["value"]).value is None and data.cell(4, at["suppressed"]).value
    assert data.cell(5, at["value"]).value == "#NUM!"
    assert data.cell(5, at["note"]).value == "  x & <y>\n"
    assert data.cell(2, at["sex"]).value == "naiset"
    assert data.cell(5, at["comparison"]).value == "ei vertailua"
    retrieved = data.cell(2, at["retrieved_at"])
    assert retrieved.value == dt.datetime(2026, 5, 4, 3, 2)
    assert retrieved.number_format == "yyyy-mm-dd hh:mm"
    header = data.cell(1, 1)
    assert header.font.b and header.fill.fgColor.rgb == "FFDDE4EE"
    assert header.border.top.style == "thin"
    assert data.freeze_panes == "A2" and data.auto_filter.ref == "A1:V5"
    # Widths: the longest shown text + 2, at least 6, at most 60 (Excel stores +0.7109375).
    assert data.column_dimensions["B"].width == len("Pirkanmaan hyvinvointialue") + 2.7109375
    assert data.column_dimensions["J"].width == 6.7109375
    cover = book[text(SHEETS, "cover", "fi")]
    assert cover["A1"].font.sz == 14 and cover["A1"].font.b
    assert cover["B5"].value == dt.datetime(2026, 11, 2, 10, 30)
    assert cover["A5"].font.b and cover["A5"].alignment.vertical == "top"
    assert cover["B3"].alignment.wrap_text
    warning = cover["B11"]
    assert warning.font.b and warning.font.color.rgb == "FF9C0006"
    definitions = book[text(SHEETS, "definitions", "fi")]
    assert definitions["C2"].alignment.wrap_text, "a text over 60 characters wraps"
    assert definitions["O2"].value == dt.datetime(2026, 1, 2, 3, 4)
    assert definitions.auto_filter.ref == "A1:P3"
    regions = book[text(SHEETS, "regions", "fi")]
    assert regions["B2"].value == "hyvinvointialue"
    assert regions.auto_filter.ref == "A1:G2"


def test_export_writes_to_a_path_the_same_workbook(small_table: TidyTable, tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    write_xlsx(small_table, target)
    from_path = column_values(target.read_bytes(), sheet=1, column=9)
    assert from_path == column_values(xlsx_bytes(small_table), sheet=1, column=9)
    assert from_path[1:3] == [1.25, 2.5]


def test_row_styles_resolve_once_and_share_formats() -> None:
    book = Workbook()
    sheet: Sheet = book.add_sheet("S")
    a = sheet.row_styles([Style(bold=True), None, Style(num_format="0.0")])
    b = sheet.row_styles([Style(bold=True)])
    assert a.tails[0] == b.tails[0] and a.tails[1] == '"'
    assert book.style_id(Style(num_format="0.0")) == book.style_id(Style(num_format="0.0")) > 0


def test_whitespace_at_the_ends_is_marked_to_be_kept() -> None:
    def fill(book: Workbook) -> None:
        sheet = book.add_sheet("S")
        for value in (" lead", "trail\t", "two\nlines", "plain text"):
            sheet.write_row([value])

    content = build(fill)
    sheet = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    kept = re.findall(r'<t xml:space="preserve">([^<]*)</t>', sheet)
    assert kept == [" lead", "trail\t", "two\nlines"]
    assert "<t>plain text</t>" in sheet


def test_column_letters_and_references() -> None:
    letters = [column_letter(c) for c in (0, 25, 26, 701, 702, 16_383)]
    assert letters == ["A", "Z", "AA", "ZZ", "AAA", "XFD"]
    assert [column_index_from_string(column_letter(c)) - 1 for c in range(0, 16_384, 97)] == list(
        range(0, 16_384, 97)
    )
    assert cell_ref(8765, 21, absolute=True) == "$V$8766"
    assert quote_sheet_name("Bob's") == "'Bob''s'"
    with pytest.raises(ValueError):
        column_letter(16_384)
