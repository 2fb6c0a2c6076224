"""The password-hashing pool: fixed threads, a short queue, refusal at once when full."""

from __future__ import annotations

import asyncio
import threading

import pytest

from raketieto.store.hashing import HashPool, HashPoolBusy
from tests.threads import in_thread


def test_a_full_pool_refuses_at_once_and_frees_its_slots() -> None:
    pool = HashPool(workers=1, queue=1)
    gate = threading.Event()
    first = pool.submit(gate.wait)
    second = pool.submit(lambda: "queued")
    assert pool.full
    with pytest.raises(HashPoolBusy) as busy:
        pool.submit(lambda: "refused")
    assert busy.value.retry_after >= 1 and pool.refused == 1
    gate.set()
    assert first.result(timeout=5) is True and second.result(timeout=5) == "queued"
    assert pool.run(lambda: 42) == 42
    assert not pool.full
    pool.shutdown()


def test_the_event_loop_waits_for_a_hash_without_blocking() -> None:
    pool = HashPool(workers=1, queue=0)
    gate = threading.Event()

    async def scenario() -> tuple[bool, str]:
        waiting = asyncio.ensure_future(pool.run_async(gate.wait))
        await asyncio.sleep(0.01)
        loop_free = not waiting.done()  # the loop ran this line while the job waited
        gate.set()
        await waiting
        return loop_free, await pool.run_async(lambda: "done")

    assert in_thread(lambda: asyncio.run(scenario())) == (True, "done")
    pool.shutdown()


def test_a_pool_needs_a_worker() -> None:
    with pytest.raises(ValueError, match="workers"):
        HashPool(workers=0)
