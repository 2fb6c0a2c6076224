"""A bounded pool of its own for password hashing, so a flood of logins cannot starve the service.

argon2 costs tens of milliseconds of CPU and 64 MiB of memory per call. Run in the threads that
serve pages, a few hundred failed logins at once held every thread and every core: public pages
waited seconds. Here hashing has a fixed number of threads and a short queue; a job that finds
the queue full is refused at once (the caller answers 503 with Retry-After), never queued
without bound.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from raketieto.errors import RaketietoError

T = TypeVar("T")

#: Seconds a refused client is asked to wait before it tries again.
BUSY_RETRY_AFTER = 5
#: How much lower than the page-serving threads a hashing thread is scheduled (Linux nice).
HASH_NICENESS = 10


def _lower_priority() -> None:
    """Let the threads that serve pages win the CPU over hashing when both want it.

    On Linux a thread has its own nice value (setpriority with the thread id); elsewhere, or
    without the right, the thread keeps the process's priority.
    """
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASH_NICENESS)


class HashPoolBusy(RaketietoError):
    """Every hashing slot is taken; the caller answers 503 with Retry-After at once."""

    def __init__(self, message: str, *, retry_after: int = BUSY_RETRY_AFTER) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class HashPool:
    """workers threads for password hashing and at most queue jobs waiting for one."""

    def __init__(self, workers: int = 1, queue: int = 8) -> None:
        if workers < 1 or queue < 0:
            raise ValueError(f"a hash pool needs workers >= 1, queue >= 0: {workers}, {queue}")
        self.workers = workers
        self.capacity = workers + queue
        self._executor = ThreadPoolExecutor(
            workers, thread_name_prefix="raketieto-hash", initializer=_lower_priority
        )
        self._lock = threading.Lock()
        self._taken = 0
        self._refused = 0

    @property
    def refused(self) -> int:
        """Jobs refused because the pool was full, since start."""
        with self._lock:
            return self._refused

    @property
    def full(self) -> bool:
        """True when a job submitted now would be refused."""
        with self._lock:
            return self._taken >= self.capacity

    def submit(self, job: Callable[[], T]) -> Future[T]:
        """Start job in the pool, or raise HashPoolBusy at once when every slot is taken."""
        with self._lock:
            if self._taken >= self.capacity:
                self._refused += 1
                raise HashPoolBusy(
                    "Kirjautumisia on juuri nyt liikaa; yritä uudelleen muutaman sekunnin kuluttua."
                )
            self._taken += 1
        try:
            future = self._executor.submit(job)
        except BaseException:
            self._release()
            raise
        future.add_done_callback(lambda _: self._release())
        return future

    def _release(self) -> None:
        with self._lock:
            self._taken -= 1

    def run(self, job: Callable[[], T]) -> T:
        """Run job in the pool and wait for it (for synchronous callers)."""
        return self.submit(job).result()

    async def run_async(self, job: Callable[[], T]) -> T:
        """Run job in the pool without blocking the event loop or its thread pool."""
        return await asyncio.wrap_future(self.submit(job))

    def shutdown(self, *, wait: bool = True) -> None:
        """Stop the threads once the queued jobs are done."""
        self._executor.shutdown(wait=wait)
