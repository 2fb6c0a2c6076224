"""Action proposals: list, draft from accepted reports and indicators, status, Excel export."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi.responses import Response

from raketieto.errors import DataError, RaketietoError
from raketieto.store import policy, proposals, reports
from raketieto.store.enums import ProposalStatus, RecipientKind, ReportStatus
from raketieto.store.errors import IdentifierRefused, PermissionDenied
from raketieto.store.export import export_proposals_xlsx
from raketieto.store.freetext import check_free_text
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
from raketieto.web.reporting.validation import FieldErrors, proposal_errors

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
    errors: FieldErrors | None = None,
    status_code: int = 200,
) -> Response:
    accepted = reports.list_county_reports(
        ctx.db, ctx.principal, county, statuses=[ReportStatus.ACCEPTED]
    )
    evidence = indicator_evidence(ctx, county)
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
            "evidence": evidence,
            "errors": errors.messages if errors else {},
            "error_items": errors.summary() if errors else [],
        },
        status_code=status_code,
    )


def indicator_evidence(ctx: Ctx, area: str) -> dict[str, str]:
    """Indicator id -> its latest value in the area with unit and year ('12,3 % (2024)').

    A synthetic value says so; an indicator without a value in the area is left out.
    """
    from raketieto.web import format as number_format

    _ = ctx._
    found: dict[str, str] = {}
    try:
        with ctx.state.cube() as reader:
            index = reader.index()
    except RaketietoError:
        return found  # no cube: the evidence is named without figures
    for indicator in ctx.state.catalogue.indicators.values():
        shown = [f for f in index.shown(indicator.id, area) if f.value is not None]
        if not shown:
            continue
        last = shown[-1]
        value = number_format.number(last.value, indicator.decimals, ctx.lang)
        unit = "" if indicator.unit.value == "count" else " " + indicator.unit.symbol(ctx.lang)
        text = f"{value}{unit} ({last.year})"
        if last.synthetic:
            text += ", " + _("synteettinen esimerkkitieto")
        found[indicator.id] = text
    return found


def new_proposal_form(ctx: Ctx) -> Response:
    """A blank proposal; ?raportti=ID (repeatable) ticks reports as evidence."""
    county = county_of_request(ctx)
    policy.require(policy.can_manage_county(ctx.principal, county), DENIED)
    ticked = ctx.request.query_params.getlist("raportti")
    ids = set(record_ids(ticked, "raportti"))
    blank = dict.fromkeys(
        ("title", "body", "recipient_kind", "recipient_name", "phenomenon_id"), ""
    )
    # A proposal drafted from reports inherits their phenomenon when they share one.
    if ids:
        accepted = reports.list_county_reports(
            ctx.db, ctx.principal, county, statuses=[ReportStatus.ACCEPTED]
        )
        shared = {r.phenomenon_id for r in accepted if r.id in ids}
        if len(shared) == 1 and (only := shared.pop()) in ctx.state.catalogue.phenomena:
            blank["phenomenon_id"] = only
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
    errors = proposal_errors(values, ctx._)
    try:
        with ctx.db.begin_nested():
            check_free_text({n: values[n] or None for n in ("title", "body", "recipient_name")})
            if errors:
                return _form(ctx, county, values, errors=errors, status_code=422)
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
    except IdentifierRefused as refused:
        errors.refused(refused)
        return _form(ctx, county, values, errors=errors, status_code=422)
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
            "evidence": indicator_evidence(ctx, proposal.county_code),
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
