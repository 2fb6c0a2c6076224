"""Docs kept honest: every setting is in docs/settings.md with its environment variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from raketieto.errors import RaketietoError
from raketieto.settings import Settings

DOC = (Path(__file__).parents[2] / "docs" / "settings.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_documented(name: str) -> None:
    assert f"`{name}`" in DOC
    assert f"`RAKETIETO_{name.upper()}`" in DOC


def test_settings_come_from_the_environment_and_overrides() -> None:
    built = Settings.from_env({"RAKETIETO_DATA_DIR": "/x", "RAKETIETO_DIVISION_YEAR": "2025"})
    assert str(built.data_dir) == "/x"
    assert built.division_year == 2025
    assert Settings.from_env({}, {"language": "sv"}).language == "sv"


def test_a_bad_setting_is_refused() -> None:
    with pytest.raises(RaketietoError, match="RAKETIETO_LANGUAGE"):
        Settings.from_env({"RAKETIETO_LANGUAGE": "de"})
