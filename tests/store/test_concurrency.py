"""Concurrent submissions: 500 reports from 50 clients, some retried, each stored exactly once."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from raketieto.store.accounts import bootstrap_admin, create_user
from raketieto.store.db import make_engine, make_session_factory, transaction
from raketieto.store.enums import Role
from raketieto.store.models import AuditEntry, ReportSubmission, SocialReport
from raketieto.store.principal import Principal
from raketieto.store.reports import submit_report
from raketieto.store.vocabulary import Vocabulary
from tests.store.conftest import OWN, PASSWORD, as_principal
from tests.store.helpers import report_input

PG = [pytest.param("postgresql", marks=pytest.mark.postgres)]
CLIENTS = 50
REPORTS_PER_CLIENT = 10


def _clients(
    factory: sessionmaker[Session], hasher: PasswordHasher, vocab: Vocabulary
) -> list[Principal]:
    with transaction(factory) as session:
        admin = as_principal(
            bootstrap_admin(
                session, username="admin", display_name="A", password=PASSWORD, hasher=hasher
            )
        )
        return [
            as_principal(
                create_user(
                    session,
                    admin,
                    username=f"client-{i:02d}",
                    display_name=f"Client {i}",
                    role=Role.WORKER,
                    county=OWN,
                    password=PASSWORD,
                    hasher=hasher,
                    vocab=vocab,
                )
            )
            for i in range(CLIENTS)
        ]


@pytest.mark.slow
@pytest.mark.parametrize("empty_url", PG, indirect=True)
def test_500_reports_from_50_concurrent_clients_are_stored_exactly_once(
    fresh_url: str, hasher: PasswordHasher, vocab: Vocabulary
) -> None:
    engine = make_engine(fresh_url, pool_size=CLIENTS // 2)
    factory = make_session_factory(engine)
    clients = _clients(factory, hasher, vocab)
    data = report_input(vocab, OWN)
    start = threading.Barrier(CLIENTS)
    outcomes: list[tuple[int, bool]] = []
    lock = threading.Lock()

    def submit(principal: Principal, key: str) -> None:
        with transaction(factory) as session:
            done = submit_report(session, principal, data, vocab=vocab, idempotency_key=key)
            result = (done.report.id, done.replayed)
        with lock:
            outcomes.append(result)

    def client(index: int) -> None:
        principal = clients[index]
        start.wait()
        for n in range(REPORTS_PER_CLIENT):
            key = f"client-{index:02d}-report-{n:03d}"
            submit(principal, key)
            if n % 3 == 0:
                submit(principal, key)  # a retry after the answer was lost

    def racing_retry(index: int) -> None:
        # Another connection of the same client re-sends its first report while it is in flight.
        submit(clients[index], f"client-{index:02d}-report-000")

    with ThreadPoolExecutor(max_workers=CLIENTS + 10) as pool:
        futures = [pool.submit(client, i) for i in range(CLIENTS)]
        futures += [pool.submit(racing_retry, i) for i in range(0, CLIENTS, 5)]
        for future in futures:
            future.result()

    expected = CLIENTS * REPORTS_PER_CLIENT
    fresh = [report_id for report_id, replayed in outcomes if not replayed]
    assert len(fresh) == expected
    assert len(outcomes) > expected  # retries happened and were answered as replays
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(SocialReport)) == expected
        assert session.scalar(select(func.count()).select_from(ReportSubmission)) == expected
        audited = Counter(
            session.scalars(
                select(AuditEntry.object_id).where(AuditEntry.action == "report.submit")
            )
        )
        stored_ids = {str(i) for i in session.scalars(select(SocialReport.id))}
    assert set(audited) == stored_ids
    assert set(audited.values()) == {1}
    assert {str(report_id) for report_id, _ in outcomes} == stored_ids
    engine.dispose()
