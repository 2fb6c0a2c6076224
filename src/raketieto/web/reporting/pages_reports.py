"""A worker's pages: the report form with drafts, my reports, one report, messages, notices."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from fastapi.responses import Response

from raketieto.errors import DataError, RaketietoError
from raketieto.regions import Level
from raketieto.store import notifications, policy, reports
from raketieto.store.enums import (
    OTHER_PHENOMENON,
    ObservationKind,
    ReportStatus,
    ServiceTask,
    SupportNeed,
)
from raketieto.store.errors import IdentifierRefused, PermissionDenied
from raketieto.store.models import SocialReport
from raketieto.web.reporting.forms import form_values, record_id, report_fields, text
from raketieto.web.reporting.pagekit import Ctx, named_counties
from raketieto.web.reporting.validation import (
    REQUIRED_ON_SUBMIT,
    REQUIRED_TEXT,
    FieldErrors,
    report_errors,
)

EMPTY_FORM: dict[str, object] = {
    "phenomenon_id": "",
    "emerging_name": "",
    "service_task": "",
    "support_needs": [],
    "target_group": "",
    "region_code": "",
    "observation_kind": "",
    "description": "",
    "estimated_clients": "",
    "proposed_action": "",
}
FILE_DENIED = "Raportteja voivat tehdä vain työntekijät ja koordinaattorit omalla alueellaan."


def phenomenon_choices(ctx: Ctx, *, with_other: bool = True) -> list[tuple[str, str]]:
    """(id, label) of the catalogue's phenomena, and 'other / emerging' where allowed."""
    choices = [(p.id, p.label.get(ctx.lang)) for p in ctx.state.catalogue.phenomena.values()]
    choices.sort(key=lambda c: c[1])
    if with_other:
        choices.append((OTHER_PHENOMENON, ctx._("muu tai uusi ilmiö")))
    return choices


def region_choices(ctx: Ctx, county: str | None) -> list[tuple[str, str]]:
    """The county itself and its municipalities, for the area field."""
    if county is None:
        return []
    division = ctx.state.division
    region = division.get(county)
    towns = sorted(
        (r for r in division.children(county) if r.level is Level.MUNICIPALITY),
        key=lambda r: r.name(ctx.lang),
    )
    return [(region.code, region.name(ctx.lang))] + [(r.code, r.name(ctx.lang)) for r in towns]


def phenomenon_label(ctx: Ctx, report: SocialReport) -> str:
    """The report's phenomenon in the page language ('other' shows the emerging name)."""
    if report.phenomenon_id is None:
        return "–"
    if report.phenomenon_id == OTHER_PHENOMENON:
        return f"{ctx._('muu tai uusi ilmiö')}: {report.emerging_name or ''}"
    found = ctx.state.catalogue.phenomena.get(report.phenomenon_id)
    return found.label.get(ctx.lang) if found is not None else report.phenomenon_id


def region_label(ctx: Ctx, code: str | None) -> str:
    """An area's name in the page language."""
    if not code:
        return "–"
    try:
        return ctx.state.division.get(code).name(ctx.lang)
    except RaketietoError:
        return code


def _values_of(report: SocialReport) -> dict[str, object]:
    return {
        "phenomenon_id": report.phenomenon_id or "",
        "emerging_name": report.emerging_name or "",
        "service_task": report.service_task.value if report.service_task else "",
        "support_needs": list(report.support_needs),
        "target_group": report.target_group or "",
        "region_code": report.region_code or "",
        "observation_kind": report.observation_kind.value if report.observation_kind else "",
        "description": report.description or "",
        "estimated_clients": "" if report.estimated_clients is None else report.estimated_clients,
        "proposed_action": report.proposed_action or "",
    }


def _form_page(
    ctx: Ctx,
    *,
    values: Mapping[str, object],
    report: SocialReport | None,
    error: str | None = None,
    errors: FieldErrors | None = None,
    status_code: int = 200,
) -> Response:
    key = values.get("idempotency_key") or secrets.token_urlsafe(18)
    context: dict[str, Any] = {
        "values": {**EMPTY_FORM, **values, "idempotency_key": key},
        "report": report,
        "error": error,
        "errors": errors.messages if errors else {},
        "error_items": errors.summary() if errors else [],
        "required": {*REQUIRED_ON_SUBMIT, *REQUIRED_TEXT},
        "phenomena": phenomenon_choices(ctx),
        "service_tasks": [(t.value, t.label(ctx.lang)) for t in ServiceTask],
        "support_needs": [(n.value, n.label(ctx.lang)) for n in SupportNeed],
        "observation_kinds": [(k.value, k.label(ctx.lang)) for k in ObservationKind],
        "regions": region_choices(ctx, ctx.principal.county),
        "action": ctx.href(f"/raportit/{report.id}/muokkaa" if report else "/raportit/uusi"),
    }
    return ctx.render("reporting/report_form.html", context, status_code=status_code)


def new_report_form(ctx: Ctx) -> Response:
    """An empty report form."""
    policy.require(policy.can_file_report(ctx.principal), FILE_DENIED)
    return _form_page(ctx, values={}, report=None)


