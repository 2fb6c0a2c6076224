"""A flood of failed logins against a running server must not slow the public service.

The real server (`raketieto serve` in a child process, the real argon2 profile) is measured
by bench/login_flood_bench.py: public pages and the API before and during a bounded flood of
failed logins from concurrent clients that ignore Retry-After. The limits are raised so that
the flood reaches the hash pool, as one from many addresses would.
"""

from __future__ import annotations

import pytest
from bench.login_flood_bench import run

from raketieto.settings import Settings
from tests.threads import in_thread

MAX_RATIO = 3.0


@pytest.mark.slow
def test_public_latency_holds_during_a_login_flood(
    demo_settings: Settings, record_property: pytest.RecordProperty
) -> None:
    data_dir = demo_settings.data_dir.resolve()
    result = in_thread(lambda: run(data_dir, clients=40, attempts=300, seconds=30.0))
    for line in result.lines():
        print(line)
    record_property("login_flood", "; ".join(result.lines()))
    statuses = {int(k): v for k, v in result.flood["statuses"].items()}  # type: ignore[union-attr]
    assert sum(statuses.values()) == 300
    assert set(statuses) <= {401, 429, 503}, statuses
    # The hash pool was full for most of the flood: refused at once, not queued.
    assert statuses.get(503, 0) > 0, statuses
    assert len(result.during.public.times) >= 50
    assert result.ratio <= MAX_RATIO, result.lines()
