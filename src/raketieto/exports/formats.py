"""The export formats, their media types and file names, and one function that renders any."""

from __future__ import annotations

import json
from enum import StrEnum

from raketieto.errors import NotFoundError
from raketieto.reports.tidy import TidyTable


class ExportFormat(StrEnum):
    """A file format a table can be exported to."""

    XLSX = "xlsx"
    CSV = "csv"
    CSV_FI = "csv-fi"
    JSON = "json"
    JSONSTAT = "jsonstat"

    @property
    def media_type(self) -> str:
        """The Content-Type of the file."""
        return _MEDIA[self]

    @property
    def suffix(self) -> str:
        """The file name ending, with its dot."""
        return _SUFFIX[self]


_MEDIA = {
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.CSV_FI: "text/csv; charset=utf-8",
    ExportFormat.JSON: "application/json",
    ExportFormat.JSONSTAT: "application/json",
}
_SUFFIX = {
    ExportFormat.XLSX: ".xlsx",
    ExportFormat.CSV: ".csv",
    ExportFormat.CSV_FI: ".fi.csv",
    ExportFormat.JSON: ".json",
    ExportFormat.JSONSTAT: ".jsonstat.json",
}


def parse_format(value: str) -> ExportFormat:
    """An ExportFormat from its name, or NotFoundError listing the formats."""
    try:
        return ExportFormat(value)
    except ValueError:
        raise NotFoundError("tiedostomuoto", value, [f.value for f in ExportFormat]) from None


def render(table: TidyTable, fmt: ExportFormat) -> bytes:
    """The whole file of table in fmt, as bytes."""
    # Imported here so that asking for a CSV does not load the Excel writer.
    if fmt is ExportFormat.XLSX:
        from raketieto.exports.xlsx import xlsx_bytes

        return xlsx_bytes(table)
    if fmt is ExportFormat.CSV:
        from raketieto.exports.csv import standard_csv

        return standard_csv(table).encode("utf-8")
    if fmt is ExportFormat.CSV_FI:
        from raketieto.exports.csv import finnish_csv

        # The BOM tells Excel the file is UTF-8; without it Excel guesses a legacy code page.
        return finnish_csv(table).encode("utf-8-sig")
    if fmt is ExportFormat.JSON:
        from raketieto.exports.tablejson import table_json

        return json.dumps(table_json(table), ensure_ascii=False).encode("utf-8")
    from raketieto.exports.jsonstat import jsonstat_dataset

    return json.dumps(jsonstat_dataset(table), ensure_ascii=False).encode("utf-8")
