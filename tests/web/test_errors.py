"""Unknown things give a 404 in the user's language with links; no input gives a 5xx."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from raketieto.settings import Settings

HEADINGS = {"fi": "Sivua ei löydy", "sv": "Sidan hittades inte", "en": "Page not found"}
UNKNOWN = [
    ("/tilannekuva/HVA99", "/tilannekuva/SSS"),
    ("/ilmio/olematon/SSS", "/ilmio/mielenterveys/SSS"),
    ("/ilmionakyma/mielenterveys/HVA12?indicator=nope", "indicator=suicides-per-100000"),
    ("/ilmio/mielenterveys/SSS?year=1066", "year=2011"),
    ("/ilmio/mielenterveys/SSS?level=galaxy", "level=hva"),
    ("/indikaattori/itsemurhat", "/indikaattori/suicides-per-100000"),
    ("/ei/mitaan", "/tilannekuva/SSS"),
]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize(("url", "offered"), UNKNOWN)
def test_unknown_things_give_a_404_in_the_language(
    client: TestClient, url: str, offered: str, lang: str
) -> None:
    joined = f"{url}{'&' if '?' in url else '?'}lang={lang}"
    response = client.get(joined)
    assert response.status_code == 404
    assert f'<html lang="{lang}">' in response.text
    assert f"<h1>{HEADINGS[lang]}</h1>" in response.text
    assert offered in response.text.replace("&amp;", "&")


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/tilannekuva/HVA91", "hyvinvointialueiden järjestelmän ulkopuolella"),
        ("/tilannekuva/Mariehamn?lang=sv", "utanför välfärdsområdessystemet"),
        ("/ilmio/asunnottomuus/Ahvenanmaa?lang=en", "outside the wellbeing services county"),
    ],
)
def test_aland_is_a_404_that_says_it_is_outside_the_system(
    client: TestClient, path: str, says: str
) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert says in response.text


VALID_VALUES = [
    *("sv", "en", "hva", "yta", "municipality", "2010", "1990", "2024"),
    *("social-assistance-recipients-pct", "population", "suicides-per-100000"),
]
SEGMENTS = st.one_of(
    st.sampled_from(["SSS", "YTA1", "HVA12", "KU091", "mielenterveys", "asunnottomuus", ""]),
    st.text(max_size=12),
)
PARAMS = st.dictionaries(
    st.sampled_from(["lang", "year", "indicator", "level", "format", "x"]),
    st.one_of(
        st.text(max_size=10),
        st.integers(-5, 3000).map(str),
        st.sampled_from(VALID_VALUES),
    ),
    max_size=4,
)


@settings(
    max_examples=int(os.environ.get("RAKETIETO_FUZZ_EXAMPLES", "80")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    view=st.sampled_from(["tilannekuva", "ilmio", "ilmionakyma", "indikaattori", "geo", "x"]),
    segments=st.lists(SEGMENTS, min_size=0, max_size=3),
    params=PARAMS,
)
def test_junk_paths_and_parameters_never_give_a_5xx(
    client: TestClient, view: str, segments: list[str], params: dict[str, str]
) -> None:
    path = "/" + "/".join([view, *(quote(s, safe="") for s in segments)])
    response = client.get(path, params=params, follow_redirects=False)
    assert response.status_code < 500, (path, params)


def test_a_missing_cube_gives_a_clear_page(tmp_path: Path) -> None:
    from raketieto.web.app import create_app

    with TestClient(create_app(Settings(data_dir=tmp_path / "empty"))) as empty:
        response = empty.get("/tilannekuva/SSS?lang=en")
    assert response.status_code == 503
    assert "The data have not been loaded yet" in response.text


def test_unknown_api_paths_keep_the_api_error_shape(client: TestClient) -> None:
    import importlib.util

    if importlib.util.find_spec("raketieto.web.api.errors") is None:
        pytest.skip("the API module is not there yet")
    response = client.get("/api/v1/ei-ole")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    assert "error" in response.json()
