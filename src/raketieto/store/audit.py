"""The audit trail: append-only records of every write, decision and view of unpublished data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from raketieto.privacy.identifiers import find_identifiers
from raketieto.store import policy
from raketieto.store.models import AuditEntry
from raketieto.store.principal import Principal
from raketieto.store.types import utcnow

AUDIT_COLUMNS = (
    "id",
    "at",
    "actor_id",
    "actor_role",
    "actor_county",
    "action",
    "object_type",
    "object_id",
    "county_code",
    "details",
)


def record(
    session: Session,
    principal: Principal,
    action: str,
    object_type: str,
    object_id: int | str | None = None,
    *,
    county: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction, so it commits or rolls back with the act."""
    payload = dict(details or {})
    # Details hold ids, statuses and field names, never free text; guard against slips.
    if find_identifiers(json.dumps(payload, ensure_ascii=False, default=str)):
        raise ValueError(f"audit details of {action} look like they hold an identifier")
    entry = AuditEntry(
        at=utcnow(),
        actor_id=principal.user_id,
        actor_role=principal.role,
        actor_county=principal.county,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        county_code=county,
        details=payload,
    )
    session.add(entry)
    return entry


def audit_entries(
    session: Session,
    principal: Principal,
    *,
    county: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> Sequence[AuditEntry]:
    """Entries in time order: all for national admins, one county's for its coordinators."""
    policy.require(
        policy.can_read_audit(principal, county),
        "Lokitapahtumia saa lukea vain valtakunnallinen ylläpitäjä tai oman alueensa "
        "koordinaattori.",
    )
    query = select(AuditEntry).order_by(AuditEntry.id)
    if county is not None:
        query = query.where(AuditEntry.county_code == county)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if until is not None:
        query = query.where(AuditEntry.at < until)
    return session.scalars(query).all()


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # Spreadsheets run cells starting with these as formulas; a leading quote keeps them text.
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def export_audit_csv(
    session: Session,
    principal: Principal,
    *,
    county: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> str:
    """The audit trail as CSV (UTF-8 text, one row per entry); the export is itself audited."""
    entries = audit_entries(session, principal, county=county, since=since, until=until)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(AUDIT_COLUMNS)
    for entry in entries:
        writer.writerow(
            [
                entry.id,
                entry.at.isoformat(),
                _cell(entry.actor_id),
                entry.actor_role.value,
                _cell(entry.actor_county),
                _cell(entry.action),
                _cell(entry.object_type),
                _cell(entry.object_id),
                _cell(entry.county_code),
                _cell(json.dumps(entry.details, ensure_ascii=False, sort_keys=True)),
            ]
        )
    record(
        session,
        principal,
        "audit.export",
        "audit",
        county=county,
        details={"rows": len(entries)},
    )
    return out.getvalue()
