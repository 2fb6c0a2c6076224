"""Action proposals: evidence, the status machine, reporter notifications, Excel export."""

from __future__ import annotations

import datetime as dt
import io
import itertools

import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from raketieto.errors import DataError, NotFoundError
from raketieto.store.enums import NotificationKind, ProposalStatus, RecipientKind
from raketieto.store.errors import InvalidTransition, PermissionDenied
from raketieto.store.export import PROPOSAL_COLUMNS, export_proposals_xlsx
from raketieto.store.models import ActionProposal, AuditEntry, SocialReport
from raketieto.store.notifications import list_notifications
from raketieto.store.principal import Principal
from raketieto.store.proposals import (
    TRANSITIONS,
    change_status,
    close_proposal,
    create_proposal,
    list_proposals,
    record_answer,
    send_proposal,
    update_proposal,
)
from raketieto.store.review import accept_report, merge_report
from raketieto.store.vocabulary import Vocabulary
from tests.store.conftest import OTHER, OWN, People
from tests.store.helpers import audit_actions, submitted

INDICATOR = "homeless-single-per-1000"


def _accepted(session: Session, people: People, vocab: Vocabulary, who: Principal) -> SocialReport:
    return accept_report(session, people.coordinator, submitted(session, who, vocab).id)


def _proposal(
    session: Session, people: People, vocab: Vocabulary, reports: list[SocialReport]
) -> ActionProposal:
    return create_proposal(
        session,
        people.coordinator,
        county=OWN,
        title="Tuetun asumisen paikkoja lisättävä",
        body="Nuorille aikuisille tarvitaan lisää tuetun asumisen paikkoja.",
        recipient_kind=RecipientKind.POLITICAL_DECISION_MAKERS,
        recipient_name="Aluevaltuusto",
        phenomenon_id="asunnottomuus",
        report_ids=[r.id for r in reports],
        indicator_ids=[INDICATOR],
        vocab=vocab,
    )


def test_a_proposal_goes_all_the_way_and_reporters_hear_of_it(
    session: Session, people: People, vocab: Vocabulary
) -> None:
    mine = _accepted(session, people, vocab, people.worker)
    duplicate = submitted(session, people.colleague, vocab)
    merge_report(session, people.coordinator, duplicate.id, into_id=mine.id)
    proposal = _proposal(session, people, vocab, [mine])
    assert proposal.status is ProposalStatus.DRAFT
    assert [i.indicator_id for i in proposal.indicators] == [INDICATOR]

    send_proposal(session, people.coordinator, proposal.id)
    record_answer(session, people.coordinator, proposal.id, "Asia otetaan talousarvioon.")
    close_proposal(session, people.coordinator, proposal.id, implemented=True)
    assert proposal.status is ProposalStatus.IMPLEMENTED
    assert proposal.answer_text == "Asia otetaan talousarvioon."
    assert proposal.sent_at and proposal.answered_at and proposal.closed_at

    for reporter, report in ((people.worker, mine), (people.colleague, duplicate)):
        updates = [
            n
            for n in list_notifications(session, reporter)
            if n.kind is NotificationKind.PROPOSAL_UPDATED
        ]
        assert len(updates) == 3
        assert all(n.proposal_id == proposal.id and n.report_id == report.id for n in updates)
        assert any("Asia otetaan talousarvioon." in n.message for n in updates)
    assert audit_actions(session, "proposal", proposal.id) == [
        "proposal.create",
        "proposal.sent",
        "proposal.answered",
        "proposal.implemented",
    ]


@pytest.mark.parametrize(
    ("start", "target"), list(itertools.product(ProposalStatus, ProposalStatus))
)
def test_only_allowed_status_changes_happen(
    session: Session,
    people: People,
    vocab: Vocabulary,
    start: ProposalStatus,
    target: ProposalStatus,
) -> None:
    proposal = _proposal(session, people, vocab, [_accepted(session, people, vocab, people.worker)])
    path = {
        ProposalStatus.DRAFT: [],
        ProposalStatus.SENT: [ProposalStatus.SENT],
        ProposalStatus.ANSWERED: [ProposalStatus.SENT, ProposalStatus.ANSWERED],
        ProposalStatus.IMPLEMENTED: [
            ProposalStatus.SENT,
            ProposalStatus.ANSWERED,
            ProposalStatus.IMPLEMENTED,
        ],
        ProposalStatus.DECLINED: [
            ProposalStatus.SENT,
            ProposalStatus.ANSWERED,
            ProposalStatus.DECLINED,
        ],
    }[start]
    for step in path:
        answer = "Vastaus." if step is ProposalStatus.ANSWERED else None
        change_status(session, people.coordinator, proposal.id, step, answer_text=answer)
    assert proposal.status is start
    answer = "Vastaus." if target is ProposalStatus.ANSWERED else None
    if target in TRANSITIONS[start]:
        change_status(session, people.coordinator, proposal.id, target, answer_text=answer)
        assert proposal.status is target
    else:
        with pytest.raises(InvalidTransition):
            change_status(session, people.coordinator, proposal.id, target, answer_text=answer)
        assert proposal.status is start