def _save(ctx: Ctx, report_id: int | None) -> Response:
    policy.require(policy.can_file_report(ctx.principal), FILE_DENIED)
    existing = None
    if report_id is not None:
        existing = ctx.db.get(SocialReport, report_id)
        if existing is None or not policy.owns(ctx.principal, existing):
            raise PermissionDenied("Voit muokata vain omia raporttejasi.")
    action = text(ctx.form, "action") or "draft"
    if action not in ("draft", "submit"):
        raise DataError(f"Toiminto '{action[:40]}' ei kelpaa; kelvolliset: draft, submit.")
    values = form_values(ctx.form)
    phenomena = set(ctx.state.catalogue.phenomena)
    errors = report_errors(values, action == "submit", phenomena, ctx._)
    try:
        with ctx.db.begin_nested():
            raw = report_fields(ctx.form)  # identifiers first, so that they are found too
            if errors:
                return _form_page(
                    ctx, values=values, report=existing, errors=errors, status_code=422
                )
            data = reports.parse_report_input(raw)
            if action == "draft":
                saved = reports.save_draft(
                    ctx.db, ctx.principal, data, vocab=ctx.services.vocab, report_id=report_id
                )
            else:
                key = text(ctx.form, "idempotency_key") or ""
                saved = reports.submit_report(
                    ctx.db,
                    ctx.principal,
                    data,
                    vocab=ctx.services.vocab,
                    idempotency_key=key,
                    report_id=report_id,
                ).report
    except IdentifierRefused as refused:
        errors.refused(refused)
        return _form_page(ctx, values=values, report=existing, errors=errors, status_code=422)
    except PermissionDenied:
        raise
    except RaketietoError as error:
        # A problem the field checks did not foresee: said once, above the form.
        return _form_page(
            ctx,
            values=values,
            report=existing,
            error=None if errors else error.full_message(),
            errors=errors,
            status_code=422,
        )
    notice = "luonnos" if saved.status is ReportStatus.DRAFT else "lahetetty"
    return ctx.redirect(f"/raportit/{saved.id}", ilmoitus=notice)


def new_report_submit(ctx: Ctx) -> Response:
    """Save a draft or submit a new report."""
    return _save(ctx, None)


def edit_report_form(ctx: Ctx) -> Response:
    """The form for one's own draft or a report sent back for changes."""
    report_id = record_id(ctx.request.path_params.get("report_id"), "raportti")
    report = reports.get_report(ctx.db, ctx.principal, report_id)
    policy.require(policy.owns(ctx.principal, report), "Voit muokata vain omia raporttejasi.")
    if not policy.can_edit_report(ctx.principal, report):
        raise DataError(
            f"Raporttia {report_id} ei voi enää muokata: sen tila on "
            f"'{report.status.label(ctx.lang)}'."
        )
    return _form_page(ctx, values=_values_of(report), report=report)


def edit_report_submit(ctx: Ctx) -> Response:
    """Save or submit one's own draft or corrected report."""
    return _save(ctx, record_id(ctx.request.path_params.get("report_id"), "raportti"))


def my_reports(ctx: Ctx) -> Response:
    """The principal's own reports and unread notices."""
    own = reports.list_own_reports(ctx.db, ctx.principal)
    unread = notifications.list_notifications(ctx.db, ctx.principal, unread_only=True)
    return ctx.render(
        "reporting/my_reports.html",
        {
            "reports": own,
            "unread": unread,
            "phenomenon_label": lambda r: phenomenon_label(ctx, r),
            "can_file": policy.can_file_report(ctx.principal),
        },
    )


def report_detail(ctx: Ctx) -> Response:
    """One report for its reporter or the county's reviewers (the view is audited)."""
    return report_detail_page(ctx, record_id(ctx.request.path_params.get("report_id"), "raportti"))


def report_detail_page(
    ctx: Ctx,
    report_id: int,
    *,
    errors: FieldErrors | None = None,
    typed: Mapping[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """The report page, with a decision or message form's errors and typed text when given."""
    report = reports.get_report(ctx.db, ctx.principal, report_id)
    can_review = policy.can_review_report(ctx.principal, report)
    merge_targets: list[SocialReport] = []
    if can_review and report.status is ReportStatus.SUBMITTED:
        merge_targets = [
            r
            for r in reports.list_county_reports(
                ctx.db,
                ctx.principal,
                report.county_code,
                statuses=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED],
            )
            if r.id != report.id
        ]
    return ctx.render(
        "reporting/report_detail.html",
        {
            "report": report,
            "notice": ctx.request.query_params.get("ilmoitus"),
            "phenomenon": phenomenon_label(ctx, report),
            "region": region_label(ctx, report.region_code),
            "support_needs": [SupportNeed(n).label(ctx.lang) for n in report.support_needs],
            "can_edit": policy.can_edit_report(ctx.principal, report),
            "can_review": can_review,
            "can_message": policy.can_message_report(ctx.principal, report),
            "merge_targets": merge_targets,
            "errors": errors.messages if errors else {},
            "error_items": errors.summary() if errors else [],
            "typed": typed or {},
        },
        status_code=status_code,
    )


def post_message(ctx: Ctx) -> Response:
    """A message on a report between its reporter and the county's reviewers."""
    report_id = record_id(ctx.request.path_params.get("report_id"), "raportti")
    found = ctx.db.get(SocialReport, report_id)
    if found is not None and any(
        c.upper() != found.county_code for c in named_counties(ctx.request, ctx.form)
    ):
        raise PermissionDenied("Pyynnön hyvinvointialue ei ole viestittävän raportin alue.")
    reports.add_message(ctx.db, ctx.principal, report_id, text(ctx.form, "body") or "")
    return ctx.redirect(f"/raportit/{report_id}")


def notification_list(ctx: Ctx) -> Response:
    """The principal's notices, newest first; showing them marks them read."""
    notes = notifications.list_notifications(ctx.db, ctx.principal)
    page = ctx.render("reporting/notifications.html", {"notifications": notes})
    for note in notes:
        if note.read_at is None:
            notifications.mark_read(ctx.db, ctx.principal, note.id)
    return page
