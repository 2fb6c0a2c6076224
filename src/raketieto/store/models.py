"""The store's tables as SQLAlchemy 2 typed models. The schema itself is made by migrations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from raketieto.store.enums import (
    NotificationKind,
    ObservationKind,
    ProposalStatus,
    RecipientKind,
    ReportStatus,
    ReviewDecisionKind,
    Role,
    ServiceTask,
)
from raketieto.store.types import EnumText, UTCDateTime, utcnow

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
AuditId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    """Declarative base with constraint names that migrations can refer to."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: UTCDateTime(), dict[str, Any]: JSON()}  # noqa: RUF012


class User(Base):
    """A local or OpenID Connect account with one role and a home county."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    oidc_subject: Mapped[str | None] = mapped_column(String(255), unique=True)
    role: Mapped[Role] = mapped_column(EnumText(Role))
    county_code: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None]
    last_login_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SocialReport(Base):
    """An observation from client work, filed by a worker and reviewed by the county."""

    __tablename__ = "social_reports"
    __table_args__ = (Index(None, "county_code", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[ReportStatus] = mapped_column(EnumText(ReportStatus))
    county_code: Mapped[str] = mapped_column(String(8))
    region_code: Mapped[str | None] = mapped_column(String(8))
    phenomenon_id: Mapped[str | None] = mapped_column(String(64))
    emerging_name: Mapped[str | None] = mapped_column(String(200))
    service_task: Mapped[ServiceTask | None] = mapped_column(EnumText(ServiceTask))
    support_needs: Mapped[list[str]] = mapped_column(JSON, default=list)
    target_group: Mapped[str | None] = mapped_column(String(200))
    observation_kind: Mapped[ObservationKind | None] = mapped_column(EnumText(ObservationKind))
    description: Mapped[str | None] = mapped_column(Text)
    estimated_clients: Mapped[int | None] = mapped_column(Integer)
    proposed_action: Mapped[str | None] = mapped_column(Text)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("social_reports.id"))
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id"), index=True)
    submitted_half_year: Mapped[str | None] = mapped_column(String(7))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[dt.datetime | None]
    decided_at: Mapped[dt.datetime | None]

    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])
    messages: Mapped[list[ReviewMessage]] = relationship(
        back_populates="report", order_by="ReviewMessage.id"
    )
    decisions: Mapped[list[ReviewDecision]] = relationship(
        back_populates="report",
        order_by="ReviewDecision.id",
        foreign_keys="ReviewDecision.report_id",
    )


class ReportSubmission(Base):
    """One submission of a report under the client's idempotency key (unique per reporter)."""

    __tablename__ = "report_submissions"
    __table_args__ = (UniqueConstraint("reporter_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    idempotency_key: Mapped[str] = mapped_column(String(100))
    report_id: Mapped[int] = mapped_column(ForeignKey("social_reports.id"), index=True)
    submitted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ReviewDecision(Base):
    """One coordinator decision on a report, kept for the record."""

    __tablename__ = "review_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("social_reports.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[ReviewDecisionKind] = mapped_column(EnumText(ReviewDecisionKind))
    from_status: Mapped[ReportStatus] = mapped_column(EnumText(ReportStatus))
    to_status: Mapped[ReportStatus] = mapped_column(EnumText(ReportStatus))
    message: Mapped[str | None] = mapped_column(Text)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("social_reports.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    report: Mapped[SocialReport] = relationship(
        back_populates="decisions", foreign_keys=[report_id]
    )


class ReviewMessage(Base):
    """A message between the reviewer and the reporter about one report."""

    __tablename__ = "review_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("social_reports.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    report: Mapped[SocialReport] = relationship(back_populates="messages")


class Theme(Base):
    """A coordinator's summary of accepted reports for one half-year; public once approved."""

    __tablename__ = "themes"
    __table_args__ = (Index(None, "county_code", "half_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    county_code: Mapped[str] = mapped_column(String(8))
    phenomenon_id: Mapped[str | None] = mapped_column(String(64))
    half_year: Mapped[str] = mapped_column(String(7))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    approved: Mapped[bool] = mapped_column(Boolean, default=False)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[dt.datetime | None]
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


proposal_reports = Table(
    "proposal_reports",
    Base.metadata,
    Column("proposal_id", ForeignKey("action_proposals.id"), primary_key=True),
    Column("report_id", ForeignKey("social_reports.id"), primary_key=True),
)


class ProposalIndicator(Base):
    """An indicator cited as evidence for an action proposal."""

    __tablename__ = "proposal_indicators"

    proposal_id: Mapped[int] = mapped_column(ForeignKey("action_proposals.id"), primary_key=True)
    indicator_id: Mapped[str] = mapped_column(String(100), primary_key=True)


class ActionProposal(Base):
    """A proposal to a decision-maker, backed by accepted reports and indicators."""

    __tablename__ = "action_proposals"
    __table_args__ = (Index(None, "county_code", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    county_code: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    recipient_kind: Mapped[RecipientKind] = mapped_column(EnumText(RecipientKind))
    recipient_name: Mapped[str | None] = mapped_column(String(200))
    phenomenon_id: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[ProposalStatus] = mapped_column(EnumText(ProposalStatus))
    answer_text: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None]
    answered_at: Mapped[dt.datetime | None]
    closed_at: Mapped[dt.datetime | None]

    reports: Mapped[list[SocialReport]] = relationship(
        secondary=proposal_reports, order_by="SocialReport.id"
    )
    indicators: Mapped[list[ProposalIndicator]] = relationship(
        cascade="all, delete-orphan", order_by="ProposalIndicator.indicator_id"
    )


class Notification(Base):
    """A message to a reporter about what became of their report."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[NotificationKind] = mapped_column(EnumText(NotificationKind))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("social_reports.id"))
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("action_proposals.id"))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    read_at: Mapped[dt.datetime | None]


class AuditEntry(Base):
    """One append-only record: who did what to which object, when. Never updated or deleted."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index(None, "county_code", "at"), Index(None, "object_type", "object_id"))

    id: Mapped[int] = mapped_column(AuditId, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_role: Mapped[Role] = mapped_column(EnumText(Role))
    actor_county: Mapped[str | None] = mapped_column(String(8))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(64))
    county_code: Mapped[str | None] = mapped_column(String(8))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
