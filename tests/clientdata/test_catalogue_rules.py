"""Every client-data indicator in the catalogue has a computation, and every phenomenon two."""

from __future__ import annotations

from collections import Counter

from raketieto.catalogue import load_catalogue
from raketieto.clientdata.indicators import RULES


def test_each_client_data_indicator_names_a_rule_that_is_computed() -> None:
    catalogue = load_catalogue()
    client = [i for i in catalogue.indicators.values() if i.source.kind == "client_data"]
    rules = {i.source.rule for i in client}
    assert rules == set(RULES)
    for rule in RULES:
        indicator = catalogue.by_rule(rule)
        assert indicator is not None and indicator.aggregable
        per_inhabitant = indicator.unit.value == "per_1000"
        assert per_inhabitant == (RULES[rule].denominator == "population"), rule


def test_every_phenomenon_has_at_least_two_client_data_indicators() -> None:
    catalogue = load_catalogue()
    per_phenomenon: Counter[str] = Counter()
    for indicator in catalogue.indicators.values():
        if indicator.source.kind == "client_data":
            for membership in indicator.memberships:
                per_phenomenon[membership.phenomenon] += 1
    assert set(per_phenomenon) == set(catalogue.phenomena)
    assert min(per_phenomenon.values()) >= 2
