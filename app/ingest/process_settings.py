"""Process settings while records stream through an import, restored when the last import in the
process is done: no cyclic garbage collection, and a short GIL switch interval.

An import allocates millions of short-lived objects beside large long-lived caches, so the
collector kept walking those caches (a large share of the main thread's time);
reference counting still frees everything acyclic. SQLite runs in its own thread and needs the
GIL back after each statement while Python validates the next chunk; with the default 5 ms
switch interval it waited that long every time."""

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager

SWITCH_INTERVAL = 0.0002  # seconds


class _Streaming:
    def __init__(self) -> None:
        self.depth = 0
        self.collecting = True
        self.switch_interval = sys.getswitchinterval()

    def enter(self) -> None:
        if self.depth == 0:
            self.collecting = gc.isenabled()
            self.switch_interval = sys.getswitchinterval()
            gc.disable()
            sys.setswitchinterval(min(SWITCH_INTERVAL, self.switch_interval))
        self.depth += 1

    def leave(self) -> None:
        self.depth -= 1
        if self.depth == 0:
            sys.setswitchinterval(self.switch_interval)
            if self.collecting:
                gc.enable()


_STATE = _Streaming()


@contextmanager
def streaming() -> Iterator[None]:
    """Streaming settings for the duration (nested and concurrent uses share one set)."""
    _STATE.enter()
    try:
        yield
    finally:
        _STATE.leave()
