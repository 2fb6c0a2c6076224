"""Coordinator review: decisions, allowed transitions, notifications and the record."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from raketieto.errors import DataError
from raketieto.store.enums import NotificationKind, ReportStatus, ReviewDecisionKind
from raketieto.store.errors import InvalidTransition, PermissionDenied
from raketieto.store.notifications import list_notifications, mark_read
from raketieto.store.review import (
    DECISIONS,
    accept_report,
    archive_report,
    merge_report,
    request_changes,
)
from raketieto.store.vocabulary import Vocabulary
from tests.store.conftest import People
from tests.store.helpers import audit_actions, submitted


def test_accepting_records_the_decision_and_tells_the_reporter(
    session: Session, people: People, vocab: Vocabulary
) -> None:
    report = submitted(session, people.worker, vocab)
    accept_report(session, people.coordinator, report.id, message="Kiitos tärkeästä havainnosta.")
    assert report.status is ReportStatus.ACCEPTED
    assert [(d.decision, d.from_status, d.to_status) for d in report.decisions] == [
        (ReviewDecisionKind.ACCEPT, ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
    ]
    inbox = list_notifications(session, people.worker, unread_only=True)
    assert [n.kind for n in inbox] == [NotificationKind.REPORT_ACCEPTED]
    assert "Kiitos tärkeästä havainnosta." in inbox[0].message
    mark_read(session, people.worker, inbox[0].id)
    assert list_notifications(session, people.worker, unread_only=True) == []
    assert audit_actions(session, "report", report.id) == ["report.submit", "report.accept"]


def test_requesting_changes_needs_a_message(
    session: Session, people: People, vocab: Vocabulary
) -> None:
    report = submitted(session, people.worker, vocab)
    with pytest.raises(DataError, match="täydentää"):
        request_changes(session, people.coordinator, report.id, message="  ")
    request_changes(session, people.coordinator, report.id, message="Mistä kunnasta on kyse?")
    assert report.status is ReportStatus.CHANGES_REQUESTED


def test_merging_a_duplicate_points_it_at_the_original(
    session: Session, people: People, vocab: Vocabulary
) -> None:
    original = submitted(session, people.worker, vocab)
    duplicate = submitted(session, people.colleague, vocab)
    merge_report(session, people.coordinator, duplicate.id, into_id=original.id)
    assert duplicate.status is ReportStatus.MERGED
    assert duplicate.merged_into_id == original.id
    assert original.status is ReportStatus.SUBMITTED
    [note] = list_notifications(session, people.colleague)
    assert note.kind is NotificationKind.REPORT_MERGED and str(original.id) in note.message


def test_merging_across_counties_or_into_itself_is_refused(
    session: Session, people: People, vocab: Vocabulary
) -> None:
    own = submitted(session, people.worker, vocab)
    other = submitted(session, people.other_worker, vocab)
    with pytest.raises(PermissionDenied):
        merge_report(session, people.admin, other.id, into_id=own.id)
    with pytest.raises(DataError):
        merge_report(session, people.coordinator, own.id, into_id=own.id)


@pytest.mark.parametrize("decision", list(ReviewDecisionKind))
@pytest.mark.parametrize(
    "start", [ReportStatus.SUBMITTED, ReportStatus.CHANGES_REQUESTED, ReportStatus.ACCEPTED]
)
def test_only_allowed_review_transitions_happen(
    session: Session,
    people: People,
    vocab: Vocabulary,
    decision: ReviewDecisionKind,
    start: ReportStatus,
) -> None:
    report = submitted(session, people.worker, vocab)
    target = submitted(session, people.colleague, vocab)
    if start is ReportStatus.CHANGES_REQUESTED:
        request_changes(session, people.coordinator, report.id, message="Tarkenna.")
    elif start is ReportStatus.ACCEPTED:
        accept_report(session, people.coordinator, report.id)

    def act() -> None:
        if decision is ReviewDecisionKind.ACCEPT:
            accept_report(session, people.coordinator, report.id)
        elif decision is ReviewDecisionKind.REQUEST_CHANGES:
            request_changes(session, people.coordinator, report.id, message="Tarkenna.")
        elif decision is ReviewDecisionKind.MERGE:
            merge_report(session, people.coordinator, report.id, into_id=target.id)
        else:
            archive_report(session, people.coordinator, report.id)

    sources, to_status = DECISIONS[decision]
    if start in sources:
        act()
        assert report.status is to_status
    else:
        with pytest.raises(InvalidTransition, match=start.label()):
            act()
        assert report.status is start


def test_a_coordinator_does_not_decide_on_their_own_report(
    session: Session, people: People, vocab: Vocabulary
) -> None:
    own = submitted(session, people.coordinator, vocab)
    with pytest.raises(PermissionDenied):
        accept_report(session, people.coordinator, own.id)
    accept_report(session, people.admin, own.id)
    assert own.status is ReportStatus.ACCEPTED
