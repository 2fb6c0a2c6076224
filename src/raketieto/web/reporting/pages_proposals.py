"""Action proposals: list, draft from accepted reports and indicators, status, Excel export."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi.responses import Response

from raketieto.errors import DataError, RaketietoError
from raketieto.store import policy, proposals, reports
from raketieto.store.enums import ProposalStatus, RecipientKind, ReportStatus
from raketieto.store.errors import PermissionDenied
from raketieto.store.export import export_proposals_xlsx
from raketieto.store.models import ActionProposal
from raketieto.web.reporting.forms import choice, record_id, record_ids, text, texts
from raketieto.web.reporting.pagekit import Ctx
from raketieto.web.reporting.pages_reports import phenomenon_choices, phenomenon_label
from raketieto.web.reporting.pages_review import (
    county_of,
    county_of_request,
    pick_county_page,
    require_named_county,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DENIED = (
    "Toimenpide-ehdotuksia käsittelevät vain oman alueen koordinaattorit ja valtakunnalliset "
    "ylläpitäjät."
)


def indicator_choices(ctx: Ctx) -> list[tuple[str, str]]:
    """(id, label) of every catalogue indicator, by label."""
    found = [(i.id, i.label.get(ctx.lang)) for i in ctx.state.catalogue.indicators.values()]
    return sorted(found, key=lambda c: c[1])


def proposal_list(ctx: Ctx) -> Response:
    """The county's proposals, newest first, with the export link."""
    picker = pick_county_page(ctx)
    if picker is not None:
        return picker
    county = county_of_request(ctx)
    listed = proposals.list_proposals(ctx.db, ctx.principal, county)
    return ctx.render(
        "reporting/proposals.html",
        {
            "county": county,
            "county_name": ctx.state.division.get(county).name(ctx.lang),
            "proposals": listed,
        },
    )


def _form(
    ctx: Ctx,
    county: str,
    values: Mapping[str, Any],
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    accepted = reports.list_county_reports(
        ctx.db, ctx.principal, county, statuses=[ReportStatus.ACCEPTED]
    )
    return ctx.render(
        "reporting/proposal_form.html",
        {
            "county": county,
            "values": values,
            "error": error,
            "accepted": accepted,
            "phenomenon_label": lambda r: phenomenon_label(ctx, r),
            "recipients": [(k.value, k.label(ctx.lang)) for k in RecipientKind],
            "phenomena": phenomenon_choices(ctx, with_other=False),
            "indicators": indicator_choices(ctx),
        },
        status_code=status_code,
    )


def new_proposal_form(ctx: Ctx) -> Response:
    """A blank proposal; ?raportti=ID (repeatable) ticks reports as evidence."""
    county = county_of_request(ctx)
    policy.require(policy.can_manage_county(ctx.principal, county), DENIED)
    ticked = ctx.request.query_params.getlist("raportti")
    record_ids(ticked, "raportti")
    blank = dict.fromkeys(
        ("title", "body", "recipient_kind", "recipient_name", "phenomenon_id"), ""
    )
    return _form(ctx, county, {**blank, "report_ids": ticked, "indicator_ids": []})


def new_proposal_submit(ctx: Ctx) -> Response:
    """Save a draft proposal."""
    county = county_of_request(ctx)
    policy.require(policy.can_manage_county(ctx.principal, county), DENIED)
    values: dict[str, Any] = {
        name: text(ctx.form, name) or ""
        for name in ("title", "body", "recipient_kind", "recipient_name", "phenomenon_id")
    }
    values["report_ids"] = texts(ctx.form, "report_ids")
    values["indicator_ids"] = texts(ctx.form, "indicator_ids")
    try:
        with ctx.db.begin_nested():
            recipient = choice(values["recipient_kind"] or None, RecipientKind, "Vastaanottaja")
            if recipient is None:
                raise DataError("Valitse, kenelle ehdotus osoitetaan.")
            created = proposals.create_proposal(
                ctx.db,
                ctx.principal,
                county=county,
                title=values["title"],
                body=values["body"],
                recipient_kind=recipient,
                recipient_name=values["recipient_name"] or None,
                phenomenon_id=values["phenomenon_id"] or None,
                report_ids=record_ids(values["report_ids"], "raportti"),
                indicator_ids=values["indicator_ids"],
                vocab=ctx.services.vocab,
            )
    except PermissionDenied:
        raise
    except RaketietoError as error:
        return _form(ctx, county, values, error=error.full_message(), status_code=422)
    return ctx.redirect(f"/ehdotukset/{created.id}", ilmoitus="luotu")


def proposal_detail(ctx: Ctx) -> Response:
    """One proposal, its evidence and the next status it can move to."""
    proposal_id = record_id(ctx.request.path_params.get("proposal_id"), "ehdotus")
    require_named_county(ctx, county_of(ctx, ActionProposal, proposal_id))
    proposal = proposals.get_proposal(ctx.db, ctx.principal, proposal_id)
    labels = {i.id: i.label.get(ctx.lang) for i in ctx.state.catalogue.indicators.values()}
    return ctx.render(
        "reporting/proposal_detail.html",
        {
            "proposal": proposal,
            "notice": ctx.request.query_params.get("ilmoitus"),
            "next_statuses": sorted(
                proposals.TRANSITIONS[proposal.status], key=lambda s: list(ProposalStatus).index(s)
            ),
            "indicator_label": lambda i: labels.get(i, i),
            "phenomenon_label": lambda r: phenomenon_label(ctx, r),
        },
    )


def proposal_status(ctx: Ctx) -> Response:
    """Move a proposal on: sent, answered (with the answer), implemented or declined."""
    proposal_id = record_id(ctx.request.path_params.get("proposal_id"), "ehdotus")
    require_named_county(ctx, county_of(ctx, ActionProposal, proposal_id))
    target = choice(text(ctx.form, "status"), ProposalStatus, "Tila")
    if target is None:
        raise DataError("Valitse ehdotuksen uusi tila.")
    proposals.change_status(
        ctx.db, ctx.principal, proposal_id, target, answer_text=text(ctx.form, "answer")
    )
    return ctx.redirect(f"/ehdotukset/{proposal_id}", ilmoitus=target.value)


def proposal_export(ctx: Ctx) -> Response:
    """The county's proposals as an Excel workbook (the export is audited)."""
    county = county_of_request(ctx)
    policy.require(policy.can_manage_county(ctx.principal, county), DENIED)
    body = export_proposals_xlsx(ctx.db, ctx.principal, county, lang=ctx.lang)
    return Response(
        body,
        media_type=XLSX,
        headers={
            "Content-Disposition": f'attachment; filename="toimenpide-ehdotukset-{county}.xlsx"'
        },
    )
