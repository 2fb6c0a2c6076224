"""Bad input never ends in a 500: every refusal is a page that names the bad value."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reporting.conftest import Site
from tests.reporting.world import make_world

NASTY = ["abc", "-1", "0", "1.5", "99999999999999999999", "%00", "1 OR 1=1", "ääkkönen", "1e3"]


@pytest.mark.parametrize("value", NASTY)
def test_bad_ids_in_paths_are_named(site: Site, value: str) -> None:
    client = site.client("coordinator_own")
    for path in (f"/raportit/{value}", f"/ehdotukset/{value}", f"/raportit/{value}/muokkaa"):
        response = client.get(path)
        assert response.status_code in (400, 404), (path, response.status_code)
    response = site.post("coordinator_own", f"/raportit/{value}/paatos", {"decision": "accept"})
    assert response.status_code in (400, 404)


def test_missing_records_are_404_naming_the_id(site: Site) -> None:
    response = site.client("coordinator_own").get("/raportit/987654321")
    assert response.status_code == 404 and "987654321" in response.text
    response = site.client("coordinator_own").get("/ehdotukset/987654322")
    assert response.status_code == 404 and "987654322" in response.text


@pytest.mark.parametrize(
    ("path", "form", "named"),
    [
        ("/kasittely?alue=HVA99", None, "HVA99"),
        ("/teemat?alue=Kuopio", None, "Kuopio"),
        ("/ehdotukset/vienti.xlsx?alue=XX", None, "XX"),
        ("/ehdotukset/uusi?alue=HVA09&raportti=kolme", None, "kolme"),
        ("/raportit/{report}/paatos", {"decision": "approve"}, "approve"),
        ("/raportit/{report}/paatos", {"decision": "merge", "into": "x1"}, "x1"),
        ("/teemat?alue=HVA09", {"half_year": "2025H3", "title": "T", "summary": "S"}, "2025H3"),
        ("/teemat/{theme}", {"action": "publish"}, "publish"),
        ("/teemat/{theme}", {"action": "assign", "report_ids": ["7x"]}, "7x"),
        ("/ehdotukset/{proposal}/tila", {"status": "done"}, "done"),
        ("/ehdotukset/{proposal}/tila", {"status": "implemented"}, "toteutettu"),
        ("/ehdotukset/uusi?alue=HVA09", {"recipient_kind": "king", "title": "T"}, "king"),
    ],
)
def test_bad_values_are_named_in_the_answer(
    site: Site, path: str, form: dict[str, object] | None, named: str
) -> None:
    world = make_world(site)
    target = path.format(report=world.report, theme=world.theme, proposal=world.proposal)
    if form is None:
        response = site.client("coordinator_own").get(target)
    else:
        response = site.post("coordinator_own", target, form)
    assert 400 <= response.status_code < 500, response.status_code
    assert named in response.text


def test_a_file_in_place_of_a_field_is_refused(site: Site) -> None:
    client = site.client("reporter")
    token = client.get("/kirjaudu").text.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/raportit/uusi",
        data={"csrf_token": token, "action": "draft"},
        files={"description": ("x.txt", b"hello", "text/plain")},
    )
    assert 400 <= response.status_code < 500


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    fields=st.dictionaries(
        st.sampled_from(
            [
                "phenomenon_id",
                "service_task",
                "support_needs",
                "region_code",
                "observation_kind",
                "description",
                "estimated_clients",
                "action",
                "idempotency_key",
                "emerging_name",
            ]
        ),
        st.text(max_size=30),
        max_size=6,
    )
)
def test_any_report_form_is_answered_without_a_server_error(
    site: Site, fields: dict[str, str]
) -> None:
    response = site.post("reporter", "/raportit/uusi", dict(fields))
    assert response.status_code < 500, response.text


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\ufffe"])
def test_a_character_that_cannot_be_stored_is_refused_with_the_field_named(
    site: Site, character: str
) -> None:
    response = site.post(
        "reporter", "/raportit/uusi", {"description": f"Havainto{character}", "action": "draft"}
    )
    assert response.status_code == 400 or response.status_code == 422
    # The field is named by its label, as the form shows it, not by its internal name.
    assert "Kuvaus havainnosta" in response.text and f"U+{ord(character):04X}" in response.text
    assert "Havainto" not in response.text.split("error-summary", 1)[-1].split("</div>", 1)[0]
