"""Validation: direct identifiers refuse the whole file; other problems are row-level errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from raketieto.clientdata.synth import generate_extract, write_extract
from raketieto.clientdata.validate import ExtractRefusedError, stage_extract, validate_extract
from raketieto.errors import DataError
from raketieto.privacy import make_hetu
from raketieto.regions import load_division
from tests.clientdata.conftest import WriteExtract, event

DIVISION = load_division()


def clean_rows() -> list[dict[str, object]]:
    return [
        event("P1", "contact", "2024-01-10", note="soitti itse"),
        event("P1", "assessment_start", "2024-01-15", pending_date="2024-01-10", note=""),
        event(
            "P1",
            "assessment_end",
            "2024-03-01",
            pending_date="2024-01-10",
            support_needs="housing;financial",
            note="asunto haussa",
        ),
        event("P2", "social_assistance_decision", "2024-02-01", sex=2, birth_year=1999, note=""),
    ]


@pytest.mark.parametrize("name", ["extract.csv", "extract.parquet"])
def test_clean_file_is_accepted_and_staged(
    write_extract: WriteExtract, tmp_path: Path, name: str
) -> None:
    path = write_extract(clean_rows(), name)
    out = tmp_path / "staged.parquet"
    report = stage_extract(path, out, division=DIVISION)
    assert (report.rows_read, report.rows_accepted, report.errors) == (4, 4, [])
    assert report.persons == 2
    assert report.event_counts == {
        "contact": 1,
        "assessment_start": 1,
        "assessment_end": 1,
        "social_assistance_decision": 1,
    }
    assert report.ignored_columns == ["note"]
    assert out.exists()
    import duckdb

    needs = duckdb.sql(
        f"SELECT need_housing, need_financial, need_mental_health FROM '{out}' "
        "WHERE event_type = 'assessment_end'"
    ).fetchall()
    assert needs == [(True, True, False)]


HIDDEN = make_hetu(dt.date(1987, 6, 30), 412, "Y")


@pytest.mark.parametrize("name", ["extract.csv", "extract.parquet"])
def test_one_identity_code_in_a_free_column_refuses_the_whole_file(
    write_extract: WriteExtract, tmp_path: Path, name: str
) -> None:
    rows = clean_rows()
    rows[2]["note"] = f"asiakkaan äiti {HIDDEN} soitti"
    path = write_extract(rows, name)
    out = tmp_path / "staged.parquet"
    with pytest.raises(ExtractRefusedError) as refused:
        stage_extract(path, out, division=DIVISION)
    assert not out.exists()
    assert [(h.column, h.row, h.kind) for h in refused.value.hits] == [("note", 3, "hetu")]
    # The message says where, never what.
    assert HIDDEN not in refused.value.full_message()
    assert "rivi 3" in refused.value.full_message()


@pytest.mark.parametrize(
    "hetu", [make_hetu(dt.date(2016, 5, 1), 903, "B"), make_hetu(dt.date(1899, 12, 31), 20)]
)
def test_identity_code_as_person_key_is_refused(write_extract: WriteExtract, hetu: str) -> None:
    rows = clean_rows()
    rows[3]["person_key"] = hetu.lower() if hetu[6].isalpha() else hetu
    with pytest.raises(ExtractRefusedError):
        validate_extract(write_extract(rows), division=DIVISION)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("soita 040 123 4567", "phone"),
        ("matti@example.fi", "email"),
        ("asuu Koivukuja 3 B 12", "address"),
        ("Matti Virtanen", "name"),
    ],
)
def test_other_direct_identifiers_are_refused(
    write_extract: WriteExtract, value: str, kind: str
) -> None:
    rows = clean_rows()
    rows[1]["note"] = value
    with pytest.raises(ExtractRefusedError) as refused:
        validate_extract(write_extract(rows), division=DIVISION)
    assert [h.kind for h in refused.value.hits] == [kind]


def test_identifying_column_name_is_refused(write_extract: WriteExtract) -> None:
    rows = [{**r, "sukunimi": "x"} for r in clean_rows()]
    with pytest.raises(ExtractRefusedError, match="sukunimi"):
        validate_extract(write_extract(rows), division=DIVISION)


def test_look_alikes_do_not_refuse(write_extract: WriteExtract) -> None:
    rows = clean_rows()
    rows[0]["note"] = "Dnro 123/2024, päätös 12.3.2024, 1 250,00 €, 131052-308U"
    with validate_extract(write_extract(rows), division=DIVISION) as extract:
        assert extract.report.rows_accepted == 4


def test_row_errors_name_row_field_value_and_expectation(write_extract: WriteExtract) -> None:
    rows = [
        *clean_rows(),
        event("P3", "contact", "2024-02-30"),  # row 5: no such date
        event("P4", "contact", "2024-01-01", sex=3, notifier="naapuri"),  # row 6
        event("P5", "assessment_end", "2024-01-01", support_needs="housing;flying"),  # row 7
        event("P6", "contact", "2024-01-01", municipality="478"),  # row 8: Åland
        event("P7", "client_plan", "2024-01-01", service_type="social_work"),  # row 9
        event("P8", "assessment_start", "2024-01-01", pending_date="2024-02-01"),  # row 10
    ]
    with validate_extract(write_extract(rows), division=DIVISION) as extract:
        report = extract.report
    found = {(e.row, e.field, e.value) for e in report.errors}
    assert found == {
        (5, "event_date", "2024-02-30"),
        (6, "sex", "3"),
        (6, "notifier", "naapuri"),
        (7, "support_needs", "housing;flying"),
        (8, "municipality", "478"),
        (9, "service_type", "social_work"),
        (10, "pending_date", "2024-02-01"),
    }
    assert all(e.expected for e in report.errors)
    åland = next(e for e in report.errors if e.field == "municipality")
    assert "Ahvenanmaa" in åland.expected
    assert report.rows_read == 10 and report.rows_accepted == 4
    assert report.error_counts["sex"] == 1


def test_merged_municipality_is_remapped(write_extract: WriteExtract, tmp_path: Path) -> None:
    rows = [event("P1", "contact", "2024-05-01", municipality="588")]  # Pertunmaa → Mäntyharju
    out = tmp_path / "s.parquet"
    stage_extract(write_extract(rows), out, division=DIVISION)
    import duckdb

    assert duckdb.sql(f"SELECT municipality FROM '{out}'").fetchall() == [("507",)]


def test_person_with_two_birth_years_is_rejected(write_extract: WriteExtract) -> None:
    rows = [
        event("P1", "contact", "2024-01-01"),
        event("P1", "client_plan", "2024-02-01", birth_year=1981),
    ]
    with validate_extract(write_extract(rows), division=DIVISION) as extract:
        assert extract.report.rows_accepted == 0
        assert {e.row for e in extract.report.errors} == {1, 2}


def test_missing_column_and_unknown_type(write_extract: WriteExtract, tmp_path: Path) -> None:
    path = write_extract(clean_rows())
    import pandas as pd

    pd.read_csv(path).drop(columns=["service_task"]).to_csv(path, index=False)
    with pytest.raises(DataError, match="service_task"):
        validate_extract(path, division=DIVISION)
    other = tmp_path / "x.xlsx"
    other.write_text("x")
    with pytest.raises(DataError, match="xlsx"):
        validate_extract(other, division=DIVISION)


def test_synthetic_extract_passes_and_is_labelled(tmp_path: Path) -> None:
    path = write_extract(generate_extract(3000, seed=3), tmp_path / "syn.parquet", seed=3)
    with validate_extract(path, division=DIVISION) as extract:
        assert extract.report.rows_accepted == 3000
        assert extract.report.synthetic
        assert extract.report.errors == []


@pytest.mark.parametrize("sep", [" ", "/", ".", "_", ""])
def test_an_identity_code_with_a_typo_separator_refuses_the_file(
    write_extract: WriteExtract, sep: str
) -> None:
    rows = clean_rows()
    rows[1]["note"] = f"asiakas 131052{sep}308T soitti"
    with pytest.raises(ExtractRefusedError) as refused:
        validate_extract(write_extract(rows), division=DIVISION)
    assert [h.kind for h in refused.value.hits] == ["hetu"]


def test_look_alikes_of_the_typo_shapes_do_not_refuse(write_extract: WriteExtract) -> None:
    rows = clean_rows()
    rows[0]["note"] = "Dnro 010124/2024, klo 101023 1030, 131052 308U, aikaleima 1704067200"
    with validate_extract(write_extract(rows), division=DIVISION) as extract:
        assert extract.report.rows_accepted == 4
