"""Excel export of a county's action proposals, to combine with the county's own data."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from raketieto.exports.ooxml import CellValue, Style, Workbook
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
    # The workbook writer stores every text as text: nothing a user typed becomes a formula.
    book = Workbook(title="Toimenpide-ehdotukset", creator="raketieto")
    sheet = book.add_sheet("Toimenpide-ehdotukset")
    header = sheet.row_styles([Style(bold=True, wrap=True)] * len(PROPOSAL_COLUMNS))
    wrap = Style(wrap=True, vertical="top")
    when = Style(num_format="yyyy-mm-dd hh:mm", vertical="top")
    body = sheet.row_styles([None, *[wrap] * 7, *[when] * 4, *[wrap] * 3])
    sheet.write_row([name for name, _ in PROPOSAL_COLUMNS], header)
    for col, (_, width) in enumerate(PROPOSAL_COLUMNS):
        sheet.set_width(col, width)
    sheet.freeze(1)
    for proposal in proposals:
        moments = (proposal.created_at, proposal.sent_at, proposal.answered_at, proposal.closed_at)
        texts = [
            proposal.county_code,
            proposal.title,
            proposal.body,
            proposal.recipient_kind.label(lang),
            proposal.recipient_name,
            proposal.phenomenon_id,
            proposal.status.label(lang),
        ]
        row: list[CellValue] = [proposal.id, *(t or "" for t in texts)]
        row += [_local(moment) for moment in moments]
        row += [
            proposal.answer_text or "",
            ", ".join(str(r.id) for r in proposal.reports),
            ", ".join(i.indicator_id for i in proposal.indicators),
        ]
        sheet.write_row(row, body)
    audit.record(
        session,
        principal,
        "proposal.export",
        "proposal",
        county=county,
        details={"rows": len(proposals), "format": "xlsx"},
    )
    return book.to_bytes()
