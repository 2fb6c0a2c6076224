"""schemathesis with every check it has, over every operation of the app's OpenAPI document:
the HTML views as well as the API and the downloads. 0 failures.

Valid requests that break a rule joining two parameters are not generated
(tests/api/joint_rules.py); every other check stays.

The document is the app's own (/openapi.json), which holds the HTML routes with the answers
they really give (200 and 400/404/503 pages); the API's document (/api/v1/openapi.json) is
tested alone in test_schema.py.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, assume, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, is_check_class, load_all_checks

from tests.api.joint_rules import breaks_a_joint_rule

EXAMPLES = 12


def _all_checks() -> list[Any]:
    load_all_checks()  # the registry fills when the checks' modules are imported
    found = [check for check in CHECKS.get_all() if not is_check_class(check)]
    assert len(found) >= 10, [c.__name__ for c in found]
    return found


def _run(operation: Any, label: str, tried: dict[str, int], mode: GenerationMode) -> None:
    checks = _all_checks()

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def run(case: Any) -> None:
        if mode is GenerationMode.POSITIVE:
            assume(not breaks_a_joint_rule(case.query))
        tried[label] += 1
        case.call_and_validate(checks=checks)

    run()


@pytest.mark.slow
def test_every_operation_passes_every_check(app: FastAPI, record_property: Any) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    tried: dict[str, int] = {}
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        label = f"{operation.method.upper()} {operation.path}"
        tried[label] = 0
        for mode in GenerationMode:
            try:
                _run(operation, label, tried, mode)
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE, label
            except Exception as error:  # every operation's failure, then fail once
                failures.append(f"{label} ({mode.value}): {error}")
    record_property("schemathesis_all_checks", sum(tried.values()))
    print(f"\nschemathesis, all {len(_all_checks())} checks: {sum(tried.values())} requests")
    html = [label for label in tried if not label.split()[1].startswith(("/api/", "/vienti/"))]
    assert len(html) >= 4 and len(tried) >= 12, tried
    assert not failures, "\n\n".join(failures)
