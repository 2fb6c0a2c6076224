"""Filing social reports: drafts, idempotent submission, validation, reading and audit."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from raketieto.errors import DataError, NotFoundError
from raketieto.store.enums import ReportStatus, SupportNeed
from raketieto.store.errors import PermissionDenied
from raketieto.store.models import AuditEntry, ReportSubmission, SocialReport
from raketieto.store.principal import PUBLIC
from raketieto.store.reports import (
    ReportInput,
    add_message,
    get_report,
    list_own_reports,
    parse_report_input,
    save_draft,
    submit_report,
)
from raketieto.store.review import request_changes
from raketieto.store.vocabulary import Vocabulary
from tests.store.conftest import OTHER, OWN, People, municipality_of
from tests.store.helpers import audit_actions, count, new_key, report_input, submitted


def test_a_draft_may_be_incomplete_and_is_saved_for_its_reporter(
    session: Session, people: People, vocab: Vocabulary
) -> None:
    draft = save_draft(
        session, people.worker, ReportInput(description="Alustava havainto."), vocab=vocab
    )
    assert draft.status is ReportStatus.DRAFT
    assert draft.county_code == OWN
    assert draft.submitted_at is None
    again = save_draft(
        session, people.worker, report_input(vocab, OWN), vocab=vocab, report_id=draft.id
    )
    assert again.id == draft.id
    assert again.support_needs == sorted([SupportNeed.FINANCIAL.value, SupportNeed.HOUSING.value])
    assert audit_actions(session, "report", draft.id) == ["report.save_draft", "report.save_draft"]


def test_submitting_a_draft_stamps_the_half_year(
    session: Session, people: People, vocab: Vocabulary
) -> None:
    draft = save_draft(session, people.worker, report_input(vocab, OWN), vocab=vocab)
    july = dt.datetime(2025, 6, 30, 22, 30, tzinfo=dt.UTC)  # already 1 July in Helsinki
    result = submit_report(
        session,
        people.worker,
        report_input(vocab, OWN),
        vocab=vocab,
        idempotency_key=new_key(),
        report_id=draft.id,
        now=july,
    )
    assert result.report.id == draft.id and not result.replayed
    assert result.report.status is ReportStatus.SUBMITTED
    assert result.report.submitted_half_year == "2025H2"


def test_a_retried_submit_returns_the_same_report_stored_once(
    session: Session, people: People, vocab: Vocabulary
) -> None:
    key = new_key()
    first = submit_report(
        session, people.worker, report_input(vocab, OWN), vocab=vocab, idempotency_key=key
    )
    retry = submit_report(
        session, people.worker, report_input(vocab, OWN), vocab=vocab, idempotency_key=key
    )
    assert retry.report.id == first.report.id
    assert (first.replayed, retry.replayed) == (False, True)
    assert count(session, SocialReport) == 1
    assert count(session, ReportSubmission) == 1
    assert audit_actions(session, "report", first.report.id) == ["report.submit"]


def test_the_same_key_from_another_reporter_is_another_report(
    session: Session, people: People, vocab: Vocabulary
) -> None:
    key = new_key()
    one = submit_report(
        session, people.worker, report_input(vocab, OWN), vocab=vocab, idempotency_key=key
    )
    two = submit_report(
        session, people.colleague, report_input(vocab, OWN), vocab=vocab, idempotency_key=key
    )
    assert one.report.id != two.report.id


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"description": None}, "kuvaus"),
        ({"service_task": None}, "palvelutehtävä"),
        ({"phenomenon_id": "other"}, "uuden ilmiön nimi"),
    ],
)
def test_an_incomplete_report_cannot_be_submitted(
    session: Session, people: People, vocab: Vocabulary, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(DataError, match=message):
        submit_report(
            session,
            people.worker,
            report_input(vocab, OWN, **changes),
            vocab=vocab,
            idempotency_key=new_key(),
        )
    assert count(session, SocialReport) == 0


def test_an_emerging_phenomenon_is_filed_as_other_with_a_name(
    session: Session, people: People, vocab: Vocabulary
) -> None:
    report = submitted(
        session, people.worker, vocab, phenomenon_id="other", emerging_name="Digisyrjäytyminen"
    )
    assert (report.phenomenon_id, report.emerging_name) == ("other", "Digisyrjäytyminen")


def test_unknown_phenomenon_and_region_are_named_with_suggestions(
    session: Session, people: People, vocab: Vocabulary
) -> None:
    with pytest.raises(NotFoundError, match="asunnottomuus"):
        submitted(session, people.worker, vocab, phenomenon_id="asunottomuus")
    with pytest.raises(NotFoundError, match="KU999"):
        submitted(session, people.worker, vocab, region_code="KU999")


def test_a_worker_reports_only_from_their_own_county(
    session: Session, people: People, vocab: Vocabulary
) -> None:
    with pytest.raises(DataError, match=OWN):
        submitted(session, people.worker, vocab, region_code=municipality_of(vocab, OTHER))
    county_level = submitted(session, people.worker, vocab, region_code=OWN)
    assert county_level.region_code == OWN


def test_form_errors_never_echo_the_input() -> None:
    secret = "x" * 300 + "SALAISUUS"
    with pytest.raises(DataError) as caught:
        parse_report_input({"target_group": secret, "estimated_clients": "paljon"})
    assert "SALAISUUS" not in str(caught.value)
    assert "kohderyhmä" in str(caught.value)
    assert "arvio asiakasmäärästä" in str(caught.value)


def test_changes_requested_then_resubmitted_keeps_first_half_year(
    session: Session, people: People, vocab: Vocabulary
) -> None:
    first = dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC)
    report = submit_report(
        session,
        people.worker,
        report_input(vocab, OWN),
        vocab=vocab,
        idempotency_key=new_key(),
        now=first,
    ).report
    request_changes(session, people.coordinator, report.id, message="Lisää kohderyhmän kuvaus.")
    assert report.status is ReportStatus.CHANGES_REQUESTED
    again = submit_report(
        session,
        people.worker,
        report_input(vocab, OWN, target_group="nuoret 18–24 v."),
        vocab=vocab,
        idempotency_key=new_key(),
        report_id=report.id,
        now=dt.datetime(2025, 9, 1, 12, tzinfo=dt.UTC),
    )
    assert again.report.status is ReportStatus.SUBMITTED
    assert again.report.submitted_half_year == "2025H1"
    assert again.report.target_group == "nuoret 18–24 v."
    assert count(session, ReportSubmission) == 2


def test_a_submitted_report_is_no_longer_editable(
    session: Session, people: People, vocab: Vocabulary
) -> None:
    report = submitted(session, people.worker, vocab)
    with pytest.raises(DataError, match="ei voi enää muokata"):
        save_draft(
            session, people.worker, report_input(vocab, OWN), vocab=vocab, report_id=report.id
        )


def test_every_view_and_listing_is_audited(
    session: Session, people: People, vocab: Vocabulary
) -> None:
    report = submitted(session, people.worker, vocab)
    get_report(session, people.worker, report.id)
    get_report(session, people.coordinator, report.id)
    assert list_own_reports(session, people.worker) == [report]
    actions = audit_actions(session, "report", report.id)
    assert actions == ["report.submit", "report.view", "report.view"]
    listings = session.scalars(select(AuditEntry).where(AuditEntry.action == "report.list")).all()
    assert [entry.details["report_ids"] for entry in listings] == [[report.id]]


def test_nobody_but_the_reporter_sees_a_draft(
    session: Session, people: People, vocab: Vocabulary
) -> None:
    draft = save_draft(session, people.worker, report_input(vocab, OWN), vocab=vocab)
    assert get_report(session, people.worker, draft.id) is draft
    for name in ("colleague", "coordinator", "admin", "other_coordinator"):
        with pytest.raises(PermissionDenied):
            get_report(session, people.by_name(name), draft.id)
    with pytest.raises(PermissionDenied):
        get_report(session, PUBLIC, draft.id)


def test_messages_between_reporter_and_coordinator(
    session: Session, people: People, vocab: Vocabulary
) -> None:
    report = submitted(session, people.worker, vocab)
    add_message(session, people.coordinator, report.id, "Voitko tarkentaa alueen?")
    add_message(session, people.worker, report.id, "Koskee koko kaupunkia.")
    assert [m.body for m in report.messages] == [
        "Voitko tarkentaa alueen?",
        "Koskee koko kaupunkia.",
    ]
    with pytest.raises(PermissionDenied):
        add_message(session, people.colleague, report.id, "Minäkin huomasin.")
