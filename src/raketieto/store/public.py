"""What the public may see: county-level report counts per theme and half-year, and approved
summaries. A single report is never public, and nothing here needs a principal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from raketieto.store.enums import ReportStatus
from raketieto.store.models import SocialReport, Theme


@dataclass(frozen=True)
class ThemeCount:
    """How many accepted reports of a county an approved theme received in a half-year."""

    county_code: str
    theme_id: int
    theme_title: str
    phenomenon_id: str | None
    half_year: str
    reports: int


@dataclass(frozen=True)
class PublishedSummary:
    """An approved theme summary."""

    theme_id: int
    county_code: str
    phenomenon_id: str | None
    half_year: str
    title: str
    summary: str
    approved_at: dt.datetime | None


def theme_counts(
    session: Session, *, county: str | None = None, phenomenon_id: str | None = None
) -> list[ThemeCount]:
    """Counts of accepted reports per approved theme and half-year of submission."""
    query = (
        select(
            Theme.county_code,
            Theme.id,
            Theme.title,
            Theme.phenomenon_id,
            SocialReport.submitted_half_year,
            func.count(SocialReport.id),
        )
        .join(SocialReport, SocialReport.theme_id == Theme.id)
        .where(Theme.approved.is_(True), SocialReport.status == ReportStatus.ACCEPTED)
        .group_by(
            Theme.county_code,
            Theme.id,
            Theme.title,
            Theme.phenomenon_id,
            SocialReport.submitted_half_year,
        )
        .order_by(Theme.county_code, SocialReport.submitted_half_year, Theme.id)
    )
    if county is not None:
        query = query.where(Theme.county_code == county)
    if phenomenon_id is not None:
        query = query.where(Theme.phenomenon_id == phenomenon_id)
    return [
        ThemeCount(
            county_code=c, theme_id=i, theme_title=t, phenomenon_id=p, half_year=h or "", reports=n
        )
        for c, i, t, p, h, n in session.execute(query)
    ]


def published_summaries(
    session: Session, *, county: str | None = None, phenomenon_id: str | None = None
) -> Sequence[PublishedSummary]:
    """Approved theme summaries, newest half-year first."""
    query = select(Theme).where(Theme.approved.is_(True))
    if county is not None:
        query = query.where(Theme.county_code == county)
    if phenomenon_id is not None:
        query = query.where(Theme.phenomenon_id == phenomenon_id)
    themes = session.scalars(query.order_by(Theme.half_year.desc(), Theme.id)).all()
    return [
        PublishedSummary(
            theme_id=t.id,
            county_code=t.county_code,
            phenomenon_id=t.phenomenon_id,
            half_year=t.half_year,
            title=t.title,
            summary=t.summary,
            approved_at=t.approved_at,
        )
        for t in themes
    ]
