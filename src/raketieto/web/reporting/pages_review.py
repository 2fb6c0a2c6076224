"""A coordinator's pages: the review queue, decisions on reports, and themes."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi.responses import Response

from raketieto.errors import DataError
from raketieto.store import policy, reports, review, themes
from raketieto.store.enums import ReportStatus, ReviewDecisionKind, Role
from raketieto.store.errors import IdentifierRefused, PermissionDenied
from raketieto.store.freetext import check_free_text
from raketieto.store.models import ActionProposal, SocialReport, Theme
from raketieto.store.periods import half_year_of
from raketieto.store.types import utcnow
from raketieto.web.reporting.forms import choice, record_id, record_ids, text, texts
from raketieto.web.reporting.pagekit import Ctx, named_counties
from raketieto.web.reporting.pages_reports import (
    phenomenon_choices,
    phenomenon_label,
    report_detail_page,
)
from raketieto.web.reporting.validation import FieldErrors, theme_errors

DECISION_MESSAGE = "Viesti raportoijalle (pakollinen täydennyspyynnössä)"
QUEUE_DENIED = (
    "Käsittelyjonon näkevät vain oman alueen koordinaattorit ja valtakunnalliset ylläpitäjät."
)


def county_of_request(ctx: Ctx) -> str:
    """The county a coordinator page is about: ?alue= or the form's alue (checked; if both
    are given they must agree), else the principal's own."""
    typed = {c.upper(): c for c in named_counties(ctx.request, ctx.form)}
    named = sorted(typed)
    if len(named) > 1:
        raise PermissionDenied(
            f"Pyyntö nimeää useita hyvinvointialueita ({', '.join(c[:8] for c in named)}); "
            "yksi pyyntö koskee aina yhtä aluetta."
        )
    if named:
        return ctx.services.vocab.check_county(typed[named[0]])
    if ctx.principal.county is None:
        raise DataError(
            "Valitse hyvinvointialue lisäämällä osoitteeseen ?alue=HVA## (esim. ?alue=HVA09)."
        )
    return ctx.principal.county


def require_named_county(ctx: Ctx, county: str | None) -> None:
    """Refuse (403) a request that names a county other than that of the record it acts on."""
    named = named_counties(ctx.request, ctx.form)
    if county is not None and any(c.upper() != county for c in named):
        raise PermissionDenied(
            "Pyynnön hyvinvointialue ei ole käsiteltävän tiedon alue; yksi pyyntö koskee aina "
            "yhtä aluetta."
        )


def county_of(
    ctx: Ctx, model: type[SocialReport] | type[Theme] | type[ActionProposal], record: int
) -> str | None:
    """The county of a stored report, theme or proposal (None when there is none)."""
    found = ctx.db.get(model, record)
    if isinstance(found, SocialReport | Theme | ActionProposal):
        return found.county_code
    return None


def pick_county_page(ctx: Ctx) -> Response | None:
    """For a national admin without ?alue=, a page to choose the county; else None."""
    if ctx.principal.county is not None or named_counties(ctx.request, ctx.form):
        return None
    policy.require(ctx.principal.role is Role.NATIONAL_ADMIN, QUEUE_DENIED)
    return ctx.render("reporting/pick_county.html", {"counties": county_choices(ctx)})


def county_choices(ctx: Ctx) -> list[tuple[str, str]]:
    """Every county, for a national admin's area picker."""
    division = ctx.state.division
    return sorted(
        ((code, division.get(code).name(ctx.lang)) for code in ctx.services.vocab.counties),
        key=lambda c: c[1],
    )


def review_queue(ctx: Ctx) -> Response:
    """Submitted reports of the county waiting for a decision, and the accepted ones."""
    picker = pick_county_page(ctx)
    if picker is not None:
        return picker
    county = county_of_request(ctx)
    policy.require(policy.can_manage_county(ctx.principal, county), QUEUE_DENIED)
    listed = reports.list_county_reports(ctx.db, ctx.principal, county)
    return ctx.render(
        "reporting/review_queue.html",
        {
            "county": county,
            "county_name": ctx.state.division.get(county).name(ctx.lang),
            "waiting": [r for r in listed if r.status is ReportStatus.SUBMITTED],
            "accepted": [r for r in listed if r.status is ReportStatus.ACCEPTED],
            "others": [
                r for r in listed if r.status not in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
            ],
            "phenomenon_label": lambda r: phenomenon_label(ctx, r),
        },
    )


