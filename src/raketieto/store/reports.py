"""Social reports: save drafts, submit (idempotently), read and list them, and discuss them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from raketieto.errors import DataError
from raketieto.store import audit, policy
from raketieto.store.enums import (
    OTHER_PHENOMENON,
    ObservationKind,
    ReportStatus,
    ServiceTask,
    SupportNeed,
)
from raketieto.store.errors import RecordNotFound
from raketieto.store.freetext import check_free_text
from raketieto.store.models import ReportSubmission, ReviewMessage, SocialReport
from raketieto.store.periods import half_year_of
from raketieto.store.principal import Principal
from raketieto.store.types import utcnow
from raketieto.store.vocabulary import Vocabulary

FIELD_LABELS: dict[str, str] = {
    "phenomenon_id": "ilmiö",
    "emerging_name": "uuden ilmiön nimi",
    "service_task": "palvelutehtävä",
    "support_needs": "tuen tarpeet",
    "target_group": "kohderyhmä",
    "region_code": "alue",
    "observation_kind": "havainnon laji",
    "description": "kuvaus",
    "estimated_clients": "arvio asiakasmäärästä",
    "proposed_action": "ehdotettu toimenpide",
}
FREE_TEXT_FIELDS = ("emerging_name", "target_group", "description", "proposed_action")
REQUIRED_ON_SUBMIT = (
    "phenomenon_id",
    "service_task",
    "region_code",
    "observation_kind",
    "description",
)
_KEY = re.compile(r"[A-Za-z0-9._:-]{8,100}")


class ReportInput(BaseModel):
    """The fields of the report form; all optional in a draft, REQUIRED_ON_SUBMIT to submit."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    phenomenon_id: str | None = Field(default=None, max_length=64)
    emerging_name: str | None = Field(default=None, max_length=200)
    service_task: ServiceTask | None = None
    support_needs: tuple[SupportNeed, ...] = ()
    target_group: str | None = Field(default=None, max_length=200)
    region_code: str | None = Field(default=None, max_length=8)
    observation_kind: ObservationKind | None = None
    description: str | None = Field(default=None, max_length=10_000)
    estimated_clients: int | None = Field(default=None, ge=0, le=10_000_000)
    proposed_action: str | None = Field(default=None, max_length=5_000)

    def free_text(self) -> dict[str, str | None]:
        """The free-text fields by name, for the identifier check."""
        return {name: getattr(self, name) for name in FREE_TEXT_FIELDS}


def _strings_in(raw: Mapping[str, object]) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for name, value in raw.items():
        if isinstance(value, str):
            found[str(name)] = value
        elif isinstance(value, list | tuple):
            for i, item in enumerate(value):
                if isinstance(item, str):
                    found[f"{name}[{i}]"] = item
    return found


def parse_report_input(raw: Mapping[str, object]) -> ReportInput:
    """Form data as a ReportInput: identifiers are refused first, and errors never echo input."""
    check_free_text(_strings_in(raw))
    try:
        return ReportInput.model_validate(dict(raw))
    except ValidationError as error:
        problems = []
        for item in error.errors(include_input=False, include_url=False):
            field = ".".join(str(part) for part in item["loc"]) or "lomake"
            label = FIELD_LABELS.get(str(item["loc"][0]), field) if item["loc"] else field
            problems.append(f"{label}: {item['msg']}")
        raise DataError("Lomakkeen tiedot eivät kelpaa: " + "; ".join(problems) + ".") from None


@dataclass(frozen=True)
class Submission:
    """A submitted report, and whether this call only replayed an earlier one with the same key."""

    report: SocialReport
    replayed: bool


def _check_input(data: ReportInput, principal: Principal, vocab: Vocabulary) -> str | None:
    """Validate references; return the county of the region if one is given."""
    check_free_text(data.free_text())
    if data.phenomenon_id is not None:
        vocab.check_phenomenon(data.phenomenon_id)
    if data.phenomenon_id != OTHER_PHENOMENON and data.emerging_name:
        raise DataError(
            "Uuden ilmiön nimi annetaan vain, kun ilmiöksi on valittu 'other' (muu / uusi ilmiö)."
        )
    if data.region_code is None:
        return None
    county = vocab.county_for(data.region_code)
    if county != principal.county:
        raise DataError(
            f"Alue '{data.region_code}' ei kuulu kotihyvinvointialueeseesi {principal.county}: "
            "raportoi oman alueesi havainnoista."
        )
    return county


