"""select_values and the view tables: filters, order, errors and the rules every row keeps."""

from __future__ import annotations

import pandas as pd
import pytest

from raketieto.errors import NotFoundError, RaketietoError
from raketieto.regions import Level
from raketieto.reports.phenomenon import phenomenon_glance
from raketieto.reports.phenomenon_view import phenomenon_view
from raketieto.reports.tidy import (
    ValueQuery,
    county_knowledge_base,
    excel_precision,
    glance_table,
    rows_from_facts,
    select_values,
    view_table,
)
from tests.exports.conftest import Cube


def test_one_level_for_one_indicator_in_one_call(cube: Cube) -> None:
    query = ValueQuery(indicators=("population",), level="hva", latest=True)
    table = select_values(cube.reader, cube.catalogue, cube.division, query)
    counties = {r.code for r in cube.division.at_level(Level.COUNTY)}
    assert {r.area_code for r in table.rows} == counties
    assert len(table.rows) == len(counties)
    newest = max(cube.reader.years("population"))
    assert {r.year for r in table.rows} == {newest}


def test_rows_are_the_cube_facts(cube: Cube) -> None:
    query = ValueQuery(indicators=("population",), areas=("HVA05",), year_from=2000, year_to=2005)
    table = select_values(cube.reader, cube.catalogue, cube.division, query)
    facts = cube.reader.facts(
        indicator_ids=["population"], region_codes=["HVA05"], years=list(range(2000, 2006))
    )
    assert [r.year for r in table.rows] == [int(y) for y in facts["year"]]
    assert [r.value for r in table.rows] == [excel_precision(v) for v in facts["value"]]
    assert all(r.area_name == "Varsinais-Suomen hyvinvointialue" for r in table.rows)


def test_parent_and_level_give_the_municipalities_of_a_county(cube: Cube) -> None:
    query = ValueQuery(
        indicators=("population",), level="municipality", parent="HVA05", latest=True
    )
    table = select_values(cube.reader, cube.catalogue, cube.division, query)
    inside = {r.code for r in cube.division.descendants("HVA05", Level.MUNICIPALITY)}
    assert {r.area_code for r in table.rows} == inside


def test_sex_and_age_groups(cube: Cube) -> None:
    base = ValueQuery(indicators=("population",), areas=("SSS",), year_from=2024, year_to=2024)
    every = select_values(
        cube.reader,
        cube.catalogue,
        cube.division,
        ValueQuery(**{**base.__dict__, "sex": "all", "age_group": "all"}),
    )
    women = select_values(
        cube.reader, cube.catalogue, cube.division, ValueQuery(**{**base.__dict__, "sex": "female"})
    )
    assert {(r.sex, r.age_group) for r in every.rows} >= {("female", "total"), ("total", "65+")}
    assert [(r.sex, r.age_group) for r in women.rows] == [("female", "total")]


def test_paging_keeps_the_total_and_the_order(cube: Cube) -> None:
    query = ValueQuery(indicators=("population",), level="hva", year_from=2020)
    whole = select_values(cube.reader, cube.catalogue, cube.division, query)
    pages = [
        select_values(
            cube.reader,
            cube.catalogue,
            cube.division,
            ValueQuery(**{**query.__dict__, "limit": 7, "offset": offset}),
        )
        for offset in range(0, whole.total, 7)
    ]
    assert all(p.total == whole.total for p in pages)
    assert [r for p in pages for r in p.rows] == whole.rows


@pytest.mark.parametrize(
    ("query", "named"),
    [
        (ValueQuery(indicators=("populaton",)), "populaton"),
        (ValueQuery(areas=("HVA99",)), "HVA99"),
        (ValueQuery(level="kunta"), "kunta"),
        (ValueQuery(sex="women"), "women"),
        (ValueQuery(age_group="old"), "old"),
        (ValueQuery(year_from=2010, year_to=2000), "2010"),
        (
            ValueQuery(
                phenomenon="asunnottomuus", indicators=("alcohol-sales-litres-per-inhabitant",)
            ),
            "alcohol-sales-litres-per-inhabitant",
        ),
        (ValueQuery(lang="de"), "de"),
        (ValueQuery(limit=0), "0"),
    ],
)
def test_bad_input_names_the_bad_value(cube: Cube, query: ValueQuery, named: str) -> None:
    with pytest.raises(RaketietoError) as raised:
        select_values(cube.reader, cube.catalogue, cube.division, query)
    assert named in raised.value.full_message()


def test_suppressed_cells_carry_no_numbers(cube: Cube) -> None:
    facts = cube.reader.facts(indicator_ids=["population"], region_codes=["KU005"], years=[2020])
    hidden = facts.assign(suppressed=True, suppression_reason="pieni lukumäärä (1–4)")
    row = rows_from_facts(
        pd.concat([facts, hidden.assign(year=2019)]), cube.catalogue, cube.division, "fi"
    )
    shown, secret = sorted(row, key=lambda r: -r.year)
    assert shown.value is not None and shown.numerator is not None
    assert (secret.value, secret.ci_lower, secret.numerator, secret.denominator) == (None,) * 4
    assert secret.suppressed and secret.suppression_reason == "pieni lukumäärä (1–4)"
    assert secret.comparison == "not_compared"


def test_county_knowledge_base_holds_every_municipality(cube: Cube) -> None:
    table = county_knowledge_base(cube.reader, cube.catalogue, cube.division, "HVA05", "sv")
    inside = {r.code for r in cube.division.descendants("HVA05", Level.MUNICIPALITY)}
    assert {r.area_code for r in table.rows} == inside | {"HVA05", "SSS"}
    assert {d.indicator_id for d in table.definitions} == set(cube.catalogue.indicators)
    assert {r.code for r in table.regions} == inside | {"HVA05", "SSS"}
    assert table.title.startswith("Kunskapsunderlag")
    assert len({(r.sex, r.age_group) for r in table.rows}) > 1
    with pytest.raises(NotFoundError, match="KU005"):
        county_knowledge_base(cube.reader, cube.catalogue, cube.division, "KU005")


def test_view_table_holds_what_the_view_shows(cube: Cube) -> None:
    view = phenomenon_view(
        cube.reader, cube.catalogue, cube.division, "HVA05", "taloudellinen-tilanne"
    )
    table = view_table(cube.reader, cube.catalogue, cube.division, view)
    keyed = {(r.area_code, r.year, r.sex, r.age_group): r.value for r in table.rows}
    for row in view.comparison.rows:
        if row.cell is not None and row.cell.shown:
            assert keyed[(row.region_code, row.cell.year, "total", "total")] == excel_precision(
                row.cell.value
            )
    for series in view.series:
        for point in series.points:
            assert keyed[(series.region_code, point.year, "total", "total")] == excel_precision(
                point.value
            )
    assert all(r.indicator_id == view.indicator_id for r in table.rows)


def test_glance_table_holds_every_trend_point(cube: Cube) -> None:
    glance = phenomenon_glance(cube.reader, cube.catalogue, cube.division, "HVA05", "mielenterveys")
    table = glance_table(cube.reader, cube.catalogue, cube.division, glance)
    keyed = {(r.indicator_id, r.area_code, r.year): r.value for r in table.rows}
    points = [
        (t.summary.indicator_id, s.region_code, p.year, p.value)
        for theme in glance.themes
        for t in theme.indicators
        for s in t.series
        for p in s.points
    ]
    assert points, "the glance shows some series"
    assert all(keyed[(i, a, y)] == excel_precision(v) for i, a, y, v in points)
