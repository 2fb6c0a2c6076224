"""Terms that two layers spell separately must stay the same set of codes."""

from __future__ import annotations

import dataclasses

from raketieto.clientdata.schema import SERVICE_TASKS, SUPPORT_NEEDS
from raketieto.reports.tidy import TidyRow
from raketieto.store.enums import ServiceTask, SupportNeed
from raketieto.web.api.models import ValueOut


def test_reports_and_client_extracts_use_the_same_service_task_codes() -> None:
    assert {task.value for task in ServiceTask} == set(SERVICE_TASKS)


def test_every_point_of_shl_11_has_a_report_category() -> None:
    # Reports group SHL 11 § point 8 (substance use, mental health, other) into one category;
    # the client-data extract keeps the points apart. Every extract code must have a home.
    grouped = {
        "daily_living": SupportNeed.ESSENTIAL_CARE,
        "social_inclusion": SupportNeed.SOCIAL_EXCLUSION,
        "substance_use": SupportNeed.SUBSTANCE_MENTAL_HEALTH,
        "other_addiction": SupportNeed.SUBSTANCE_MENTAL_HEALTH,
        "mental_health": SupportNeed.SUBSTANCE_MENTAL_HEALTH,
        "other_psychosocial": SupportNeed.SUBSTANCE_MENTAL_HEALTH,
    }
    homes = {code: grouped.get(code) or SupportNeed(code) for code in SUPPORT_NEEDS}
    assert set(homes.values()) == set(SupportNeed)


def test_the_api_value_schema_has_exactly_the_tidy_row_fields() -> None:
    assert list(ValueOut.model_fields) == [f.name for f in dataclasses.fields(TidyRow)]
