"""No Finnish interface text on Swedish and English pages (names and marked data excepted)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.web.finnish import finnish_on_page, visible_text

PAGES = [
    "/",
    "/indikaattori",
    "/indikaattori?q=zzzz",
    "/indikaattori/population",
    "/indikaattori/financial-support-need-per-1000",
    "/indikaattori/homeless-families",
    "/tilannekuva/SSS",
    "/tilannekuva/HVA13",
    "/tilannekuva/KU297",
    "/ilmio/asunnottomuus/SSS",
    "/ilmio/mielenterveys/HVA13",
    "/ilmio/paihteet-ja-riippuvuudet/YTA2",
    "/ilmio/taloudellinen-tilanne/KU297",
    "/ilmionakyma/asunnottomuus/HVA13",
    "/ilmionakyma/mielenterveys/KU091",
    "/ilmionakyma/taloudellinen-tilanne/SSS",
    "/ilmio/asunnottomuus/HVA13?indicator=homeless-families",
    "/tilannekuva/Pertunmaa",
    "/tilannekuva/HVA91",
    "/ei-ole",
    "/tilannekuva/HVA13?year=1800",
]


def test_the_scan_finds_finnish_where_there_is_some() -> None:
    page = "<html><body><p>Viimeisin vuosi</p><p lang='fi'>Viimeisin vuosi</p></body></html>"
    assert finnish_on_page(page, "en") == ["Viimeisin vuosi"]
    assert visible_text(page) == ["Viimeisin vuosi"]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_no_finnish_interface_text_on_the_views(client: TestClient, lang: str) -> None:
    found = {}
    for path in PAGES:
        joiner = "&" if "?" in path else "?"
        response = client.get(f"{path}{joiner}lang={lang}")
        assert response.status_code < 500, path
        leftovers = finnish_on_page(response.text, lang)
        if leftovers:
            found[path] = leftovers
    assert found == {}
