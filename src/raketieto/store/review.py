"""Coordinator review of submitted reports: accept, request changes, merge duplicates, archive."""

from __future__ import annotations

from sqlalchemy.orm import Session

from raketieto.errors import DataError
from raketieto.store import audit, policy
from raketieto.store.enums import NotificationKind, ReportStatus, ReviewDecisionKind
from raketieto.store.errors import InvalidTransition, PermissionDenied, RecordNotFound
from raketieto.store.freetext import check_free_text
from raketieto.store.models import ReviewDecision, SocialReport
from raketieto.store.notifications import notify
from raketieto.store.principal import Principal
from raketieto.store.types import utcnow

#: Decision -> (statuses it may be taken from, status it leads to).
DECISIONS: dict[ReviewDecisionKind, tuple[frozenset[ReportStatus], ReportStatus]] = {
    ReviewDecisionKind.ACCEPT: (frozenset({ReportStatus.SUBMITTED}), ReportStatus.ACCEPTED),
    ReviewDecisionKind.REQUEST_CHANGES: (
        frozenset({ReportStatus.SUBMITTED}),
        ReportStatus.CHANGES_REQUESTED,
    ),
    ReviewDecisionKind.MERGE: (frozenset({ReportStatus.SUBMITTED}), ReportStatus.MERGED),
    ReviewDecisionKind.ARCHIVE: (
        frozenset({ReportStatus.SUBMITTED, ReportStatus.CHANGES_REQUESTED, ReportStatus.ACCEPTED}),
        ReportStatus.ARCHIVED,
    ),
}

_NOTICE = {
    ReviewDecisionKind.ACCEPT: (NotificationKind.REPORT_ACCEPTED, "Raporttisi {id} hyväksyttiin."),
    ReviewDecisionKind.REQUEST_CHANGES: (
        NotificationKind.CHANGES_REQUESTED,
        "Raporttiisi {id} pyydetään täydennystä.",
    ),
    ReviewDecisionKind.MERGE: (
        NotificationKind.REPORT_MERGED,
        "Raporttisi {id} yhdistettiin samaa asiaa koskevaan raporttiin {target}.",
    ),
    ReviewDecisionKind.ARCHIVE: (NotificationKind.REPORT_ARCHIVED, "Raporttisi {id} arkistoitiin."),
}


def _load(session: Session, report_id: int) -> SocialReport:
    report = session.get(SocialReport, report_id, with_for_update=True)
    if report is None:
        raise RecordNotFound("raportti", report_id)
    return report


def _decide(
    session: Session,
    principal: Principal,
    report_id: int,
    decision: ReviewDecisionKind,
    *,
    message: str | None,
    target: SocialReport | None = None,
) -> SocialReport:
    report = _load(session, report_id)
    policy.require(
        policy.can_review_report(principal, report),
        "Raportteja käsittelevät vain oman alueen koordinaattorit, eivätkä omia raporttejaan.",
    )
    sources, to_status = DECISIONS[decision]
    if report.status not in sources:
        allowed = ", ".join(sorted(s.label() for s in sources))
        raise InvalidTransition(
            f"Raporttia {report.id} ei voi {decision.label()}: sen tila on "
            f"'{report.status.label()}', kun sallittuja ovat: {allowed}."
        )
    text = (message or "").strip() or None
    if text is not None:
        check_free_text({"viesti": text})
    assert principal.user_id is not None
    from_status = report.status
    report.status = to_status
    report.decided_at = utcnow()
    report.updated_at = report.decided_at
    if target is not None:
        report.merged_into_id = target.id
    session.add(
        ReviewDecision(
            report_id=report.id,
            reviewer_id=principal.user_id,
            decision=decision,
            from_status=from_status,
            to_status=to_status,
            message=text,
            merged_into_id=None if target is None else target.id,
        )
    )
    kind, template = _NOTICE[decision]
    notice = template.format(id=report.id, target=None if target is None else target.id)
    if text is not None:
        notice += f" Viesti: {text}"
    notify(session, report.reporter_id, kind, notice, report_id=report.id)
    details: dict[str, object] = {"from": from_status.value, "to": to_status.value}
    if target is not None:
        details["merged_into"] = target.id
    session.flush()
    audit.record(
        session,
        principal,
        f"report.{decision.value}",
        "report",
        report.id,
        county=report.county_code,
        details=details,
    )
    return report


def accept_report(
    session: Session, principal: Principal, report_id: int, *, message: str | None = None
) -> SocialReport:
    """Accept a submitted report; it can then join themes and back action proposals."""
    return _decide(session, principal, report_id, ReviewDecisionKind.ACCEPT, message=message)


def request_changes(
    session: Session, principal: Principal, report_id: int, *, message: str
) -> SocialReport:
    """Send a report back to its reporter with a message saying what to add or change."""
    if not message.strip():
        raise DataError("Kerro viestissä, mitä raporttiin pitää täydentää.")
    return _decide(
        session, principal, report_id, ReviewDecisionKind.REQUEST_CHANGES, message=message
    )


def merge_report(
    session: Session,
    principal: Principal,
    report_id: int,
    *,
    into_id: int,
    message: str | None = None,
) -> SocialReport:
    """Mark a report a duplicate of another in the same county (submitted or accepted)."""
    if report_id == into_id:
        raise DataError("Raporttia ei voi yhdistää itseensä.")
    target = session.get(SocialReport, into_id)
    if target is None:
        raise RecordNotFound("raportti", into_id)
    policy.require(
        policy.can_review_report(principal, target),
        "Raportin voi yhdistää vain saman alueen toiseen raporttiin.",
    )
    source = session.get(SocialReport, report_id)
    if source is not None and source.county_code != target.county_code:
        raise PermissionDenied(
            f"Raportteja {report_id} ja {into_id} ei voi yhdistää, koska ne ovat eri alueilta."
        )
    if target.status not in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
        raise InvalidTransition(
            f"Raporttiin {into_id} ei voi yhdistää: sen tila on '{target.status.label()}', "
            "kun sallittuja ovat lähetetty ja hyväksytty."
        )
    return _decide(
        session, principal, report_id, ReviewDecisionKind.MERGE, message=message, target=target
    )


def archive_report(
    session: Session, principal: Principal, report_id: int, *, message: str | None = None
) -> SocialReport:
    """Archive a report that will not be taken further (it stops counting in aggregates)."""
    return _decide(session, principal, report_id, ReviewDecisionKind.ARCHIVE, message=message)
