"""Run a blocking call in a thread of its own.

Playwright's sync API leaves an event loop running in the test process's main thread once a
browser test has run there (pytest-xdist puts many tests in one process), and asyncio.run()
refuses to start inside a running loop; a fresh thread has no loop.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def in_thread(call: Callable[[], T]) -> T:
    """call() in a new thread; its result, or its exception raised here."""
    outcome: list[T] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            outcome.append(call())
        except BaseException as error:  # re-raised in the caller's thread below
            failure.append(error)

    thread = threading.Thread(target=target, name="test-in-thread")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return outcome[0]
