"""A small streaming writer of Office Open XML workbooks (.xlsx, SpreadsheetML).

It knows cells, styles and sheets, nothing of raketieto's tables. Rows are turned into XML as
they are written and kept as UTF-8 chunks; `Workbook.save` streams the parts into a deflated
zip. Strings are inline strings (rows streamed in bulk may use shared strings, see `bulk`),
numbers are written exactly (`repr`), NaN and infinities become error cells, datetimes are
serial days of the 1900 date system with a date format.

    book = Workbook(title="Report", creator="me")
    sheet = book.add_sheet("Data")
    header = sheet.row_styles([Style(bold=True)] * 2)
    sheet.write_row(["Name", "Value"], header)
    sheet.write_row(["a", 1.5])
    book.save("report.xlsx")

Modules: `cells` (references, limits, sheet names, date serials, cell text), `styles` (Style,
RowStyles, the stylesheet), `sheet` (Sheet), `workbook` (Workbook and the package parts),
`namespaces` (the XML declaration and namespaces).
"""

from raketieto.exports.ooxml.cells import (
    DEFAULT_DATE_FORMAT,
    DEFAULT_DATETIME_FORMAT,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_SHEET_NAME,
    MAX_TEXT,
    CellValue,
    cell_ref,
    cell_text,
    column_letter,
    excel_serial,
    quote_sheet_name,
    xml_text,
)
from raketieto.exports.ooxml.sheet import Sheet
from raketieto.exports.ooxml.styles import RowStyles, Style
from raketieto.exports.ooxml.workbook import Workbook

__all__ = [
    "DEFAULT_DATETIME_FORMAT",
    "DEFAULT_DATE_FORMAT",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_SHEET_NAME",
    "MAX_TEXT",
    "CellValue",
    "RowStyles",
    "Sheet",
    "Style",
    "Workbook",
    "cell_ref",
    "cell_text",
    "column_letter",
    "excel_serial",
    "quote_sheet_name",
    "xml_text",
]
