"""Authorisation: one rule per action, checked on the server by every service.

Coordinators act only in their own county, national administrators everywhere, workers on
their own reports, and the public only reads published aggregates.
"""

from __future__ import annotations

from raketieto.store.enums import ReportStatus, Role
from raketieto.store.errors import PermissionDenied
from raketieto.store.models import SocialReport
from raketieto.store.principal import Principal

EDITABLE = (ReportStatus.DRAFT, ReportStatus.CHANGES_REQUESTED)


def require(allowed: bool, message: str) -> None:
    """Raise PermissionDenied with message unless allowed."""
    if not allowed:
        raise PermissionDenied(message)


def acts_for_county(principal: Principal, county: str | None) -> bool:
    """True for a national admin, or a coordinator whose home county is county."""
    if principal.role is Role.NATIONAL_ADMIN:
        return True
    return principal.role is Role.COORDINATOR and county is not None and principal.county == county


def can_file_report(principal: Principal) -> bool:
    """Workers and coordinators file reports in their own county."""
    return principal.role in (Role.WORKER, Role.COORDINATOR) and principal.county is not None


def owns(principal: Principal, report: SocialReport) -> bool:
    """True if principal filed report."""
    return principal.user_id is not None and principal.user_id == report.reporter_id


def can_edit_report(principal: Principal, report: SocialReport) -> bool:
    """The reporter edits a draft or a report sent back for changes."""
    return owns(principal, report) and report.status in EDITABLE


def can_view_report(principal: Principal, report: SocialReport) -> bool:
    """The reporter sees their own; the county's reviewers see everything but drafts."""
    if owns(principal, report):
        return True
    return report.status is not ReportStatus.DRAFT and acts_for_county(
        principal, report.county_code
    )


def can_review_report(principal: Principal, report: SocialReport) -> bool:
    """The county's coordinators and national admins decide, but never on their own report."""
    return acts_for_county(principal, report.county_code) and not owns(principal, report)


def can_message_report(principal: Principal, report: SocialReport) -> bool:
    """The reporter and the county's reviewers discuss a report once it has been submitted."""
    if report.status is ReportStatus.DRAFT:
        return False
    return owns(principal, report) or acts_for_county(principal, report.county_code)


def can_manage_county(principal: Principal, county: str) -> bool:
    """Themes, proposals and county report lists: the county's coordinators, national admins."""
    return acts_for_county(principal, county)


def can_read_audit(principal: Principal, county: str | None) -> bool:
    """National admins read the whole trail; coordinators only their own county's entries."""
    if principal.role is Role.NATIONAL_ADMIN:
        return True
    return county is not None and acts_for_county(principal, county)


def can_create_user(principal: Principal, role: Role, county: str | None) -> bool:
    """National admins create any account; coordinators create workers in their own county."""
    if principal.role is Role.NATIONAL_ADMIN:
        return True
    return role is Role.WORKER and acts_for_county(principal, county)
