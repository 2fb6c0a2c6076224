"""The joint rules the schemathesis tests assume: any parent the API answers is judged, never
an error of the helper itself."""

from __future__ import annotations

import pytest

from tests.api.joint_rules import breaks_a_joint_rule


@pytest.mark.parametrize(
    ("query", "breaks"),
    [
        ({"year_from": 2005, "year_to": 1900}, True),
        ({"year_from": 1900, "year_to": 2005}, False),
        ({"level": "yta", "parent": "HVA13"}, True),
        ({"level": "municipality", "parent": "HVA13"}, False),
        ({"level": "hva", "parent": "NOPE"}, False),  # unknown: a 404
        ({"level": "hva", "parent": "YTA6"}, False),  # Åland, outside the system: a 404
        ({"level": "hva", "parent": "KU478"}, False),
        (None, False),
    ],
)
def test_breaks_a_joint_rule(query: dict[str, object] | None, breaks: bool) -> None:
    assert breaks_a_joint_rule(query) is breaks
