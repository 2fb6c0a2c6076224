"""Objects of county OWN made directly through the store, for the page tests."""

from __future__ import annotations

from dataclasses import dataclass

from raketieto.store import proposals, reports, review, themes
from raketieto.store.db import transaction
from raketieto.store.enums import RecipientKind
from tests.reporting.conftest import Site
from tests.store.conftest import OWN
from tests.store.helpers import new_key, report_input


@dataclass(frozen=True)
class World:
    """Ids of a draft, a submitted report, a duplicate, an accepted one, a theme, a proposal."""

    draft: int
    report: int
    duplicate: int
    accepted: int
    theme: int
    proposal: int


def make_world(site: Site, description: str = "Havainto nuorten asumisesta.") -> World:
    """Fresh objects, so that a test may change them freely."""
    worker = site.principals["reporter"]
    coordinator = site.principals["coordinator_own"]
    vocab = site.services.vocab
    with transaction(site.services.factory) as s:
        data = report_input(vocab, OWN, description=description)
        draft = reports.save_draft(s, worker, data, vocab=vocab)
        ids = [
            reports.submit_report(s, worker, data, vocab=vocab, idempotency_key=new_key()).report.id
            for _ in range(3)
        ]
        review.accept_report(s, coordinator, ids[2])
        theme = themes.create_theme(
            s,
            coordinator,
            county=OWN,
            half_year="2025H1",
            title="Nuorten asuminen",
            summary="Tuetun asumisen jonot ovat pitkiä.",
            phenomenon_id="asunnottomuus",
            vocab=vocab,
        )
        proposal = proposals.create_proposal(
            s,
            coordinator,
            county=OWN,
            title="Lisää tuettua asumista",
            body="Ehdotamme lisää paikkoja.",
            recipient_kind=RecipientKind.TOP_MANAGEMENT,
            report_ids=[ids[2]],
            vocab=vocab,
        )
        return World(draft.id, ids[0], ids[1], ids[2], theme.id, proposal.id)
