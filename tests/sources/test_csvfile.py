"""The CSV loader for figures no API reaches (Kela, ARA, TEM): shape, metadata, row errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from raketieto.catalogue import Catalogue
from raketieto.errors import DataError
from raketieto.settings import Settings
from raketieto.sources.csvfile import CsvFileSource, read_csv
from raketieto.sources.http import HttpClient

HEADER = (
    "# source: ara\n"
    "# licence: CC BY 4.0\n"
    "# source_version: Asunnottomuus 2023 (ARA-selvitys 1/2024)\n"
    "# retrieved_at: 2024-03-15\n"
)
COLUMNS = "indicator_id,region_code,year,sex,age_group,numerator,denominator,value\n"


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_file_becomes_facts_with_its_provenance(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "ara.csv",
        HEADER + COLUMNS + "homeless-families,KU091,2023,total,total,57,,\n"
        "homeless-families,049,2023,,,12,,\n",
    )
    load = read_csv(path)
    assert load.errors == []
    assert [r["region_code"] for r in load.rows] == ["KU091", "KU049"]
    first = load.rows[0]
    assert first["numerator"] == 57 and first["value"] is None
    assert first["source"] == "ara"
    assert first["source_version"] == "Asunnottomuus 2023 (ARA-selvitys 1/2024)"
    assert first["retrieved_at"].isoformat().startswith("2024-03-15")
    assert load.rows[1]["sex"] == "total" and load.rows[1]["age_group"] == "total"


def test_a_sidecar_gives_the_metadata_and_semicolons_carry_decimal_commas(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "kela.csv",
        "indicator_id;region_code;year;sex;age_group;numerator;denominator;value\n"
        "basic-social-assistance-households-per-1000;HVA13;2023;total;total;4 512;;18,4\n",
    )
    _write(
        tmp_path, "kela.yaml", "source: kela\nlicence: CC BY 4.0\nsource_version: Kelasto 2024-02\n"
    )
    load = read_csv(path)
    assert load.errors == []
    assert load.rows[0]["numerator"] == 4512
    assert load.rows[0]["value"] == pytest.approx(18.4)
    assert load.meta["source"] == "kela"


def test_row_errors_name_row_column_value_and_expectation(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "bad.csv",
        HEADER
        + COLUMNS
        + "homeless-families,KU091,20x3,total,total,5,,\n"
        + "homeless-families,Helsinki,2023,total,total,5,,\n"
        + "homeless-families,KU091,2023,kaikki,total,5,,\n"
        + "homeless-families,KU091,2023,total,total,-3,,\n"
        + "homeless-families,KU091,2023,total,total,,,\n"
        + "homeless-families,KU091,2022,total,total,7,,\n",
    )
    load = read_csv(path)
    described = [e.describe() for e in load.errors]
    # Rows are numbered as a spreadsheet shows them: four comment lines, the header on line 5.
    assert described[0] == (
        "bad.csv rivi 6, sarake 'year': arvo '20x3'; "
        "odotettiin vuosi kokonaislukuna väliltä 1900–2100"
    )
    assert [(e.row, e.column, e.value) for e in load.errors] == [
        (6, "year", "20x3"),
        (7, "region_code", "Helsinki"),
        (8, "sex", "kaikki"),
        (9, "numerator", "-3"),
        (10, "value", ""),
    ]
    assert [r["year"] for r in load.rows] == [2022]


def test_a_missing_column_or_licence_stops_the_file(tmp_path: Path) -> None:
    no_value = _write(
        tmp_path, "a.csv", HEADER + COLUMNS.replace(",value", "") + "x,SSS,2023,,,1,\n"
    )
    with pytest.raises(DataError, match="sarake 'value'"):
        read_csv(no_value)
    no_licence = _write(tmp_path, "b.csv", "# source: ara\n# source_version: 1\n" + COLUMNS)
    with pytest.raises(DataError, match="'licence'"):
        read_csv(no_licence)


def test_the_source_loads_the_imports_folder(
    tmp_path: Path, catalogue: Catalogue, make_client: object
) -> None:
    settings = Settings(data_dir=tmp_path)
    folder = settings.data_dir / "imports"
    _write(
        folder,
        "ara.csv",
        HEADER + COLUMNS + "homeless-families,KU091,2023,total,total,57,,\n"
        "homeless-families,KU091,2022,total,total,62,,\n"
        "not-in-catalogue,KU091,2023,total,total,1,,\n",
    )
    source = CsvFileSource.from_settings(settings)
    assert source.offers(catalogue) == ["homeless-families"]
    with HttpClient() as client:
        result = source.fetch(
            [catalogue.indicator("homeless-families")], [2023, 2024], client=client, cache=None
        )
    assert list(result.facts["numerator"]) == [57]
    assert [(p.indicator_id, p.year) for p in result.problems] == [("homeless-families", 2024)]


def test_a_broken_file_is_a_problem_not_a_crash(tmp_path: Path, catalogue: Catalogue) -> None:
    _write(tmp_path, "broken.csv", "indicator_id,year\nx,2020\n")
    with HttpClient() as client:
        result = CsvFileSource(tmp_path).fetch(
            [catalogue.indicator("homeless-families")], None, client=client, cache=None
        )
    assert result.facts.empty
    assert "broken.csv" in result.problems[0].reason


@pytest.mark.parametrize(("licence", "accepted"), [("cc-by 4.0", True), ("CC BY-NC 4.0", False)])
def test_the_file_licence_must_be_the_catalogues(
    tmp_path: Path, catalogue: Catalogue, licence: str, accepted: bool
) -> None:
    header = HEADER.replace("CC BY 4.0", licence)
    _write(
        tmp_path, "ara.csv", header + COLUMNS + "homeless-families,KU091,2023,total,total,57,,\n"
    )
    with HttpClient() as client:
        result = CsvFileSource(tmp_path).fetch(
            [catalogue.indicator("homeless-families")], [2023], client=client, cache=None
        )
    assert result.ok is accepted
    if not accepted:
        assert "CC BY-NC 4.0" in result.problems[0].reason
        assert result.problems[0].indicator_id == "homeless-families"