def decide(ctx: Ctx) -> Response:
    """Accept, request changes (with a message), merge into another report, or archive."""
    report_id = record_id(ctx.request.path_params.get("report_id"), "raportti")
    require_named_county(ctx, county_of(ctx, SocialReport, report_id))
    decision = choice(text(ctx.form, "decision"), ReviewDecisionKind, "Päätös")
    message = text(ctx.form, "message")
    if decision is None:
        raise DataError("Valitse päätös: accept, request_changes, merge tai archive.")
    if decision is ReviewDecisionKind.ACCEPT:
        review.accept_report(ctx.db, ctx.principal, report_id, message=message)
    elif decision is ReviewDecisionKind.REQUEST_CHANGES:
        errors = FieldErrors(ctx._, {"message": DECISION_MESSAGE})
        try:
            with ctx.db.begin_nested():
                check_free_text({"message": message})
                if not message:
                    errors.add("message", ctx._("Kirjoita raportoijalle, mitä pitää täydentää."))
                else:
                    review.request_changes(ctx.db, ctx.principal, report_id, message=message)
        except IdentifierRefused as refused:
            errors.refused(refused)
        if errors:
            return report_detail_page(
                ctx, report_id, errors=errors, typed={"message": message or ""}, status_code=422
            )
    elif decision is ReviewDecisionKind.MERGE:
        into = record_id(text(ctx.form, "into") or "", "yhdistettävä raportti")
        review.merge_report(ctx.db, ctx.principal, report_id, into_id=into, message=message)
    else:
        review.archive_report(ctx.db, ctx.principal, report_id, message=message)
    return ctx.redirect(f"/raportit/{report_id}", ilmoitus=decision.value)


def theme_list(ctx: Ctx) -> Response:
    """The county's themes with their reports, a form for a new theme, and unthemed reports."""
    picker = pick_county_page(ctx)
    if picker is not None:
        return picker
    return themes_page(ctx, county_of_request(ctx))


def themes_page(
    ctx: Ctx,
    county: str,
    *,
    values: Mapping[str, object] | None = None,
    errors: FieldErrors | None = None,
    status_code: int = 200,
) -> Response:
    """The themes page, with the new-theme form's errors and typed values when given."""
    listed = themes.list_themes(ctx.db, ctx.principal, county)
    accepted = reports.list_county_reports(
        ctx.db, ctx.principal, county, statuses=[ReportStatus.ACCEPTED]
    )
    by_theme: dict[int | None, list[int]] = {}
    for report in accepted:
        by_theme.setdefault(report.theme_id, []).append(report.id)
    return ctx.render(
        "reporting/themes.html",
        {
            "county": county,
            "county_name": ctx.state.division.get(county).name(ctx.lang),
            "themes": listed,
            "reports_of": by_theme,
            "unthemed": [r for r in accepted if r.theme_id is None],
            "phenomena": phenomenon_choices(ctx, with_other=False),
            "phenomenon_label": lambda r: phenomenon_label(ctx, r),
            "this_half_year": half_year_of(utcnow()),
            "notice": ctx.request.query_params.get("ilmoitus"),
            "values": values or {},
            "errors": errors.messages if errors else {},
            "error_items": errors.summary() if errors else [],
        },
        status_code=status_code,
    )


def theme_create(ctx: Ctx) -> Response:
    """A new theme, optionally with accepted reports put into it at once."""
    county = county_of_request(ctx)
    # The form is shown back only to those who may see the county's themes.
    policy.require(policy.can_manage_county(ctx.principal, county), QUEUE_DENIED)
    values: dict[str, object] = {
        name: text(ctx.form, name) or "" for name in ("half_year", "title", "summary")
    }
    values["phenomenon_id"] = text(ctx.form, "phenomenon_id") or ""
    values["report_ids"] = texts(ctx.form, "report_ids")
    errors = theme_errors(values, ctx._)
    chosen = record_ids(texts(ctx.form, "report_ids"), "raportti")
    try:
        with ctx.db.begin_nested():
            check_free_text({name: text(ctx.form, name) for name in ("title", "summary")})
            if not errors:
                theme = themes.create_theme(
                    ctx.db,
                    ctx.principal,
                    county=county,
                    half_year=text(ctx.form, "half_year") or "",
                    title=text(ctx.form, "title") or "",
                    summary=text(ctx.form, "summary") or "",
                    phenomenon_id=text(ctx.form, "phenomenon_id"),
                    vocab=ctx.services.vocab,
                )
                if chosen:
                    themes.assign_reports(ctx.db, ctx.principal, theme.id, chosen)
    except IdentifierRefused as refused:
        errors.refused(refused)
    if errors:
        return themes_page(ctx, county, values=values, errors=errors, status_code=422)
    return ctx.redirect("/teemat", alue=county, ilmoitus="teema")


def theme_action(ctx: Ctx) -> Response:
    """Assign reports to, remove reports from, approve or withdraw a theme."""
    theme_id = record_id(ctx.request.path_params.get("theme_id"), "teema")
    require_named_county(ctx, county_of(ctx, Theme, theme_id))
    action = text(ctx.form, "action") or ""
    chosen = record_ids(texts(ctx.form, "report_ids"), "raportti")
    if action == "assign":
        theme = themes.assign_reports(ctx.db, ctx.principal, theme_id, chosen)
    elif action == "remove":
        theme = themes.remove_reports(ctx.db, ctx.principal, theme_id, chosen)
    elif action == "approve":
        theme = themes.approve_theme(ctx.db, ctx.principal, theme_id)
    elif action == "withdraw":
        theme = themes.withdraw_approval(ctx.db, ctx.principal, theme_id)
    else:
        raise DataError(
            f"Toiminto '{action[:40]}' ei kelpaa; kelvolliset: assign, remove, approve, withdraw."
        )
    return ctx.redirect("/teemat", alue=theme.county_code, ilmoitus=action)