def test_evidence_must_be_accepted_reports_of_the_county(
    session: Session, people: People, vocab: Vocabulary
) -> None:
    pending = submitted(session, people.worker, vocab)
    with pytest.raises(DataError, match="hyväksytty"):
        _proposal(session, people, vocab, [pending])
    foreign = accept_report(
        session, people.other_coordinator, submitted(session, people.other_worker, vocab).id
    )
    with pytest.raises(NotFoundError):
        _proposal(session, people, vocab, [foreign])
    with pytest.raises(NotFoundError, match="indikaattori"):
        create_proposal(
            session,
            people.coordinator,
            county=OWN,
            title="T",
            body="B",
            recipient_kind=RecipientKind.TOP_MANAGEMENT,
            indicator_ids=["no-such-indicator"],
            vocab=vocab,
        )


def test_a_proposal_without_evidence_is_not_sent_and_a_sent_one_not_edited(
    session: Session, people: People, vocab: Vocabulary
) -> None:
    bare = create_proposal(
        session,
        people.coordinator,
        county=OWN,
        title="T",
        body="B",
        recipient_kind=RecipientKind.TOP_MANAGEMENT,
        vocab=vocab,
    )
    with pytest.raises(DataError, match="näytöksi"):
        send_proposal(session, people.coordinator, bare.id)
    update_proposal(
        session,
        people.coordinator,
        bare.id,
        title="T2",
        body="B2",
        recipient_kind=RecipientKind.NATIONAL_LEVEL,
        indicator_ids=[INDICATOR],
        vocab=vocab,
    )
    send_proposal(session, people.coordinator, bare.id)
    with pytest.raises(InvalidTransition):
        update_proposal(
            session,
            people.coordinator,
            bare.id,
            title="T3",
            body="B3",
            recipient_kind=RecipientKind.NATIONAL_LEVEL,
            vocab=vocab,
        )


def test_proposals_stay_in_their_county(
    session: Session, people: People, vocab: Vocabulary
) -> None:
    proposal = _proposal(session, people, vocab, [_accepted(session, people, vocab, people.worker)])
    assert list_proposals(session, people.coordinator, OWN) == [proposal]
    assert list_proposals(session, people.admin, OWN) == [proposal]
    assert list_proposals(session, people.other_coordinator, OTHER) == []
    for name in ("other_coordinator", "worker"):
        with pytest.raises(PermissionDenied):
            list_proposals(session, people.by_name(name), OWN)
        with pytest.raises(PermissionDenied):
            send_proposal(session, people.by_name(name), proposal.id)


def test_excel_export_lists_the_county_proposals_as_plain_values(
    session: Session, people: People, vocab: Vocabulary
) -> None:
    report = _accepted(session, people, vocab, people.worker)
    proposal = _proposal(session, people, vocab, [report])
    create_proposal(
        session,
        people.coordinator,
        county=OWN,
        title='=HYPERLINK("http://example.invalid")',
        body="+1 kaava",
        recipient_kind=RecipientKind.MUNICIPALITIES,
        vocab=vocab,
    )
    data = export_proposals_xlsx(session, people.coordinator, OWN)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [name for name, _ in PROPOSAL_COLUMNS]
    assert len(rows) == 3
    by_id = {row[0]: row for row in rows[1:]}
    first = by_id[proposal.id]
    assert first[2] == proposal.title
    assert first[4] == RecipientKind.POLITICAL_DECISION_MAKERS.label()
    assert first[7] == ProposalStatus.DRAFT.label()
    assert first[13] == str(report.id)
    assert first[14] == INDICATOR
    assert isinstance(first[8], dt.datetime) and first[9] is None  # created, not yet sent
    cells = [c for c in sheet.iter_rows(min_row=2) for c in c]
    assert all(cell.data_type != "f" for cell in cells)
    exports = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "proposal.export")
    ).all()
    assert [(e.county_code, e.details["rows"]) for e in exports] == [(OWN, 2)]
    with pytest.raises(PermissionDenied):
        export_proposals_xlsx(session, people.other_coordinator, OWN)
