"""Every text of the reporting pages has a Swedish and an English translation."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import raketieto.web.reporting as reporting

ROOT = Path(reporting.__file__).parent
_CALL = re.compile(r"""(?<![\w.])_\(\s*(['"])(.+?)\1""")
_METHOD = re.compile(r"""ctx\._\(\s*(['"])(.+?)\1""")


def _used_ids() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "templates").rglob("*.html"):
        found |= {m.group(2) for m in _CALL.finditer(path.read_text(encoding="utf-8"))}
    for path in ROOT.glob("*.py"):
        found |= {m.group(2) for m in _METHOD.finditer(path.read_text(encoding="utf-8"))}
    return found


def _catalogue(lang: str) -> dict[str, str]:
    po = resources.files("raketieto.web.i18n") / lang / "LC_MESSAGES" / "reporting.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    return {str(m.id): str(m.string) for m in catalog if m.id}


def test_the_pages_use_texts_at_all() -> None:
    assert len(_used_ids()) > 100


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_text_is_translated(lang: str) -> None:
    catalogue = _catalogue(lang)
    missing = sorted(i for i in _used_ids() if not catalogue.get(i))
    assert missing == []
    if lang != "fi":
        same = [i for i in _used_ids() if catalogue[i] == i and len(i) > 12]
        assert same == [], "long texts left in Finnish"


def test_a_swedish_page_is_in_swedish(site: object) -> None:
    from tests.reporting.conftest import Site

    assert isinstance(site, Site)
    page = site.client("reporter").get("/raportit/uusi?lang=sv").text
    assert "Ny social rapport" in page and "Skicka för behandling" in page
    assert 'lang="sv"' in page


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_page_renders_in_every_language(site: object, lang: str) -> None:
    from tests.reporting.conftest import Site
    from tests.reporting.world import make_world
    from tests.store.conftest import OWN

    assert isinstance(site, Site)
    world = make_world(site)
    pages = {
        "reporter": [
            "/raportit",
            "/raportit/uusi",
            f"/raportit/{world.draft}/muokkaa",
            "/ilmoitukset",
        ],
        "coordinator_own": [
            f"/raportit/{world.report}",
            f"/raportit/{world.accepted}",
            "/kasittely",
            "/teemat",
            "/ehdotukset",
            "/ehdotukset/uusi",
            f"/ehdotukset/{world.proposal}",
        ],
        "national_admin": ["/kasittely", f"/teemat?alue={OWN}"],
        "public": ["/kirjaudu"],
    }
    for who, paths in pages.items():
        for path in paths:
            joiner = "&" if "?" in path else "?"
            response = site.client(who).get(f"{path}{joiner}lang={lang}")
            assert response.status_code == 200, (who, path)
            assert f'<html lang="{lang}">' in response.text
