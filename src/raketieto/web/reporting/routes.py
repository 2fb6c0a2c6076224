"""The reporting pages' routes (Finnish paths); every one checks the user on the server."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from raketieto.store import audit
from raketieto.web.reporting import (
    oidc,
    pages_auth,
    pages_proposals,
    pages_reports,
    pages_review,
)
from raketieto.web.reporting.pagekit import Ctx, Guard, Page, endpoint
from raketieto.web.state import AppState

#: (method, path, page, needs login) for every reporting route; tests walk this table.
ROUTES: tuple[tuple[str, str, Page, bool], ...] = (
    ("GET", "/kirjaudu", pages_auth.login_form, False),
    ("POST", "/kirjaudu", pages_auth.login_submit, False),
    ("POST", "/kirjaudu/ulos", pages_auth.logout, False),
    ("GET", "/raportit", pages_reports.my_reports, True),
    ("GET", "/raportit/uusi", pages_reports.new_report_form, True),
    ("POST", "/raportit/uusi", pages_reports.new_report_submit, True),
    ("GET", "/raportit/{report_id}", pages_reports.report_detail, True),
    ("GET", "/raportit/{report_id}/muokkaa", pages_reports.edit_report_form, True),
    ("POST", "/raportit/{report_id}/muokkaa", pages_reports.edit_report_submit, True),
    ("POST", "/raportit/{report_id}/viesti", pages_reports.post_message, True),
    ("POST", "/raportit/{report_id}/paatos", pages_review.decide, True),
    ("GET", "/ilmoitukset", pages_reports.notification_list, True),
    ("GET", "/kasittely", pages_review.review_queue, True),
    ("GET", "/teemat", pages_review.theme_list, True),
    ("POST", "/teemat", pages_review.theme_create, True),
    ("POST", "/teemat/{theme_id}", pages_review.theme_action, True),
    ("GET", "/ehdotukset", pages_proposals.proposal_list, True),
    ("GET", "/ehdotukset/uusi", pages_proposals.new_proposal_form, True),
    ("POST", "/ehdotukset/uusi", pages_proposals.new_proposal_submit, True),
    ("GET", "/ehdotukset/vienti.xlsx", pages_proposals.proposal_export, True),
    ("GET", "/ehdotukset/{proposal_id}", pages_proposals.proposal_detail, True),
    ("POST", "/ehdotukset/{proposal_id}/tila", pages_proposals.proposal_status, True),
)


def audit_export(ctx: Ctx) -> Response:
    """The audit trail as CSV: a county's for its coordinators, any or all for national admins."""
    county = ctx.request.query_params.get("alue") or ctx.principal.county
    if county:
        county = ctx.services.vocab.check_county(county)
    body = audit.export_audit_csv(ctx.db, ctx.principal, county=county)
    name = f"lokitapahtumat-{county or 'kaikki'}.csv"
    return Response(
        body.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


ALL_ROUTES: tuple[tuple[str, str, Page, bool], ...] = (
    *ROUTES,
    ("GET", "/loki.csv", audit_export, True),
    ("GET", "/kirjaudu/oidc", oidc.oidc_start, False),
    ("GET", oidc.CALLBACK_PATH, oidc.oidc_callback, False),
)


#: Checks run in the event loop before a page (and before its database work).
GUARDS: dict[Page, Guard] = {pages_auth.login_submit: pages_auth.login_guard}


def build_router(state: AppState) -> APIRouter:
    """The reporting pages for one app; the store is opened on the first request."""
    router = APIRouter()
    for method, path, page, login in ALL_ROUTES:
        router.add_api_route(
            path,
            endpoint(state, page, login=login, guard=GUARDS.get(page)),
            methods=[method],
            include_in_schema=False,
            name=f"reporting.{page.__name__}",
        )
    return router
