"""Themes: coordinators summarise accepted reports per half-year; approved summaries go public."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from raketieto.errors import DataError
from raketieto.store import audit, policy
from raketieto.store.enums import ReportStatus
from raketieto.store.errors import RecordNotFound
from raketieto.store.freetext import check_free_text
from raketieto.store.models import SocialReport, Theme
from raketieto.store.periods import parse_half_year
from raketieto.store.principal import Principal
from raketieto.store.types import utcnow
from raketieto.store.vocabulary import Vocabulary

_DENIED = "Teemoja hallitsevat vain oman alueen koordinaattorit ja valtakunnalliset ylläpitäjät."


def _check_texts(title: str, summary: str) -> tuple[str, str]:
    title, summary = title.strip(), summary.strip()
    if not title or len(title) > 200:
        raise DataError("Teeman otsikko ei kelpaa: odotettiin 1–200 merkkiä.")
    if not summary:
        raise DataError("Teeman yhteenveto on tyhjä.")
    check_free_text({"otsikko": title, "yhteenveto": summary})
    return title, summary


def _load(session: Session, principal: Principal, theme_id: int) -> Theme:
    theme = session.get(Theme, theme_id)
    if theme is None:
        raise RecordNotFound("teema", theme_id)
    policy.require(policy.can_manage_county(principal, theme.county_code), _DENIED)
    return theme


def create_theme(
    session: Session,
    principal: Principal,
    *,
    county: str,
    half_year: str,
    title: str,
    summary: str,
    phenomenon_id: str | None = None,
    vocab: Vocabulary,
) -> Theme:
    """A new, unapproved theme of a county for a half-year ('2025H1')."""
    county = vocab.check_county(county)
    policy.require(policy.can_manage_county(principal, county), _DENIED)
    period = parse_half_year(half_year)
    title, summary = _check_texts(title, summary)
    if phenomenon_id is not None:
        vocab.check_phenomenon(phenomenon_id)
    assert principal.user_id is not None
    theme = Theme(
        county_code=county,
        half_year=period,
        title=title,
        summary=summary,
        phenomenon_id=phenomenon_id,
        approved=False,
        created_by=principal.user_id,
    )
    session.add(theme)
    session.flush()
    audit.record(
        session,
        principal,
        "theme.create",
        "theme",
        theme.id,
        county=county,
        details={"half_year": period},
    )
    return theme


def update_theme(
    session: Session, principal: Principal, theme_id: int, *, title: str, summary: str
) -> Theme:
    """Rewrite a theme's title and summary; an approved theme must then be approved again."""
    theme = _load(session, principal, theme_id)
    theme.title, theme.summary = _check_texts(title, summary)
    was_approved = theme.approved
    theme.approved, theme.approved_by, theme.approved_at = False, None, None
    theme.updated_at = utcnow()
    audit.record(
        session,
        principal,
        "theme.update",
        "theme",
        theme.id,
        county=theme.county_code,
        details={"approval_withdrawn": was_approved},
    )
    return theme


def assign_reports(
    session: Session, principal: Principal, theme_id: int, report_ids: Iterable[int]
) -> Theme:
    """Put accepted reports of the theme's county into the theme (moving them from another)."""
    theme = _load(session, principal, theme_id)
    ids = sorted(set(report_ids))
    reports = session.scalars(select(SocialReport).where(SocialReport.id.in_(ids))).all()
    by_id = {r.id: r for r in reports}
    for report_id in ids:
        report = by_id.get(report_id)
        if report is None or report.county_code != theme.county_code:
            raise RecordNotFound("alueen raportti", report_id)
        if report.status is not ReportStatus.ACCEPTED:
            raise DataError(
                f"Raportti {report_id} ei ole hyväksytty (tila '{report.status.label()}'); "
                "teemaan liitetään vain hyväksyttyjä raportteja."
            )
        report.theme_id = theme.id
    audit.record(
        session,
        principal,
        "theme.assign_reports",
        "theme",
        theme.id,
        county=theme.county_code,
        details={"report_ids": ids},
    )
    return theme


def remove_reports(
    session: Session, principal: Principal, theme_id: int, report_ids: Iterable[int]
) -> Theme:
    """Take reports out of a theme."""
    theme = _load(session, principal, theme_id)
    ids = sorted(set(report_ids))
    for report in session.scalars(
        select(SocialReport).where(SocialReport.id.in_(ids), SocialReport.theme_id == theme.id)
    ):
        report.theme_id = None
    audit.record(
        session,
        principal,
        "theme.remove_reports",
        "theme",
        theme.id,
        county=theme.county_code,
        details={"report_ids": ids},
    )
    return theme


def approve_theme(session: Session, principal: Principal, theme_id: int) -> Theme:
    """Approve a theme's summary for publication (with its county-level report counts)."""
    theme = _load(session, principal, theme_id)
    theme.approved = True
    theme.approved_by = principal.user_id
    theme.approved_at = utcnow()
    audit.record(session, principal, "theme.approve", "theme", theme.id, county=theme.county_code)
    return theme


def withdraw_approval(session: Session, principal: Principal, theme_id: int) -> Theme:
    """Take a theme's summary off the public views."""
    theme = _load(session, principal, theme_id)
    theme.approved, theme.approved_by, theme.approved_at = False, None, None
    audit.record(session, principal, "theme.withdraw", "theme", theme.id, county=theme.county_code)
    return theme


def list_themes(
    session: Session, principal: Principal, county: str, *, half_year: str | None = None
) -> Sequence[Theme]:
    """A county's themes, approved or not, for its coordinators."""
    policy.require(policy.can_manage_county(principal, county), _DENIED)
    query = select(Theme).where(Theme.county_code == county)
    if half_year is not None:
        query = query.where(Theme.half_year == parse_half_year(half_year))
    return session.scalars(query.order_by(Theme.half_year.desc(), Theme.id)).all()
