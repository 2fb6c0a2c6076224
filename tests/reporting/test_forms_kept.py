"""Form errors beside their fields by label, typed values kept; no Finnish on sv/en pages."""

from __future__ import annotations

import html
import re
from types import SimpleNamespace

import pytest

from raketieto.settings import Settings
from tests.reporting.conftest import Site
from tests.reporting.world import make_world
from tests.store.conftest import OWN
from tests.web.finnish import finnish_on_page


def _field_error(page: str, name: str) -> str:
    found = re.search(rf'<p class="field-error" id="{name}-error">(.*?)</p>', page, re.S)
    assert found is not None, f"no error beside {name}"
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1)))


def test_a_report_missing_fields_comes_back_with_errors_beside_them_and_values_kept(
    site: Site,
) -> None:
    typed = {
        "action": "submit",
        "emerging_name": "",
        "target_group": "Nuoret aikuiset",
        "support_needs": ["housing", "financial"],
        "description": "Jonot tuettuun asumiseen ovat pidentyneet.",
        "estimated_clients": "paljon",
        "proposed_action": "Lisää paikkoja.",
        "idempotency_key": "kept-values-0001",
    }
    response = site.post("reporter", "/raportit/uusi?lang=en", typed)
    assert response.status_code == 422
    page = response.text
    for name in ("phenomenon_id", "service_task", "region_code", "observation_kind"):
        assert _field_error(page, name) == "Error: This information is required."
        assert f'aria-describedby="{name}-error"' in page
    assert "paljon" in _field_error(page, "estimated_clients")
    # The summary names the fields by their labels and links to them.
    assert '<a href="#service_task">Service task</a>' in page or "#service_task" in page
    assert ">service_task<" not in page
    assert 'value="Nuoret aikuiset"' in page
    assert 'value="paljon"' in page
    assert ">Jonot tuettuun asumiseen ovat pidentyneet.</textarea>" in page
    assert ">Lisää paikkoja.</textarea>" in page
    assert 'value="kept-values-0001"' in page
    for need in ("housing", "financial"):
        assert re.search(rf'value="{need}" checked', page)


def test_required_fields_are_marked(site: Site) -> None:
    page = site.client("reporter").get("/raportit/uusi").text
    for name in ("phenomenon_id", "service_task", "region_code", "description"):
        assert re.search(rf'<label for="{name}">[^<]*</label> <span class="required">', page), name
    assert not re.search(r'<label for="target_group">[^<]*</label> <span class="required">', page)


def test_identifiers_are_shown_beside_their_field_by_label(site: Site) -> None:
    response = site.post(
        "reporter",
        "/raportit/uusi?lang=sv",
        {"action": "draft", "target_group": "ring 040 123 4567", "description": "Havainto."},
    )
    assert response.status_code == 422
    assert "telefonnummer" in _field_error(response.text, "target_group")
    assert "Målgrupp" in response.text.split('id="virheet"', 1)[1].split("</div>", 1)[0]


def test_the_theme_form_keeps_what_was_typed(site: Site) -> None:
    response = site.post(
        "coordinator_own",
        f"/teemat?alue={OWN}",
        {"half_year": "2025H3", "title": "Nuorten asuminen", "summary": ""},
    )
    assert response.status_code == 422
    page = response.text
    assert "2025H3" in _field_error(page, "half_year")
    assert _field_error(page, "summary") == "Virhe: Tämä tieto on pakollinen."
    assert 'value="2025H3"' in page and 'value="Nuorten asuminen"' in page


def test_request_changes_without_a_message_keeps_the_page(site: Site) -> None:
    world = make_world(site)
    response = site.post(
        "coordinator_own",
        f"/raportit/{world.report}/paatos?lang=en",
        {"decision": "request_changes", "message": "   "},
    )
    assert response.status_code == 422
    assert "Tell the reporter what needs to be completed." in _field_error(response.text, "message")
    detail = site.client("reporter").get(f"/raportit/{world.report}").text
    assert "status-submitted" in detail  # nothing was decided


def test_a_proposal_from_a_report_inherits_its_phenomenon(site: Site) -> None:
    world = make_world(site)
    page = (
        site.client("coordinator_own")
        .get(f"/ehdotukset/uusi?alue={OWN}&raportti={world.accepted}")
        .text
    )
    select = re.search(r'<select id="phenomenon_id".*?</select>', page, re.S)
    assert select is not None
    assert re.search(r'<option value="asunnottomuus" selected>', select.group(0))


def test_a_proposal_form_error_keeps_the_evidence_and_shows_values_with_years(site: Site) -> None:
    world = make_world(site)
    response = site.post(
        "coordinator_own",
        f"/ehdotukset/uusi?alue={OWN}",
        {
            "title": "",
            "body": "Ehdotamme lisää paikkoja.",
            "recipient_kind": "top_management",
            "report_ids": [str(world.accepted)],
            "indicator_ids": ["population"],
        },
    )
    assert response.status_code == 422
    page = response.text
    assert _field_error(page, "title") == "Virhe: Tämä tieto on pakollinen."
    assert ">Ehdotamme lisää paikkoja.</textarea>" in page
    assert f'value="{world.accepted}" checked' in page
    assert re.search(r'<option value="population" selected>', page)


def test_indicator_evidence_shows_value_unit_year_and_synthetic(demo_settings: Settings) -> None:
    from raketieto.web.reporting.pages_proposals import indicator_evidence
    from raketieto.web.state import AppState

    state = AppState.build(demo_settings)
    ctx = SimpleNamespace(state=state, lang="en", _=lambda m: state.translations.gettext("en", m))
    evidence = indicator_evidence(ctx, "HVA13")  # type: ignore[arg-type]
    assert re.fullmatch(r"[\d,]+ \(2024\)", evidence["population"])
    assert re.fullmatch(r"\d+\.\d % \(20\d\d\)", evidence["social-assistance-recipients-pct"])
    assert evidence["financial-support-need-per-1000"].endswith("), synthetic example data")
    assert "homeless-families" not in evidence  # no value: named without a figure


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_no_finnish_interface_text_on_the_reporting_pages(site: Site, lang: str) -> None:
    world = make_world(site)
    pages = {
        "public": ["/kirjaudu"],
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
        "national_admin": ["/kasittely"],
    }
    found = {}
    for who, paths in pages.items():
        for path in paths:
            joiner = "&" if "?" in path else "?"
            response = site.client(who).get(f"{path}{joiner}lang={lang}")
            assert response.status_code == 200, (who, path)
            leftovers = finnish_on_page(response.text, lang)
            if leftovers:
                found[path] = leftovers
    for who, path in (("coordinator_own", "/raportit/987654321"), ("reporter", "/kasittely")):
        response = site.client(who).get(f"{path}?lang={lang}")
        assert response.status_code in (403, 404), path
        assert 'lang="fi"' in response.text  # the service's own sentence, marked as Finnish
        leftovers = finnish_on_page(response.text, lang)
        if leftovers:
            found[path] = leftovers
    errors = site.post("reporter", f"/raportit/uusi?lang={lang}", {"action": "submit"})
    leftovers = finnish_on_page(errors.text, lang)
    if leftovers:
        found["report form errors"] = leftovers
    assert found == {}
