"""Action proposals: drafted from accepted reports and indicators, sent, answered and closed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from raketieto.errors import DataError
from raketieto.store import audit, policy
from raketieto.store.enums import NotificationKind, ProposalStatus, RecipientKind, ReportStatus
from raketieto.store.errors import InvalidTransition, RecordNotFound
from raketieto.store.freetext import check_free_text
from raketieto.store.models import ActionProposal, ProposalIndicator, SocialReport
from raketieto.store.notifications import notify
from raketieto.store.principal import Principal
from raketieto.store.types import utcnow
from raketieto.store.vocabulary import Vocabulary

#: The only status changes there are.
TRANSITIONS: dict[ProposalStatus, frozenset[ProposalStatus]] = {
    ProposalStatus.DRAFT: frozenset({ProposalStatus.SENT}),
    ProposalStatus.SENT: frozenset({ProposalStatus.ANSWERED}),
    ProposalStatus.ANSWERED: frozenset({ProposalStatus.IMPLEMENTED, ProposalStatus.DECLINED}),
    ProposalStatus.IMPLEMENTED: frozenset(),
    ProposalStatus.DECLINED: frozenset(),
}

_DENIED = (
    "Toimenpide-ehdotuksia käsittelevät vain oman alueen koordinaattorit ja valtakunnalliset "
    "ylläpitäjät."
)


def _check_texts(title: str, body: str, recipient_name: str | None) -> tuple[str, str, str | None]:
    title, body = title.strip(), body.strip()
    recipient = (recipient_name or "").strip() or None
    if not title or len(title) > 200:
        raise DataError("Ehdotuksen otsikko ei kelpaa: odotettiin 1–200 merkkiä.")
    if not body:
        raise DataError("Ehdotuksen teksti on tyhjä.")
    if recipient is not None and len(recipient) > 200:
        raise DataError("Vastaanottajan nimi on liian pitkä: enintään 200 merkkiä.")
    check_free_text({"otsikko": title, "ehdotus": body, "vastaanottaja": recipient})
    return title, body, recipient


def _evidence_reports(
    session: Session, county: str, report_ids: Iterable[int]
) -> list[SocialReport]:
    ids = sorted(set(report_ids))
    found = {r.id: r for r in session.scalars(select(SocialReport).where(SocialReport.id.in_(ids)))}
    reports = []
    for report_id in ids:
        report = found.get(report_id)
        if report is None or report.county_code != county:
            raise RecordNotFound("alueen raportti", report_id)
        if report.status is not ReportStatus.ACCEPTED:
            raise DataError(
                f"Raportti {report_id} ei ole hyväksytty (tila '{report.status.label()}'); "
                "näytöksi kelpaavat vain hyväksytyt raportit."
            )
        reports.append(report)
    return reports


def _load(session: Session, principal: Principal, proposal_id: int) -> ActionProposal:
    proposal = session.get(ActionProposal, proposal_id)
    if proposal is None:
        raise RecordNotFound("toimenpide-ehdotus", proposal_id)
    policy.require(policy.can_manage_county(principal, proposal.county_code), _DENIED)
    return proposal


def create_proposal(
    session: Session,
    principal: Principal,
    *,
    county: str,
    title: str,
    body: str,
    recipient_kind: RecipientKind,
    recipient_name: str | None = None,
    phenomenon_id: str | None = None,
    report_ids: Iterable[int] = (),
    indicator_ids: Iterable[str] = (),
    vocab: Vocabulary,
) -> ActionProposal:
    """A draft proposal of a county, with accepted reports and indicators as its evidence."""
    county = vocab.check_county(county)
    policy.require(policy.can_manage_county(principal, county), _DENIED)
    title, body, recipient = _check_texts(title, body, recipient_name)
    if phenomenon_id is not None:
        vocab.check_phenomenon(phenomenon_id, allow_other=False)
    reports = _evidence_reports(session, county, report_ids)
    indicators = sorted({vocab.check_indicator(i) for i in indicator_ids})
    assert principal.user_id is not None
    proposal = ActionProposal(
        county_code=county,
        title=title,
        body=body,
        recipient_kind=RecipientKind(recipient_kind),
        recipient_name=recipient,
        phenomenon_id=phenomenon_id,
        status=ProposalStatus.DRAFT,
        created_by=principal.user_id,
    )
    proposal.reports = reports
    proposal.indicators = [ProposalIndicator(indicator_id=i) for i in indicators]
    session.add(proposal)
    session.flush()
    audit.record(
        session,
        principal,
        "proposal.create",
        "proposal",
        proposal.id,
        county=county,
        details={"report_ids": [r.id for r in reports], "indicator_ids": indicators},
    )
    return proposal


def update_proposal(
    session: Session,
    principal: Principal,
    proposal_id: int,
    *,
    title: str,
    body: str,
    recipient_kind: RecipientKind,
    recipient_name: str | None = None,
    report_ids: Iterable[int] = (),
    indicator_ids: Iterable[str] = (),
    vocab: Vocabulary,
) -> ActionProposal:
    """Rewrite a draft proposal and its evidence; a sent proposal is no longer edited."""
    proposal = _load(session, principal, proposal_id)
    if proposal.status is not ProposalStatus.DRAFT:
        raise InvalidTransition(
            f"Ehdotusta {proposal.id} ei voi enää muokata: sen tila on "
            f"'{proposal.status.label()}'; vain luonnosta voi muokata."
        )
    proposal.title, proposal.body, proposal.recipient_name = _check_texts(
        title, body, recipient_name
    )
    proposal.recipient_kind = RecipientKind(recipient_kind)
    proposal.reports = _evidence_reports(session, proposal.county_code, report_ids)
    indicators = sorted({vocab.check_indicator(i) for i in indicator_ids})
    proposal.indicators = [ProposalIndicator(indicator_id=i) for i in indicators]
    proposal.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        principal,
        "proposal.update",
        "proposal",
        proposal.id,
        county=proposal.county_code,
        details={"report_ids": [r.id for r in proposal.reports], "indicator_ids": indicators},
    )
    return proposal


def _reporters_to_inform(session: Session, proposal: ActionProposal) -> dict[int, list[int]]:
    """Reporter id -> their report ids behind the proposal, duplicates merged into it included."""
    evidence_ids = [r.id for r in proposal.reports]
    merged = session.scalars(
        select(SocialReport).where(SocialReport.merged_into_id.in_(evidence_ids))
    ).all()
    by_reporter: dict[int, list[int]] = {}
    for report in [*proposal.reports, *merged]:
        by_reporter.setdefault(report.reporter_id, []).append(report.id)
    return by_reporter


def change_status(
    session: Session,
    principal: Principal,
    proposal_id: int,
    to_status: ProposalStatus,
    *,
    answer_text: str | None = None,
) -> ActionProposal:
    """Move a proposal along draft -> sent -> answered -> implemented / declined, and tell the
    reporters whose observations it rests on."""
    proposal = _load(session, principal, proposal_id)
    to_status = ProposalStatus(to_status)
    if to_status not in TRANSITIONS[proposal.status]:
        allowed = ", ".join(sorted(s.label() for s in TRANSITIONS[proposal.status])) or "ei mitään"
        raise InvalidTransition(
            f"Ehdotuksen {proposal.id} tilaa ei voi muuttaa '{proposal.status.label()}' -> "
            f"'{to_status.label()}'; sallitut seuraavat tilat: {allowed}."
        )
    now = utcnow()
    if to_status is ProposalStatus.SENT and not (proposal.reports or proposal.indicators):
        raise DataError(
            "Ehdotukselle on liitettävä näytöksi ainakin yksi hyväksytty raportti tai indikaattori "
            "ennen lähettämistä."
        )
    if to_status is ProposalStatus.ANSWERED:
        answer = (answer_text or "").strip()
        if not answer:
            raise DataError("Kirjaa vastaanottajan vastaus, kun ehdotukseen on vastattu.")
        check_free_text({"vastaus": answer})
        proposal.answer_text = answer
        proposal.answered_at = now
    elif answer_text:
        raise DataError("Vastauksen voi kirjata vain siirrettäessä ehdotus tilaan 'vastattu'.")
    if to_status is ProposalStatus.SENT:
        proposal.sent_at = now
    if to_status in (ProposalStatus.IMPLEMENTED, ProposalStatus.DECLINED):
        proposal.closed_at = now
    from_status = proposal.status
    proposal.status = to_status
    proposal.updated_at = now
    informed = _reporters_to_inform(session, proposal)
    for reporter_id, report_ids in informed.items():
        listed = ", ".join(str(i) for i in sorted(report_ids))
        message = (
            f"Havaintosi (raportti {listed}) on näyttönä toimenpide-ehdotuksessa "
            f"'{proposal.title}', jonka tila on nyt: {to_status.label()}."
        )
        if to_status is ProposalStatus.ANSWERED and proposal.answer_text:
            message += f" Vastaus: {proposal.answer_text}"
        notify(
            session,
            reporter_id,
            NotificationKind.PROPOSAL_UPDATED,
            message,
            report_id=min(report_ids),
            proposal_id=proposal.id,
        )
    session.flush()
    audit.record(
        session,
        principal,
        f"proposal.{to_status.value}",
        "proposal",
        proposal.id,
        county=proposal.county_code,
        details={
            "from": from_status.value,
            "to": to_status.value,
            "notified_users": sorted(informed),
        },
    )
    return proposal


def send_proposal(session: Session, principal: Principal, proposal_id: int) -> ActionProposal:
    """Mark a draft proposal sent to its recipient."""
    return change_status(session, principal, proposal_id, ProposalStatus.SENT)


def record_answer(
    session: Session, principal: Principal, proposal_id: int, answer_text: str
) -> ActionProposal:
    """Record the recipient's answer to a sent proposal."""
    return change_status(
        session, principal, proposal_id, ProposalStatus.ANSWERED, answer_text=answer_text
    )


def close_proposal(
    session: Session, principal: Principal, proposal_id: int, *, implemented: bool
) -> ActionProposal:
    """Close an answered proposal as implemented or declined."""
    outcome = ProposalStatus.IMPLEMENTED if implemented else ProposalStatus.DECLINED
    return change_status(session, principal, proposal_id, outcome)


def get_proposal(session: Session, principal: Principal, proposal_id: int) -> ActionProposal:
    """One proposal, for its county's coordinators and national admins."""
    return _load(session, principal, proposal_id)


def list_proposals(
    session: Session,
    principal: Principal,
    county: str,
    *,
    statuses: Sequence[ProposalStatus] | None = None,
) -> Sequence[ActionProposal]:
    """A county's proposals, newest first."""
    policy.require(policy.can_manage_county(principal, county), _DENIED)
    query = select(ActionProposal).where(ActionProposal.county_code == county)
    if statuses:
        query = query.where(ActionProposal.status.in_(list(statuses)))
    return session.scalars(query.order_by(ActionProposal.id.desc())).all()
