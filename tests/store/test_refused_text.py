"""Refused free text never reaches the database or the logs: both are searched afterwards."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from raketieto.privacy import make_hetu
from raketieto.store import proposals, reports, review, themes
from raketieto.store.db import make_engine, make_session_factory, transaction
from raketieto.store.enums import RecipientKind
from raketieto.store.errors import IdentifierRefused
from raketieto.store.models import Base
from raketieto.store.vocabulary import Vocabulary
from tests.store.conftest import OWN, People, make_people
from tests.store.helpers import report_input, submitted

HETU = make_hetu(dt.date(1987, 4, 23), 417, "Y")
MARKER = "Kirsikkapuuvaras"  # a word that appears nowhere else, to find any trace of the text
SECRETS = (HETU, "040 765 4321", "salainen.asiakas@example.fi", "Kirsikkakuja 17", MARKER)
TEXT = f"{MARKER}: asiakas {HETU}, puh. 040 765 4321, salainen.asiakas@example.fi, Kirsikkakuja 17."

Attempt = Callable[[Session, People, Vocabulary, dict[str, int]], Any]

ATTEMPTS: dict[str, Attempt] = {
    "parse_form": lambda s, p, v, ids: reports.parse_report_input({"description": TEXT}),
    "save_draft": lambda s, p, v, ids: reports.save_draft(
        s, p.worker, report_input(v, OWN, proposed_action=TEXT), vocab=v
    ),
    "submit": lambda s, p, v, ids: reports.submit_report(
        s,
        p.worker,
        report_input(v, OWN, target_group=TEXT),
        vocab=v,
        idempotency_key="refused-0001",
    ),
    "message": lambda s, p, v, ids: reports.add_message(s, p.worker, ids["report"], TEXT),
    "request_changes": lambda s, p, v, ids: review.request_changes(
        s, p.coordinator, ids["report"], message=TEXT
    ),
    "theme": lambda s, p, v, ids: themes.create_theme(
        s, p.coordinator, county=OWN, half_year="2025H1", title="Teema", summary=TEXT, vocab=v
    ),
    "proposal": lambda s, p, v, ids: proposals.create_proposal(
        s,
        p.coordinator,
        county=OWN,
        title="Ehdotus",
        body=TEXT,
        recipient_kind=RecipientKind.TOP_MANAGEMENT,
        vocab=v,
    ),
}


def database_text(url: str) -> str:
    """Every stored value as text, and for SQLite also the raw bytes of the file and its WAL."""
    engine = make_engine(url)
    parts: list[str] = []
    try:
        with engine.connect() as connection:
            for table in Base.metadata.sorted_tables:
                parts += [repr(tuple(row)) for row in connection.execute(select(table))]
    finally:
        engine.dispose()
    database = make_url(url).database
    if url.startswith("sqlite") and database:
        for suffix in ("", "-wal", "-journal"):
            path = Path(database + suffix)
            if path.exists():
                parts.append(path.read_bytes().decode("utf-8", errors="replace"))
    return "\n".join(parts)


def test_refused_text_reaches_neither_database_nor_logs(
    fresh_url: str,
    hasher: PasswordHasher,
    vocab: Vocabulary,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # echo=True logs every SQL statement with its parameters: text that reached the database
    # layer would show up in the log.
    engine = make_engine(fresh_url, echo=True)
    factory = make_session_factory(engine)
    with transaction(factory) as session:
        people = make_people(session, hasher, vocab, "leak")
        ids = {"report": submitted(session, people.worker, vocab).id}
    caplog.set_level(logging.DEBUG)
    refused: list[str] = []
    for name, attempt in ATTEMPTS.items():
        with pytest.raises(IdentifierRefused) as caught, transaction(factory) as session:
            attempt(session, people, vocab, ids)
        error = caught.value
        assert error.spans, name
        for secret in SECRETS[:-1]:
            assert secret not in str(error), f"{name} echoed {secret!r} in its message"
        logging.getLogger("raketieto.test").info("refused %s: %s", name, error)
        refused.append(name)
    engine.dispose()
    assert refused == list(ATTEMPTS)
    logged = caplog.text
    assert "INSERT INTO users" in logged  # the SQL log was captured at all
    stored = database_text(fresh_url)
    assert "koordinaattori" in stored  # the search does see stored values
    for secret in SECRETS:
        assert secret not in logged, f"{secret!r} reached the logs"
        assert secret not in stored, f"{secret!r} reached the database"


def test_the_refusal_names_each_kind_and_position_but_masks_the_value() -> None:
    with pytest.raises(IdentifierRefused) as caught:
        reports.parse_report_input({"description": TEXT})
    kinds = {span.kind for span in caught.value.spans}
    assert kinds == {"hetu", "phone", "email", "address"}
    for span in caught.value.spans:
        assert TEXT[span.start : span.end] in SECRETS
        assert TEXT[span.start : span.end] not in span.excerpt