def _check_complete(data: ReportInput) -> None:
    missing = [FIELD_LABELS[name] for name in REQUIRED_ON_SUBMIT if not getattr(data, name)]
    if data.phenomenon_id == OTHER_PHENOMENON and not data.emerging_name:
        missing.append(FIELD_LABELS["emerging_name"])
    if missing:
        raise DataError(
            "Raporttia ei voi lähettää, koska siitä puuttuu: " + ", ".join(missing) + "."
        )


def _apply(report: SocialReport, data: ReportInput, now: dt.datetime) -> None:
    report.phenomenon_id = data.phenomenon_id
    report.emerging_name = data.emerging_name if data.phenomenon_id == OTHER_PHENOMENON else None
    report.service_task = data.service_task
    report.support_needs = sorted({need.value for need in data.support_needs})
    report.target_group = data.target_group
    report.region_code = data.region_code.upper() if data.region_code else None
    report.observation_kind = data.observation_kind
    report.description = data.description
    report.estimated_clients = data.estimated_clients
    report.proposed_action = data.proposed_action
    report.updated_at = now


def _filled(data: ReportInput) -> list[str]:
    """Names (not contents) of the fields that have a value, for the audit trail."""
    return sorted(name for name in FIELD_LABELS if getattr(data, name) not in (None, "", ()))


def _load(session: Session, report_id: int) -> SocialReport:
    report = session.get(SocialReport, report_id)
    if report is None:
        raise RecordNotFound("raportti", report_id)
    return report


def _load_own_editable(session: Session, principal: Principal, report_id: int) -> SocialReport:
    report = _load(session, report_id)
    policy.require(policy.owns(principal, report), "Voit muokata vain omia raporttejasi.")
    if not policy.can_edit_report(principal, report):
        raise DataError(
            f"Raporttia {report_id} ei voi enää muokata: sen tila on '{report.status.label()}'."
        )
    return report


def save_draft(
    session: Session,
    principal: Principal,
    data: ReportInput,
    *,
    vocab: Vocabulary,
    report_id: int | None = None,
) -> SocialReport:
    """Save a new draft, or update one's own draft or report sent back for changes."""
    policy.require(
        policy.can_file_report(principal),
        "Raportteja voivat tehdä vain työntekijät ja koordinaattorit omalla alueellaan.",
    )
    _check_input(data, principal, vocab)
    now = utcnow()
    if report_id is None:
        assert principal.user_id is not None and principal.county is not None
        report = SocialReport(
            reporter_id=principal.user_id,
            status=ReportStatus.DRAFT,
            county_code=principal.county,
            created_at=now,
        )
        session.add(report)
    else:
        report = _load_own_editable(session, principal, report_id)
    _apply(report, data, now)
    session.flush()
    audit.record(
        session,
        principal,
        "report.save_draft",
        "report",
        report.id,
        county=report.county_code,
        details={"status": report.status.value, "fields": _filled(data)},
    )
    return report


def _replay(session: Session, principal: Principal, key: str) -> SocialReport | None:
    found = session.scalars(
        select(ReportSubmission).where(
            ReportSubmission.reporter_id == principal.user_id,
            ReportSubmission.idempotency_key == key,
        )
    ).one_or_none()
    return None if found is None else _load(session, found.report_id)


def submit_report(
    session: Session,
    principal: Principal,
    data: ReportInput,
    *,
    vocab: Vocabulary,
    idempotency_key: str,
    report_id: int | None = None,
    now: dt.datetime | None = None,
) -> Submission:
    """Submit a new report, a draft or a corrected report for review, exactly once per key.

    A retry with the same idempotency key returns the report the first call stored, even when
    the two calls race: the key is unique per reporter in the database.
    """
    policy.require(
        policy.can_file_report(principal),
        "Raportteja voivat tehdä vain työntekijät ja koordinaattorit omalla alueellaan.",
    )
    if not _KEY.fullmatch(idempotency_key):
        raise DataError(
            "Toistotunniste ei kelpaa: odotettiin 8–100 merkkiä kirjaimia, numeroita tai ._:-"
        )
    existing = _replay(session, principal, idempotency_key)
    if existing is not None:
        return Submission(existing, replayed=True)
    _check_input(data, principal, vocab)
    _check_complete(data)
    moment = now or utcnow()
    try:
        with session.begin_nested():
            report = _submit_once(session, principal, data, idempotency_key, report_id, moment)
    except IntegrityError:
        # Another request with the same key won the race; its report is the answer.
        raced = _replay(session, principal, idempotency_key)
        if raced is None:
            raise
        return Submission(raced, replayed=True)
    return Submission(report, replayed=False)


