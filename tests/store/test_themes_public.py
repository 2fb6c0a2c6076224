"""Themes and what the public sees: county counts per theme and half-year, approved summaries."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from raketieto.errors import DataError, NotFoundError
from raketieto.store import public
from raketieto.store.errors import IdentifierRefused, PermissionDenied
from raketieto.store.models import SocialReport
from raketieto.store.principal import Principal
from raketieto.store.reports import submit_report
from raketieto.store.review import accept_report, archive_report
from raketieto.store.themes import (
    approve_theme,
    assign_reports,
    create_theme,
    list_themes,
    update_theme,
)
from raketieto.store.vocabulary import Vocabulary
from tests.store.conftest import OTHER, OWN, People
from tests.store.helpers import new_key, report_input

SPRING = dt.datetime(2025, 3, 15, 9, tzinfo=dt.UTC)
AUTUMN = dt.datetime(2025, 10, 15, 9, tzinfo=dt.UTC)


def _accepted(
    session: Session, people: People, vocab: Vocabulary, worker: Principal, when: dt.datetime
) -> SocialReport:
    assert worker.county is not None
    report = submit_report(
        session,
        worker,
        report_input(vocab, worker.county),
        vocab=vocab,
        idempotency_key=new_key(),
        now=when,
    ).report
    reviewer = people.coordinator if worker.county == OWN else people.other_coordinator
    return accept_report(session, reviewer, report.id)


def test_public_sees_counts_and_summaries_only_after_approval(
    session: Session, people: People, vocab: Vocabulary
) -> None:
    reports = [
        _accepted(session, people, vocab, people.worker, SPRING),
        _accepted(session, people, vocab, people.colleague, SPRING),
        _accepted(session, people, vocab, people.worker, AUTUMN),
    ]
    theme = create_theme(
        session,
        people.coordinator,
        county=OWN,
        half_year="2025h2",
        title="Nuorten asunnottomuus",
        summary="Nuoret aikuiset jäävät ilman tuettua asumista.",
        phenomenon_id="asunnottomuus",
        vocab=vocab,
    )
    assign_reports(session, people.coordinator, theme.id, [r.id for r in reports])
    assert public.theme_counts(session) == []
    assert public.published_summaries(session) == []

    approve_theme(session, people.coordinator, theme.id)
    counts = public.theme_counts(session, phenomenon_id="asunnottomuus")
    assert [(c.county_code, c.half_year, c.reports) for c in counts] == [
        (OWN, "2025H1", 2),
        (OWN, "2025H2", 1),
    ]
    [summary] = public.published_summaries(session, county=OWN)
    assert (summary.half_year, summary.title) == ("2025H2", "Nuorten asunnottomuus")

    archive_report(session, people.coordinator, reports[0].id)
    spring = [c for c in public.theme_counts(session) if c.half_year == "2025H1"]
    assert [c.reports for c in spring] == [1]

    update_theme(
        session, people.coordinator, theme.id, title="Uusi otsikko", summary="Uusi teksti."
    )
    assert public.published_summaries(session) == []


def test_public_results_carry_no_report_content(
    session: Session, people: People, vocab: Vocabulary
) -> None:
    report = _accepted(session, people, vocab, people.worker, SPRING)
    theme = create_theme(
        session,
        people.coordinator,
        county=OWN,
        half_year="2025H1",
        title="T",
        summary="S",
        vocab=vocab,
    )
    assign_reports(session, people.coordinator, theme.id, [report.id])
    approve_theme(session, people.admin, theme.id)
    shown = repr(public.theme_counts(session)) + repr(public.published_summaries(session))
    assert report.description is not None and report.description not in shown
    assert f"report_id={report.id}" not in shown


def test_only_accepted_reports_of_the_county_join_a_theme(
    session: Session, people: People, vocab: Vocabulary
) -> None:
    theme = create_theme(
        session,
        people.coordinator,
        county=OWN,
        half_year="2025H1",
        title="T",
        summary="S",
        vocab=vocab,
    )
    pending = submit_report(
        session,
        people.worker,
        report_input(vocab, OWN),
        vocab=vocab,
        idempotency_key=new_key(),
    ).report
    with pytest.raises(DataError, match="hyväksytty"):
        assign_reports(session, people.coordinator, theme.id, [pending.id])
    foreign = _accepted(session, people, vocab, people.other_worker, SPRING)
    with pytest.raises(NotFoundError):
        assign_reports(session, people.coordinator, theme.id, [foreign.id])


def test_themes_belong_to_their_county(session: Session, people: People, vocab: Vocabulary) -> None:
    with pytest.raises(PermissionDenied):
        create_theme(
            session,
            people.coordinator,
            county=OTHER,
            half_year="2025H1",
            title="T",
            summary="S",
            vocab=vocab,
        )
    theme = create_theme(
        session,
        people.coordinator,
        county=OWN,
        half_year="2025H1",
        title="T",
        summary="S",
        vocab=vocab,
    )
    assert list_themes(session, people.coordinator, OWN) == [theme]
    for name in ("other_coordinator", "worker"):
        with pytest.raises(PermissionDenied):
            approve_theme(session, people.by_name(name), theme.id)
        with pytest.raises(PermissionDenied):
            list_themes(session, people.by_name(name), OWN)


def test_half_year_and_summary_text_are_checked(
    session: Session, people: People, vocab: Vocabulary
) -> None:
    with pytest.raises(DataError, match="VVVVH1"):
        create_theme(
            session,
            people.coordinator,
            county=OWN,
            half_year="2025/1",
            title="T",
            summary="S",
            vocab=vocab,
        )
    with pytest.raises(IdentifierRefused):
        create_theme(
            session,
            people.coordinator,
            county=OWN,
            half_year="2025H1",
            title="T",
            summary="Lisätietoja: matti.meikalainen@example.fi",
            vocab=vocab,
        )
