"""Notifications that tell reporters what became of their observations."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from raketieto.store import policy
from raketieto.store.enums import NotificationKind
from raketieto.store.errors import RecordNotFound
from raketieto.store.models import Notification
from raketieto.store.principal import Principal
from raketieto.store.types import utcnow


def notify(
    session: Session,
    user_id: int,
    kind: NotificationKind,
    message: str,
    *,
    report_id: int | None = None,
    proposal_id: int | None = None,
) -> Notification:
    """Queue a notification for a user (internal: called by the review and proposal services)."""
    notification = Notification(
        user_id=user_id,
        kind=kind,
        message=message,
        report_id=report_id,
        proposal_id=proposal_id,
    )
    session.add(notification)
    return notification


def list_notifications(
    session: Session, principal: Principal, *, unread_only: bool = False
) -> Sequence[Notification]:
    """The principal's own notifications, newest first."""
    policy.require(principal.user_id is not None, "Kirjaudu sisään nähdäksesi ilmoituksesi.")
    query = select(Notification).where(Notification.user_id == principal.user_id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return session.scalars(query.order_by(Notification.id.desc())).all()


def mark_read(session: Session, principal: Principal, notification_id: int) -> Notification:
    """Mark one of one's own notifications read."""
    notification = session.get(Notification, notification_id)
    if notification is None or notification.user_id != principal.user_id:
        raise RecordNotFound("ilmoitus", notification_id)
    if notification.read_at is None:
        notification.read_at = utcnow()
    return notification
