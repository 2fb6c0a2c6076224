"""The two rules that join two query parameters, which OpenAPI cannot say: year_from must not
be after year_to, and parent must not lie below level. A request breaking one is schema-valid
yet refused with a 400 naming the parameter (tests/api/test_api.py checks those answers), so
the schemathesis tests do not count it as a valid request refused."""

from __future__ import annotations

from typing import Any

from raketieto.errors import RaketietoError
from raketieto.regions import Level, load_division

_DIVISION = load_division(2026)


def breaks_a_joint_rule(query: dict[str, Any] | None) -> bool:
    """Whether a generated query breaks one of the two rules."""
    if not query:
        return False
    low, high = query.get("year_from"), query.get("year_to")
    if isinstance(low, int) and isinstance(high, int) and low > high:
        return True
    level, parent = query.get("level"), query.get("parent")
    if not isinstance(level, str) or not isinstance(parent, str):
        return False
    try:
        region = _DIVISION.get(parent)
    except RaketietoError:
        return False  # unknown, or Åland outside the system: answered 404, which the check accepts
    return region.level.depth > Level(level).depth
