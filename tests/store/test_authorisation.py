"""The authorisation matrix: every role x every service action x own / other county.

The objects acted on all belong to county OWN; each principal either lives there or in OTHER.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from raketieto.errors import DataError
from raketieto.store import audit, public, review, themes
from raketieto.store import proposals as props
from raketieto.store import reports as rep
from raketieto.store.accounts import create_user
from raketieto.store.enums import RecipientKind, ReportStatus, Role
from raketieto.store.errors import PermissionDenied
from raketieto.store.export import export_proposals_xlsx
from raketieto.store.models import ActionProposal, SocialReport, Theme
from raketieto.store.notifications import list_notifications
from raketieto.store.principal import PUBLIC, Principal
from raketieto.store.vocabulary import Vocabulary
from tests.store.conftest import OWN, PASSWORD, People
from tests.store.helpers import new_key, report_input, submitted

PRINCIPALS = (
    "public",
    "reporter",
    "worker_own",
    "worker_other",
    "coordinator_own",
    "coordinator_other",
    "national_admin",
)
REVIEWERS = {"coordinator_own", "national_admin"}
SIGNED_IN = set(PRINCIPALS) - {"public"}


@dataclass
class World:
    """People, and reports, a theme and a proposal of county OWN."""

    people: People
    vocab: Vocabulary
    hasher: PasswordHasher
    draft: SocialReport
    report: SocialReport
    duplicate: SocialReport
    accepted: SocialReport
    theme: Theme
    proposal: ActionProposal

    def principal(self, key: str) -> Principal:
        """The principal behind a matrix row."""
        p = self.people
        return {
            "public": PUBLIC,
            "reporter": p.worker,
            "worker_own": p.colleague,
            "worker_other": p.other_worker,
            "coordinator_own": p.coordinator,
            "coordinator_other": p.other_coordinator,
            "national_admin": p.admin,
        }[key]


@pytest.fixture
def world(session: Session, people: People, vocab: Vocabulary, hasher: PasswordHasher) -> World:
    draft = rep.save_draft(session, people.worker, report_input(vocab, OWN), vocab=vocab)
    report = submitted(session, people.worker, vocab)
    duplicate = submitted(session, people.worker, vocab)
    accepted = review.accept_report(
        session, people.coordinator, submitted(session, people.worker, vocab).id
    )
    theme = themes.create_theme(
        session,
        people.coordinator,
        county=OWN,
        half_year="2025H1",
        title="T",
        summary="S",
        vocab=vocab,
    )
    proposal = props.create_proposal(
        session,
        people.coordinator,
        county=OWN,
        title="T",
        body="B",
        recipient_kind=RecipientKind.TOP_MANAGEMENT,
        report_ids=[accepted.id],
        vocab=vocab,
    )
    return World(people, vocab, hasher, draft, report, duplicate, accepted, theme, proposal)


Action = Callable[[Session, Principal, World], Any]


def _new_user(s: Session, p: Principal, w: World) -> Any:
    return create_user(
        s,
        p,
        username="matrix-new",
        display_name="x",
        role=Role.WORKER,
        county=OWN,
        password=PASSWORD,
        hasher=w.hasher,
        vocab=w.vocab,
    )


#: action -> (what it does, who may do it, what refusal looks like for others).
MATRIX: dict[str, tuple[Action, set[str], type[Exception] | tuple[type[Exception], ...]]] = {
    "submit_report": (
        lambda s, p, w: rep.submit_report(
            s, p, report_input(w.vocab, OWN), vocab=w.vocab, idempotency_key=new_key()
        ),
        {"reporter", "worker_own", "coordinator_own"},
        # Other counties' workers may file, but not about OWN's municipalities.
        (PermissionDenied, DataError),
    ),
    "save_new_draft": (
        lambda s, p, w: rep.save_draft(s, p, rep.ReportInput(description="x"), vocab=w.vocab),
        {"reporter", "worker_own", "worker_other", "coordinator_own", "coordinator_other"},
        PermissionDenied,
    ),
    "edit_draft": (
        lambda s, p, w: rep.save_draft(
            s, p, rep.ReportInput(description="x"), vocab=w.vocab, report_id=w.draft.id
        ),
        {"reporter"},
        PermissionDenied,
    ),
    "view_draft": (
        lambda s, p, w: rep.get_report(s, p, w.draft.id),
        {"reporter"},
        PermissionDenied,
    ),
    "view_report": (
        lambda s, p, w: rep.get_report(s, p, w.report.id),
        {"reporter"} | REVIEWERS,
        PermissionDenied,
    ),
    "list_own_reports": (lambda s, p, w: rep.list_own_reports(s, p), SIGNED_IN, PermissionDenied),
    "list_county_reports": (
        lambda s, p, w: rep.list_county_reports(s, p, OWN),
        REVIEWERS,
        PermissionDenied,
    ),
    "message_report": (
        lambda s, p, w: rep.add_message(s, p, w.report.id, "Viesti."),
        {"reporter"} | REVIEWERS,
        PermissionDenied,
    ),
    "accept_report": (
        lambda s, p, w: review.accept_report(s, p, w.report.id),
        REVIEWERS,
        PermissionDenied,
    ),
    "request_changes": (
        lambda s, p, w: review.request_changes(s, p, w.report.id, message="Tarkenna."),
        REVIEWERS,
        PermissionDenied,
    ),
    "merge_report": (
        lambda s, p, w: review.merge_report(s, p, w.duplicate.id, into_id=w.report.id),
        REVIEWERS,
        PermissionDenied,
    ),
    "archive_report": (
        lambda s, p, w: review.archive_report(s, p, w.report.id),
        REVIEWERS,
        PermissionDenied,
    ),
    "create_theme": (
        lambda s, p, w: themes.create_theme(
            s, p, county=OWN, half_year="2025H2", title="T", summary="S", vocab=w.vocab
        ),
        REVIEWERS,
        PermissionDenied,
    ),
    "assign_to_theme": (
        lambda s, p, w: themes.assign_reports(s, p, w.theme.id, [w.accepted.id]),
        REVIEWERS,
        PermissionDenied,
    ),
    "approve_theme": (
        lambda s, p, w: themes.approve_theme(s, p, w.theme.id),
        REVIEWERS,
        PermissionDenied,
    ),
    "list_themes": (lambda s, p, w: themes.list_themes(s, p, OWN), REVIEWERS, PermissionDenied),
    "create_proposal": (
        lambda s, p, w: props.create_proposal(
            s,
            p,
            county=OWN,
            title="T",
            body="B",
            recipient_kind=RecipientKind.MUNICIPALITIES,
            vocab=w.vocab,
        ),
        REVIEWERS,
        PermissionDenied,
    ),
    "send_proposal": (
        lambda s, p, w: props.send_proposal(s, p, w.proposal.id),
        REVIEWERS,
        PermissionDenied,
    ),
    "view_proposal": (
        lambda s, p, w: props.get_proposal(s, p, w.proposal.id),
        REVIEWERS,
        PermissionDenied,
    ),
    "list_proposals": (
        lambda s, p, w: props.list_proposals(s, p, OWN),
        REVIEWERS,
        PermissionDenied,
    ),
    "export_proposals": (
        lambda s, p, w: export_proposals_xlsx(s, p, OWN),
        REVIEWERS,
        PermissionDenied,
    ),
    "read_county_audit": (
        lambda s, p, w: audit.audit_entries(s, p, county=OWN),
        REVIEWERS,
        PermissionDenied,
    ),
    "export_whole_audit": (
        lambda s, p, w: audit.export_audit_csv(s, p),
        {"national_admin"},
        PermissionDenied,
    ),
    "create_worker_account": (_new_user, REVIEWERS, PermissionDenied),
    "list_notifications": (
        lambda s, p, w: list_notifications(s, p),
        SIGNED_IN,
        PermissionDenied,
    ),
    "public_aggregates": (
        lambda s, p, w: (public.theme_counts(s), public.published_summaries(s)),
        set(PRINCIPALS),
        PermissionDenied,
    ),
}


def _attempt(session: Session, world: World, key: str, action: Action) -> str:
    """'ok', or the name of the error the action raised; the attempt is rolled back."""
    nested = session.begin_nested()
    try:
        action(session, world.principal(key), world)
        return "ok"
    except Exception as error:  # the matrix records whatever happened
        return type(error).__name__
    finally:
        nested.rollback()


@pytest.mark.parametrize("action_name", sorted(MATRIX))
def test_authorisation_matrix(session: Session, world: World, action_name: str) -> None:
    action, allowed, refusal = MATRIX[action_name]
    refusals = refusal if isinstance(refusal, tuple) else (refusal,)
    got = {key: _attempt(session, world, key, action) for key in PRINCIPALS}
    want = {key: "ok" if key in allowed else "refused" for key in PRINCIPALS}
    seen = {
        key: "refused" if outcome in {r.__name__ for r in refusals} else outcome
        for key, outcome in got.items()
    }
    assert seen == want, f"{action_name}: {got}"


def test_nobody_sees_another_countys_unpublished_reports(session: Session, world: World) -> None:
    mine = [world.draft, world.report, world.duplicate, world.accepted]
    for key in ("public", "worker_own", "worker_other", "coordinator_other"):
        principal = world.principal(key)
        for report in mine:
            with pytest.raises(PermissionDenied):
                rep.get_report(session, principal, report.id)
        if principal.user_id is not None:
            assert rep.list_own_reports(session, principal) == []
        with pytest.raises(PermissionDenied):
            rep.list_county_reports(session, principal, OWN)
    reviewers_see = rep.list_county_reports(session, world.people.coordinator, OWN)
    assert world.draft not in reviewers_see
    assert {r.status for r in reviewers_see} <= set(ReportStatus) - {ReportStatus.DRAFT}
