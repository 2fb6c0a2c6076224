"""The public answers are kept until a commit or the time limit, and never kept stale."""

from __future__ import annotations

import pytest

from raketieto.web.reporting.public_cache import PublicCache
from tests.clock import Clock


def test_answers_are_kept_until_invalidated() -> None:
    cache = PublicCache(ttl=10, clock=Clock())
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert cache.get("k", compute) == 1
    assert cache.get("k", compute) == 1
    cache.invalidate()
    assert cache.get("k", compute) == 2
    assert cache.get("other", compute) == 3


def test_answers_expire_after_the_time_limit() -> None:
    clock = Clock()
    cache = PublicCache(ttl=10, clock=clock)
    counter = iter(range(100))
    assert cache.get("k", lambda: next(counter)) == 0
    clock.now = 9.9
    assert cache.get("k", lambda: next(counter)) == 0
    clock.now = 10.0
    assert cache.get("k", lambda: next(counter)) == 1


def test_an_answer_computed_across_a_change_is_not_kept() -> None:
    cache = PublicCache(ttl=10, clock=Clock())

    def racing() -> str:
        cache.invalidate()  # a commit lands while the answer is being read
        return "old"

    assert cache.get("k", racing) == "old"
    assert cache.get("k", lambda: "new") == "new"


def test_errors_are_not_kept() -> None:
    cache = PublicCache(ttl=10, clock=Clock())

    def failing() -> str:
        raise RuntimeError("store down")

    with pytest.raises(RuntimeError):
        cache.get("k", failing)
    assert cache.get("k", lambda: "up") == "up"
