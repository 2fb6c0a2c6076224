"""The models on their own: language texts, units, sources and indicator consistency rules."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from raketieto.catalogue import Indicator, LangText, Source, Unit
from raketieto.catalogue.models import Polarity

TEXT = {"fi": "Teksti", "sv": "Text", "en": "Text"}


@given(
    fi=st.text(min_size=1).filter(str.strip),
    sv=st.text(min_size=1).filter(str.strip),
    en=st.text(min_size=1).filter(str.strip),
    lang=st.text(max_size=3),
)
def test_langtext_get_falls_back_to_finnish(fi: str, sv: str, en: str, lang: str) -> None:
    text = LangText(fi=fi, sv=sv, en=en)
    expected = {"fi": text.fi, "sv": text.sv, "en": text.en}.get(lang, text.fi)
    assert text.get(lang) == expected


@pytest.mark.parametrize("blank", ["", "   ", "\n"])
def test_langtext_rejects_blank(blank: str) -> None:
    with pytest.raises(ValidationError):
        LangText(fi="Teksti", sv=blank, en="Text")


def test_langtext_requires_all_three() -> None:
    with pytest.raises(ValidationError):
        LangText.model_validate({"fi": "Teksti", "en": "Text"})


@pytest.mark.parametrize(
    ("unit", "scale", "method"),
    [
        (Unit.COUNT, 1, "none"),
        (Unit.PERCENT, 100, "wilson"),
        (Unit.PER_1000, 1000, "poisson"),
        (Unit.PER_100000, 100000, "poisson"),
        (Unit.EUR_PER_INHABITANT, 1, "none"),
        (Unit.LITRES_PER_INHABITANT, 1, "none"),
        (Unit.INDEX, None, "none"),
    ],
)
def test_unit_scale_and_interval_method(unit: Unit, scale: int | None, method: str) -> None:
    assert unit.scale == scale
    assert unit.ci_method == method


def _source(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "kind": "sotkanet",
        "sotkanet_id": 493,
        "organisation": "THL",
        "licence": "CC BY 4.0",
        "attribution": "Lähde: THL",
        "verified": True,
        "verified_by": "test",
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


@pytest.mark.parametrize(
    ("changes", "needle"),
    [
        ({"sotkanet_id": None}, "sotkanet_id"),
        ({"kind": "statfin", "sotkanet_id": None}, "statfin_table"),
        ({"kind": "client_data", "sotkanet_id": None}, "rule"),
        ({"rule": "support_need:housing"}, "rule"),
        ({"verified_by": None}, "verified_by"),
    ],
)
def test_source_rules(changes: dict[str, Any], needle: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Source.model_validate(_source(**changes))
    assert needle in str(caught.value)


def test_source_accepts_each_kind_with_its_key() -> None:
    assert Source.model_validate(_source()).sotkanet_id == 493
    statfin = Source.model_validate(_source(kind="statfin", sotkanet_id=None, statfin_table="13u5"))
    assert statfin.statfin_table == "13u5"
    rule = Source.model_validate(
        _source(
            kind="client_data", sotkanet_id=None, rule="support_need:substance_use+mental_health"
        )
    )
    assert rule.rule == "support_need:substance_use+mental_health"


def _indicator(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "test-indicator",
        "label": TEXT,
        "definition": TEXT,
        "numerator": TEXT,
        "denominator": TEXT,
        "unit": "percent",
        "polarity": "lower_is_better",
        "population": {"age_band": "total", "sex_breakdown": False},
        "levels": ["municipality", "country"],
        "source": _source(),
        "memberships": [{"phenomenon": "asunnottomuus", "theme": "extent-and-trend"}],
        "aggregable": True,
        "derive_numerator_from": "population",
        "decimals": 1,
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def test_indicator_levels_are_ordered_from_the_country_down() -> None:
    indicator = Indicator.model_validate(_indicator())
    assert [level.value for level in indicator.levels] == ["country", "municipality"]
    assert indicator.polarity is Polarity.LOWER_IS_BETTER


@pytest.mark.parametrize(
    ("changes", "needle"),
    [
        ({"denominator": None}, "denominator"),
        ({"aggregable": False}, "aggregable"),
        ({"denominator_from": "population"}, "denominator_from"),
        ({"levels": ["hva", "hva"]}, "aluetaso"),
        ({"levels": []}, "levels"),
        ({"memberships": []}, "memberships"),
        ({"id": "Test_Indicator"}, "id"),
        ({"population": {"age_band": "64-18", "sex_breakdown": True}}, "ikäryhmän"),
        ({"source": _source(verified=False, verified_by=None)}, "caveats"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_indicator_rules(changes: dict[str, Any], needle: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Indicator.model_validate(_indicator(**changes))
    assert needle in str(caught.value)


def test_count_needs_no_denominator() -> None:
    indicator = Indicator.model_validate(
        _indicator(unit="count", denominator=None, derive_numerator_from=None)
    )
    assert indicator.denominator is None