def _submit_once(
    session: Session,
    principal: Principal,
    data: ReportInput,
    key: str,
    report_id: int | None,
    moment: dt.datetime,
) -> SocialReport:
    assert principal.user_id is not None and principal.county is not None
    resubmission = False
    if report_id is None:
        report = SocialReport(
            reporter_id=principal.user_id,
            status=ReportStatus.SUBMITTED,
            county_code=principal.county,
            created_at=moment,
        )
        session.add(report)
    else:
        report = _load_own_editable(session, principal, report_id)
        resubmission = report.status is ReportStatus.CHANGES_REQUESTED
        report.status = ReportStatus.SUBMITTED
    _apply(report, data, moment)
    if report.submitted_at is None:
        # A report counts in the half-year it was first submitted, however long review takes.
        report.submitted_at = moment
        report.submitted_half_year = half_year_of(moment)
    session.flush()
    session.add(
        ReportSubmission(
            reporter_id=principal.user_id,
            idempotency_key=key,
            report_id=report.id,
            submitted_at=moment,
        )
    )
    session.flush()
    audit.record(
        session,
        principal,
        "report.submit",
        "report",
        report.id,
        county=report.county_code,
        details={"resubmission": resubmission, "fields": _filled(data)},
    )
    return report


def get_report(session: Session, principal: Principal, report_id: int) -> SocialReport:
    """One report for its reporter or the county's reviewers; every view is audited."""
    report = _load(session, report_id)
    policy.require(
        policy.can_view_report(principal, report),
        "Raportin näkevät vain sen tekijä ja oman alueen koordinaattorit; yksittäinen raportti "
        "ei ole koskaan julkinen.",
    )
    audit.record(
        session,
        principal,
        "report.view",
        "report",
        report.id,
        county=report.county_code,
        details={"status": report.status.value},
    )
    return report


def list_own_reports(session: Session, principal: Principal) -> Sequence[SocialReport]:
    """The principal's own reports, newest first; the listing is audited."""
    policy.require(principal.user_id is not None, "Kirjaudu sisään nähdäksesi omat raporttisi.")
    reports = session.scalars(
        select(SocialReport)
        .where(SocialReport.reporter_id == principal.user_id)
        .order_by(SocialReport.id.desc())
    ).all()
    _audit_listing(session, principal, reports, county=principal.county, scope="own")
    return reports


def list_county_reports(
    session: Session,
    principal: Principal,
    county: str,
    *,
    statuses: Sequence[ReportStatus] | None = None,
) -> Sequence[SocialReport]:
    """A county's submitted reports (never others' drafts) for its reviewers; audited."""
    policy.require(
        policy.can_manage_county(principal, county),
        f"Alueen {county} raportteja voivat katsoa vain sen koordinaattorit.",
    )
    query = select(SocialReport).where(
        SocialReport.county_code == county, SocialReport.status != ReportStatus.DRAFT
    )
    if statuses:
        query = query.where(SocialReport.status.in_(list(statuses)))
    reports = session.scalars(query.order_by(SocialReport.id.desc())).all()
    _audit_listing(session, principal, reports, county=county, scope="county")
    return reports


def _audit_listing(
    session: Session,
    principal: Principal,
    reports: Sequence[SocialReport],
    *,
    county: str | None,
    scope: str,
) -> None:
    details: dict[str, Any] = {"scope": scope, "report_ids": [r.id for r in reports]}
    audit.record(session, principal, "report.list", "report", county=county, details=details)


def add_message(session: Session, principal: Principal, report_id: int, body: str) -> ReviewMessage:
    """A message on a submitted report between its reporter and the county's reviewers."""
    report = _load(session, report_id)
    policy.require(
        policy.can_message_report(principal, report),
        "Raportista voivat viestiä vain sen tekijä ja oman alueen koordinaattorit.",
    )
    text = body.strip()
    if not text:
        raise DataError("Viesti on tyhjä.")
    check_free_text({"viesti": text})
    assert principal.user_id is not None
    message = ReviewMessage(report_id=report.id, author_id=principal.user_id, body=text)
    session.add(message)
    session.flush()
    audit.record(
        session,
        principal,
        "report.message",
        "report",
        report.id,
        county=report.county_code,
        details={"message_id": message.id},
    )
    return message
