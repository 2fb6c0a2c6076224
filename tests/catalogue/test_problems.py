"""Broken YAML gives problems that name the file, the line and the field, all of them at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from raketieto.catalogue import CatalogueError, Problem, load_catalogue, validate_catalogue
from tests.catalogue.edits import delete_line, line_of, replace_line

IND = "indicators"


def _only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def test_syntax_error_names_file_and_line(catalogue_dir: Path) -> None:
    path = catalogue_dir / IND / "population.yaml"
    number = replace_line(path, "unit: count", "unit: count: oops")
    problem = _only(validate_catalogue(catalogue_dir))
    assert (problem.file, problem.line) == ("indicators/population.yaml", number)
    assert "YAML" in problem.message


def test_unclosed_bracket_points_where_the_parser_stopped_and_where_it_began(
    catalogue_dir: Path,
) -> None:
    path = catalogue_dir / IND / "population.yaml"
    number = replace_line(path, "levels:", "levels: [country, yta")
    problem = _only(validate_catalogue(catalogue_dir))
    assert problem.file == "indicators/population.yaml"
    assert problem.line > number
    assert f"rivi {number}" in problem.message


def test_missing_nested_field_points_at_its_parent(catalogue_dir: Path) -> None:
    path = catalogue_dir / IND / "gini-disposable-income.yaml"
    label_line = line_of(path, "label:")
    delete_line(path, "  sv: Gini-koefficient")
    problem = _only(validate_catalogue(catalogue_dir))
    assert problem == Problem(
        "indicators/gini-disposable-income.yaml", label_line, "label.sv", problem.message
    )
    assert "puuttuu" in problem.message


def test_missing_top_level_field_points_at_the_object(catalogue_dir: Path) -> None:
    path = catalogue_dir / IND / "gini-disposable-income.yaml"
    delete_line(path, "decimals:")
    problem = _only(validate_catalogue(catalogue_dir))
    assert (problem.line, problem.field) == (
        line_of(path, "id: gini-disposable-income"),
        "decimals",
    )


def test_wrong_enum_value(catalogue_dir: Path) -> None:
    path = catalogue_dir / IND / "low-income-rate-pct.yaml"
    number = replace_line(path, "unit: percent", "unit: procent")
    problem = _only(validate_catalogue(catalogue_dir))
    assert (problem.file, problem.line, problem.field) == (
        "indicators/low-income-rate-pct.yaml",
        number,
        "unit",
    )
    assert "'procent'" in problem.message and "'percent'" in problem.message


def test_wrong_level_in_a_list(catalogue_dir: Path) -> None:
    path = catalogue_dir / IND / "low-income-rate-pct.yaml"
    number = replace_line(path, "levels:", "levels: [country, yta, county, municipality]")
    problem = _only(validate_catalogue(catalogue_dir))
    assert (problem.line, problem.field) == (number, "levels[2]")
    assert "'county'" in problem.message


def test_unknown_theme_in_a_membership(catalogue_dir: Path) -> None:
    path = catalogue_dir / IND / "unemployed-pct-of-labour-force.yaml"
    number = replace_line(
        path,
        "- {phenomenon: asunnottomuus, theme: living-conditions}",
        "  - {phenomenon: asunnottomuus, theme: living-condition}",
    )
    problem = _only(validate_catalogue(catalogue_dir))
    assert (problem.file, problem.line, problem.field) == (
        "indicators/unemployed-pct-of-labour-force.yaml",
        number,
        "memberships[1].theme",
    )
    assert "'living-condition'" in problem.message and "living-conditions" in problem.message


def test_unknown_theme_in_a_phenomenon(catalogue_dir: Path) -> None:
    path = catalogue_dir / "phenomena" / "asunnottomuus.yaml"
    number = replace_line(path, "  client-data:", "  client-dta:")
    problems = validate_catalogue(catalogue_dir)
    assert {(p.line, p.field) for p in problems} == {
        (line_of(path, "themes:"), "themes"),  # client-data is now missing
        (number, "themes.client-dta"),  # and client-dta is not a theme
    }


def test_duplicate_id(catalogue_dir: Path) -> None:
    original = catalogue_dir / IND / "population.yaml"
    copy = catalogue_dir / IND / "zz-copy.yaml"
    copy.write_text(original.read_text("utf-8"), "utf-8")
    problems = validate_catalogue(catalogue_dir)
    ids = [p for p in problems if p.field == "id"]
    assert len(ids) == 1
    assert (ids[0].file, ids[0].line) == ("indicators/zz-copy.yaml", 1)
    assert "'population'" in ids[0].message and "indicators/population.yaml:1" in ids[0].message
    # The copy also repeats population's Sotkanet id, which would make look-ups ambiguous.
    assert {p.field for p in problems} == {"id", "source.sotkanet_id"}


def test_unknown_field(catalogue_dir: Path) -> None:
    path = catalogue_dir / IND / "population.yaml"
    number = replace_line(path, "decimals: 0", "decimal: 0")
    problems = validate_catalogue(catalogue_dir)
    assert {(p.line, p.field) for p in problems} == {
        (number, "decimal"),  # not a field
        (line_of(path, "id: population"), "decimals"),  # so decimals is missing
    }


def test_duplicate_key_is_reported_not_silently_overwritten(catalogue_dir: Path) -> None:
    path = catalogue_dir / IND / "population.yaml"
    number = replace_line(path, "polarity: neutral", "polarity: neutral\npolarity: neutral")
    problem = _only(validate_catalogue(catalogue_dir))
    assert (problem.line, problem.field) == (number + 1, "polarity")


def test_source_rule_is_reported_on_the_source(catalogue_dir: Path) -> None:
    path = catalogue_dir / IND / "mortality-per-100000.yaml"
    delete_line(path, "sotkanet_id: 186")
    problem = _only(validate_catalogue(catalogue_dir))
    assert (problem.line, problem.field) == (line_of(path, "source:"), "source")
    assert "sotkanet_id" in problem.message


def test_organisation_union_gives_one_clear_problem(catalogue_dir: Path) -> None:
    path = catalogue_dir / IND / "mortality-per-100000.yaml"
    number = line_of(path, "  organisation:")
    delete_line(path, "    sv: Statistikcentralen")
    problem = _only(validate_catalogue(catalogue_dir))
    assert (problem.line, problem.field) == (number, "source.organisation.sv")


def test_headline_indicator_must_belong_to_its_phenomenon(catalogue_dir: Path) -> None:
    path = catalogue_dir / "phenomena" / "mielenterveys.yaml"
    number = replace_line(
        path, "  - sickness-allowance-16-64-per-1000", "  - gini-disposable-income"
    )
    problem = _only(validate_catalogue(catalogue_dir))
    assert (problem.file, problem.line, problem.field) == (
        "phenomena/mielenterveys.yaml",
        number,
        "headline_indicators[4]",
    )


def test_one_mistake_does_not_cascade(catalogue_dir: Path) -> None:
    # low-income-rate-pct is a headline indicator of two phenomena; breaking it is one problem.
    path = catalogue_dir / IND / "low-income-rate-pct.yaml"
    replace_line(path, "decimals: 1", "decimals: many")
    problem = _only(validate_catalogue(catalogue_dir))
    assert problem.field == "decimals"


def test_every_problem_is_reported_in_one_run(catalogue_dir: Path) -> None:
    expected = {
        (
            "indicators/population.yaml",
            replace_line(catalogue_dir / IND / "population.yaml", "unit: count", "unit: count: x"),
        ),
        (
            "indicators/low-income-rate-pct.yaml",
            replace_line(
                catalogue_dir / IND / "low-income-rate-pct.yaml", "unit: percent", "unit: procent"
            ),
        ),
        (
            "indicators/gini-disposable-income.yaml",
            replace_line(
                catalogue_dir / IND / "gini-disposable-income.yaml",
                "polarity: lower_is_better",
                "polarity: lower",
            ),
        ),
        (
            "phenomena/mielenterveys.yaml",
            replace_line(
                catalogue_dir / "phenomena" / "mielenterveys.yaml",
                "  - antidepressant-reimbursement-18-64-per-1000",
                "  - antidepressant-reimbursement",
            ),
        ),
    }
    problems = validate_catalogue(catalogue_dir)
    assert {(p.file, p.line) for p in problems} == expected
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(catalogue_dir)
    assert sorted(caught.value.problems) == problems
    assert "ja 3 muuta ongelmaa" in str(caught.value)


def test_a_file_may_hold_a_list_of_indicators(catalogue_dir: Path) -> None:
    folder = catalogue_dir / IND
    first, second = (
        folder / "gini-disposable-income.yaml",
        folder / "employed-pct-of-population.yaml",
    )
    combined = folder / "labour-and-income.yaml"
    body = "".join(
        "- " + path.read_text("utf-8").replace("\n", "\n  ").rstrip() + "\n"
        for path in (first, second)
    )
    combined.write_text(body, "utf-8")
    first.unlink()
    second.unlink()
    assert validate_catalogue(catalogue_dir) == []
    number = replace_line(combined, "  unit: percent", "  unit: promille")
    problem = _only(validate_catalogue(catalogue_dir))
    assert (problem.file, problem.line, problem.field) == (
        "indicators/labour-and-income.yaml",
        number,
        "unit",
    )
    assert number > line_of(combined, "- id: employed-pct-of-population")


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("empty.yaml", "", "tyhjä"),
        ("extra.yml", "id: x\n", ".yaml"),
    ],
)
def test_files_that_would_be_ignored_are_problems(
    catalogue_dir: Path, name: str, content: str, needle: str
) -> None:
    (catalogue_dir / IND / name).write_text(content, "utf-8")
    problem = _only(validate_catalogue(catalogue_dir))
    assert problem.file == f"indicators/{name}"
    assert needle in problem.message


def test_stray_file_at_the_top(catalogue_dir: Path) -> None:
    (catalogue_dir / "indicator.yaml").write_text("id: x\n", "utf-8")
    problem = _only(validate_catalogue(catalogue_dir))
    assert problem.file == "indicator.yaml"


def test_missing_directory(tmp_path: Path) -> None:
    problem = _only(validate_catalogue(tmp_path / "nowhere"))
    assert "kansiota ei ole" in problem.message
    with pytest.raises(CatalogueError):
        load_catalogue(tmp_path / "nowhere")


def test_missing_themes_file(catalogue_dir: Path) -> None:
    (catalogue_dir / "themes.yaml").unlink()
    problems = validate_catalogue(catalogue_dir)
    assert any(p.file == "themes.yaml" for p in problems)


def test_problem_text_is_file_line_field_message() -> None:
    problem = Problem("indicators/x.yaml", 7, "unit", "arvo ei kelpaa")
    assert str(problem) == "indicators/x.yaml:7: unit: arvo ei kelpaa"
