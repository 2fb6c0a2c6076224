"""Bad input at the command line: one sentence naming the bad value, exit ≠ 0, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from raketieto.settings import Settings


def _run(args: list[str], settings: Settings, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "RAKETIETO_DATA_DIR": str(settings.data_dir),
        "COLUMNS": "200",
        **env,
    }
    environment.pop("RAKETIETO_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "raketieto", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def _one_sentence_error(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    message = " ".join(result.stderr.split())
    for text in expected:
        assert text in message, message


def test_unknown_region_name(demo_settings: Settings) -> None:
    result = _run(["show", "--region", "Mäntyharjuu"], demo_settings)
    _one_sentence_error(result, "Mäntyharjuu", "Mäntyharju")


def test_unknown_region_code(demo_settings: Settings) -> None:
    result = _run(["show", "--region", "HVA55"], demo_settings)
    _one_sentence_error(result, "HVA55")


def test_aland_is_explained(demo_settings: Settings) -> None:
    result = _run(["show", "--region", "Ahvenanmaa"], demo_settings)
    _one_sentence_error(result, "Ahvenanmaa", "ulkopuolella")


def test_unknown_indicator(demo_settings: Settings) -> None:
    result = _run(["values", "--indicator", "populaton", "--region", "SSS"], demo_settings)
    _one_sentence_error(result, "populaton", "population")


def test_year_with_no_data(demo_settings: Settings) -> None:
    result = _run(["show", "--region", "Lappi", "--year", "1950"], demo_settings)
    _one_sentence_error(result, "1950", "2025")


def test_year_with_no_data_for_one_indicator(demo_settings: Settings) -> None:
    result = _run(
        ["values", "--indicator", "population", "--region", "SSS", "--year", "2023"], demo_settings
    )
    _one_sentence_error(result, "2023", "2024")


def test_unknown_language(demo_settings: Settings) -> None:
    result = _run(["show", "--region", "SSS", "--lang", "de"], demo_settings)
    _one_sentence_error(result, "de", "fi")


def test_malformed_catalogue(demo_settings: Settings, tmp_path: Path) -> None:
    broken = tmp_path / "catalogue"
    (broken / "phenomena").mkdir(parents=True)
    (broken / "themes.yaml").write_text(
        "themes:\n  - id: laajuus\n    label: [unclosed\n", encoding="utf-8"
    )
    result = _run(["show", "--region", "SSS"], demo_settings, RAKETIETO_CATALOGUE_DIR=str(broken))
    _one_sentence_error(result, "themes.yaml")


def test_missing_cube_says_how_to_build_it(tmp_path: Path) -> None:
    result = _run(["show"], Settings(data_dir=tmp_path / "empty"))
    _one_sentence_error(result, "build-demo")


def test_show_prints_the_picture(demo_settings: Settings) -> None:
    result = _run(["show", "--region", "Pohjois-Savo"], demo_settings)
    assert result.returncode == 0, result.stderr
    assert "Pohjois-Savon hyvinvointialue" in result.stdout
    assert "Toimeentulotuki" in result.stdout or "toimeentulotuki" in result.stdout


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_show_in_other_languages(demo_settings: Settings, lang: str) -> None:
    result = _run(["show", "--region", "HVA90", "--lang", lang], demo_settings)
    assert result.returncode == 0, result.stderr
    assert {"sv": "Helsingfors stad", "en": "City of Helsinki"}[lang] in result.stdout


def test_unknown_option_is_a_usage_error_with_exit_code_2(settings: Settings) -> None:
    result = _run(["values", "--bogus", "x"], settings)
    _one_sentence_error(result, "--bogus")
    assert result.returncode == 2
    assert "Odottamaton" not in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["values", "--bogus", "x"], ["Tuntematon valitsin --bogus.", "raketieto values --help"]),
        (["shw"], ["Tuntematon komento 'shw'.", "Tarkoititko 'show'?"]),
        (["show", "--year", "20x5"], ["--year", "'20x5' ei ole kokonaisluku."]),
        (["values"], ["Puuttuu --indicator"]),
        (["show", "a", "b"], ["Ylimääräinen argumentti: a b."]),
    ],
)
def test_usage_errors_are_told_in_finnish(
    settings: Settings, args: list[str], expected: list[str]
) -> None:
    result = _run(args, settings)
    _one_sentence_error(result, *expected)
    assert result.returncode == 2
    assert "Usage:" not in result.stderr and "Error:" not in result.stderr
