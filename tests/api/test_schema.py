"""schemathesis against the API's OpenAPI document: no 5xx, every response matches the schema.

Each operation gets schemathesis' valid requests and invalid ones (which must be answered with
the JSON error shape, never a 5xx), valid ones not breaking a rule between two parameters
(tests/api/joint_rules.py); the number of requests
tried is recorded in the test report (property schemathesis_requests) and printed (see -s).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, assume, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from tests.api.joint_rules import breaks_a_joint_rule

EXAMPLES_PER_OPERATION = 20


def _check(operation: Any, label: str, tried: dict[str, int], mode: GenerationMode) -> None:
    """Run schemathesis' generated requests (valid or invalid ones) for one operation."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION if mode is GenerationMode.POSITIVE else 10,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def run(case: Any) -> None:
        if mode is GenerationMode.POSITIVE:
            assume(not breaks_a_joint_rule(case.query))
        tried[label] += 1
        response = case.call()
        assert response.status_code < 500, f"{label}: {response.status_code} {response.text}"
        case.validate_response(response)

    run()


@pytest.mark.slow
def test_api_conforms_to_its_schema(app: FastAPI, record_property: Any) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    tried: dict[str, int] = {}
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        label = f"{operation.method.upper()} {operation.path}"
        tried[label] = 0
        for mode in GenerationMode:
            try:
                _check(operation, label, tried, mode)
            except Unsatisfiable:
                # An operation without parameters has no invalid request to make.
                assert mode is GenerationMode.NEGATIVE, label
            except Exception as error:  # collect every operation's failure, then fail once
                failures.append(f"{label} ({mode.value}): {error}")
    total = sum(tried.values())
    print(f"\nschemathesis: {total} requests over {len(tried)} operations: {tried}")
    record_property("schemathesis_requests", total)
    assert len(tried) >= 8, tried
    assert not failures, "\n".join(failures)
