"""Results of the store's public questions, kept until the store changes.

The phenomenon view shows the published counts and summaries on every request; asking the
store each time costs more than the rest of the (cached) page. A commit through this app drops
everything at once, so a published report shows at the next request; a change made by another
process (the CLI, another server) shows within ``ttl`` seconds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")

PUBLIC_TTL_SECONDS = 10.0
MAX_ENTRIES = 2048


class PublicCache:
    """A generation-stamped cache: invalidate() makes every earlier result unusable."""

    def __init__(
        self, ttl: float = PUBLIC_TTL_SECONDS, clock: Callable[[], float] = time.monotonic
    ):
        self.ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._generation = 0
        self._entries: dict[Hashable, tuple[float, int, object]] = {}

    def invalidate(self) -> None:
        """Forget every result (the store has changed)."""
        with self._lock:
            self._generation += 1
            self._entries.clear()

    def peek(self, key: Hashable) -> object | None:
        """The fresh result for key, or None; never computes."""
        now = self._clock()
        with self._lock:
            found = self._entries.get(key)
            if found is None or found[1] != self._generation or now - found[0] >= self.ttl:
                return None
            return found[2]

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The result for key, computed now if there is none that is fresh.

        A result computed while the store changed is returned but not kept, since it may
        predate the change.
        """
        now = self._clock()
        with self._lock:
            generation = self._generation
            found = self._entries.get(key)
        if found is not None and found[1] == generation and now - found[0] < self.ttl:
            return found[2]  # type: ignore[return-value]
        value = compute()
        with self._lock:
            if self._generation == generation:
                if len(self._entries) >= MAX_ENTRIES:
                    self._entries.clear()
                self._entries[key] = (now, generation, value)
        return value
