"""A new phenomenon is a YAML file (and membership lines), never code."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from raketieto.catalogue import load_catalogue
from raketieto.cli.catalogue import app

THEMES = [
    "extent-and-trend",
    "living-conditions",
    "service-need-and-use",
    "availability-and-timeliness",
    "client-data",
    "worker-and-client-knowledge",
]

LONELINESS = """\
id: yksinaisyys
order: 5
label:
  fi: Yksinäisyys ja osallisuus
  sv: Ensamhet och delaktighet
  en: Loneliness and participation
description:
  fi: Yksinäisyys ja osallisuuden puute.
  sv: Ensamhet och brist på delaktighet.
  en: Loneliness and lack of participation.
headline_indicators:
  - not-in-education-17-24-pct
  - population
  - clients-returning-within-12-months-pct
themes:
{themes}
"""

MEMBERSHIP = "  - {{phenomenon: yksinaisyys, theme: {theme}}}\n"


def _add_membership(path: Path, theme: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(MEMBERSHIP.format(theme=theme))


def test_fifth_phenomenon_is_only_yaml(catalogue_dir: Path) -> None:
    themes = "".join(
        f"  {theme}:\n    fi: Tarve {n}\n    sv: Behov {n}\n    en: Need {n}\n"
        for n, theme in enumerate(THEMES, start=1)
    )
    (catalogue_dir / "phenomena" / "yksinaisyys.yaml").write_text(
        LONELINESS.format(themes=themes.rstrip("\n")), "utf-8"
    )
    indicators = catalogue_dir / "indicators"
    _add_membership(indicators / "not-in-education-17-24-pct.yaml", "living-conditions")
    _add_membership(indicators / "population.yaml", "living-conditions")
    _add_membership(indicators / "clients-returning-within-12-months-pct.yaml", "client-data")

    catalogue = load_catalogue(catalogue_dir)
    assert list(catalogue.phenomena)[-1] == "yksinaisyys"
    assert len(catalogue.phenomena) == 5
    grouped = catalogue.indicators_for("Yksinäisyys ja osallisuus")
    assert list(grouped) == THEMES
    assert [i.id for i in grouped["living-conditions"]] == [
        "not-in-education-17-24-pct",
        "population",
    ]
    assert catalogue.phenomenon("ensamhet och delaktighet").id == "yksinaisyys"

    result = CliRunner().invoke(
        app, ["list", "--dir", str(catalogue_dir), "--phenomenon", "yksinaisyys"]
    )
    assert result.exit_code == 0, result.output
    assert "Yksinäisyys ja osallisuus" in result.output


def test_fifth_phenomenon_missing_a_theme_is_a_problem(catalogue_dir: Path) -> None:
    themes = "".join(f"  {theme}:\n    fi: a\n    sv: b\n    en: c\n" for theme in THEMES[:-1])
    path = catalogue_dir / "phenomena" / "yksinaisyys.yaml"
    path.write_text(LONELINESS.format(themes=themes.rstrip("\n")), "utf-8")
    for name, theme in (
        ("not-in-education-17-24-pct", "living-conditions"),
        ("population", "living-conditions"),
        ("clients-returning-within-12-months-pct", "client-data"),
    ):
        _add_membership(catalogue_dir / "indicators" / f"{name}.yaml", theme)
    result = CliRunner().invoke(app, ["validate", "--dir", str(catalogue_dir)])
    assert result.exit_code == 1
    assert "phenomena/yksinaisyys.yaml:" in result.output
    assert "worker-and-client-knowledge" in result.output
