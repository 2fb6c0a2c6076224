"""The writers: Excel read back with openpyxl, both CSV forms, the JSON twin and JSON-stat."""

from __future__ import annotations

import io
import json
import math

import openpyxl
import pytest

from raketieto.errors import NotFoundError
from raketieto.exports import ExportFormat, parse_format, render
from raketieto.exports.labels import ATTRIBUTIONS, SHEETS, text
from raketieto.reports.tidy import TidyTable, ValueQuery, select_values
from tests.exports.conftest import Cube
from tests.exports.readback import csv_fi_rows, csv_rows, json_rows, numbers, xlsx_rows


@pytest.fixture(scope="module")
def table(cube: Cube) -> TidyTable:
    query = ValueQuery(
        indicators=("population", "social-assistance-recipients-pct"),
        areas=("SSS", "HVA05", "KU853"),
        year_from=2010,
        sex="all",
        age_group="all",
        lang="sv",
    )
    return select_values(cube.reader, cube.catalogue, cube.division, query)


def test_every_format_holds_the_same_numbers(table: TidyTable) -> None:
    expected = numbers(json_rows(render(table, ExportFormat.JSON)))
    assert len(expected) == len(table.rows) > 20
    assert numbers(xlsx_rows(render(table, ExportFormat.XLSX), "sv")) == expected
    assert numbers(csv_rows(render(table, ExportFormat.CSV))) == expected
    assert numbers(csv_fi_rows(render(table, ExportFormat.CSV_FI), "sv")) == expected
    assert any(n[3] is not None and not float(n[3]).is_integer() for n in expected)


def test_workbook_sheets_cover_and_layout(table: TidyTable) -> None:
    book = openpyxl.load_workbook(io.BytesIO(render(table, ExportFormat.XLSX)))
    assert book.sheetnames == [text(SHEETS, k, "sv") for k in SHEETS]
    cover = book[text(SHEETS, "cover", "sv")]
    cover_text = [str(c.value) for row in cover.iter_rows() for c in row if c.value is not None]
    assert ATTRIBUTIONS["sv"] in cover_text
    data = book[text(SHEETS, "data", "sv")]
    assert data.freeze_panes == "A2"
    assert data.auto_filter.ref is not None and data.auto_filter.ref.startswith("A1:")
    assert data.column_dimensions["B"].width > 8
    values = [c.value for c in data["J"][1:]]
    assert all(isinstance(v, float | int) for v in values if v is not None)
    definitions = book[text(SHEETS, "definitions", "sv")]
    ids = {row[0] for row in definitions.iter_rows(min_row=2, values_only=True)}
    assert ids == {"population", "social-assistance-recipients-pct"}
    regions = book[text(SHEETS, "regions", "sv")]
    codes = [row[0] for row in regions.iter_rows(min_row=2, values_only=True)]
    assert codes == ["SSS", "HVA05", "KU853"]


def test_standard_csv_is_plain_utf8_with_column_ids(table: TidyTable) -> None:
    content = render(table, ExportFormat.CSV)
    assert not content.startswith(b"\xef\xbb\xbf")
    first = content.decode("utf-8").splitlines()[0]
    assert first.startswith("area_code,area_name,level,indicator_id")


def test_finnish_csv_uses_semicolons_and_decimal_commas(cube: Cube) -> None:
    query = ValueQuery(indicators=("social-assistance-recipients-pct",), areas=("HVA05",))
    fi = select_values(cube.reader, cube.catalogue, cube.division, query)
    content = render(fi, ExportFormat.CSV_FI).decode("utf-8-sig")
    header, first = content.splitlines()[:2]
    assert header.split(";")[:3] == ["Aluekoodi", "Alue", "Aluetaso"]
    value = first.split(";")[9]
    assert "," in value and "." not in value


def test_jsonstat_dataset_rebuilds_every_value(table: TidyTable) -> None:
    dataset = json.loads(render(table, ExportFormat.JSONSTAT))
    assert dataset["version"] == "2.0" and dataset["class"] == "dataset"
    ids, sizes = dataset["id"], dataset["size"]
    assert math.prod(sizes) >= len(table.rows)
    assert dataset["role"]["time"] == ["year"]
    dimension = dataset["dimension"]
    for row in table.rows:
        keys = [row.indicator_id, row.area_code, str(row.year), row.sex, row.age_group]
        index = 0
        for name, size, key in zip(ids, sizes, keys, strict=True):
            index = index * size + dimension[name]["category"]["index"][key]
        value = dataset["value"]
        found = value[index] if isinstance(value, list) else value[str(index)]
        assert found == row.value
        lower = dataset["extension"]["ci_lower"]
        assert (lower[index] if isinstance(lower, list) else lower[str(index)]) == row.ci_lower
    unit = dimension["indicator"]["category"]["unit"]["social-assistance-recipients-pct"]
    assert unit == {"label": "%", "decimals": 1} or unit["label"] == "%"


def test_unknown_format_is_named() -> None:
    with pytest.raises(NotFoundError, match="xls'"):
        parse_format("xls")
