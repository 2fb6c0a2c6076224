"""Excel export of a county's action proposals, to combine with the county's own data."""

from __future__ import annotations

import datetime as dt
import io

import xlsxwriter
from sqlalchemy.orm import Session

from raketieto.store import audit
from raketieto.store.periods import FINLAND
from raketieto.store.principal import Principal
from raketieto.store.proposals import list_proposals

PROPOSAL_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Tunniste", 10),
    ("Hyvinvointialue", 16),
    ("Otsikko", 40),
    ("Ehdotus", 60),
    ("Vastaanottajataho", 30),
    ("Vastaanottaja", 30),
    ("Ilmiö", 20),
    ("Tila", 14),
    ("Luotu", 18),
    ("Lähetetty", 18),
    ("Vastattu", 18),
    ("Suljettu", 18),
    ("Vastaus", 60),
    ("Näyttönä olevat raportit", 20),
    ("Näyttönä olevat indikaattorit", 30),
)


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    # Excel has no time zones: show Finnish local time, without the zone.
    if moment is None:
        return None
    return moment.astimezone(FINLAND).replace(tzinfo=None)


def export_proposals_xlsx(
    session: Session, principal: Principal, county: str, *, lang: str = "fi"
) -> bytes:
    """A county's proposals as an .xlsx workbook; cells are values, never formulas."""
    proposals = list_proposals(session, principal, county)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = workbook.add_worksheet("Toimenpide-ehdotukset")
    bold = workbook.add_format({"bold": True, "text_wrap": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm", "valign": "top"})
    for col, (header, width) in enumerate(PROPOSAL_COLUMNS):
        sheet.write_string(0, col, header, bold)
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)
    for row, proposal in enumerate(proposals, start=1):
        texts: list[str | None] = [
            proposal.county_code,
            proposal.title,
            proposal.body,
            proposal.recipient_kind.label(lang),
            proposal.recipient_name,
            proposal.phenomenon_id,
            proposal.status.label(lang),
        ]
        sheet.write_number(row, 0, proposal.id)
        for offset, value in enumerate(texts, start=1):
            sheet.write_string(row, offset, value or "", wrap)
        for offset, moment in enumerate(
            (proposal.created_at, proposal.sent_at, proposal.answered_at, proposal.closed_at),
            start=8,
        ):
            local = _local(moment)
            if local is None:
                sheet.write_blank(row, offset, None)
            else:
                sheet.write_datetime(row, offset, local, when)
        sheet.write_string(row, 12, proposal.answer_text or "", wrap)
        sheet.write_string(row, 13, ", ".join(str(r.id) for r in proposal.reports), wrap)
        sheet.write_string(row, 14, ", ".join(i.indicator_id for i in proposal.indicators), wrap)
    workbook.close()
    audit.record(
        session,
        principal,
        "proposal.export",
        "proposal",
        county=county,
        details={"rows": len(proposals), "format": "xlsx"},
    )
    return buffer.getvalue()
