"""The per-client request limit, on a clock the test moves."""

from __future__ import annotations

from raketieto.web.api.limits import RateLimiter, retry_after
from tests.clock import Clock


def test_a_burst_then_one_request_per_refill() -> None:
    clock = Clock()
    limiter = RateLimiter(60, clock=clock)
    assert all(limiter.take("a") is None for _ in range(60))
    wait = limiter.take("a")
    assert wait is not None and 0 < wait <= 1.0
    assert retry_after(wait) == "1"
    assert limiter.take("b") is None, "another client has its own allowance"
    clock.now += 1.0
    assert limiter.take("a") is None
    assert limiter.take("a") is not None


def test_many_clients_do_not_grow_without_bound() -> None:
    clock = Clock()
    limiter = RateLimiter(10, clock=clock, max_clients=100)
    for n in range(1000):
        limiter.take(f"client-{n}")
        clock.now += 0.001
    assert len(limiter._buckets) <= 100
