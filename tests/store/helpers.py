"""Builders shared by the store tests."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from raketieto.store.enums import ObservationKind, ServiceTask, SupportNeed
from raketieto.store.models import AuditEntry, SocialReport
from raketieto.store.principal import Principal
from raketieto.store.reports import ReportInput, submit_report
from raketieto.store.vocabulary import Vocabulary
from tests.store.conftest import municipality_of

_keys = itertools.count(1)


def report_input(vocab: Vocabulary, county: str, **changes: Any) -> ReportInput:
    """A complete, harmless report of county."""
    values: dict[str, Any] = {
        "phenomenon_id": "asunnottomuus",
        "service_task": ServiceTask.WORKING_AGE,
        "support_needs": (SupportNeed.HOUSING, SupportNeed.FINANCIAL),
        "target_group": "nuoret aikuiset",
        "region_code": municipality_of(vocab, county),
        "observation_kind": ObservationKind.SERVICE_GAP,
        "description": "Nuoret jäävät ilman tuettua asumista, koska jonot ovat pitkiä.",
        "estimated_clients": 12,
        "proposed_action": "Lisätään tuetun asumisen paikkoja.",
    }
    values.update(changes)
    return ReportInput(**values)


def new_key() -> str:
    """A fresh idempotency key."""
    return f"test-key-{next(_keys):06d}"


def submitted(
    session: Session, principal: Principal, vocab: Vocabulary, **changes: Any
) -> SocialReport:
    """A report submitted by principal in their county."""
    assert principal.county is not None
    data = report_input(vocab, principal.county, **changes)
    return submit_report(session, principal, data, vocab=vocab, idempotency_key=new_key()).report


def audit_actions(session: Session, object_type: str, object_id: int | str) -> list[str]:
    """The audited actions on one object, oldest first."""
    return list(
        session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.object_type == object_type, AuditEntry.object_id == str(object_id))
            .order_by(AuditEntry.id)
        )
    )


def count(session: Session, model: type[Any]) -> int:
    """Rows in a model's table."""
    return int(session.scalar(select(func.count()).select_from(model)) or 0)
