"""The bounds every sync runs within: a deadline per request and per run, a response size, a
redirect count, a page count and the longest Retry-After it waits (README "Syncing")."""

import math
import time
from dataclasses import dataclass, field

MB = 1_000_000
DEFAULT_MAX_RETRY_AFTER = 120.0  # seconds; a longer Retry-After stops the sync (RetryPolicy)


@dataclass(frozen=True, kw_only=True)
class SyncLimits:
    """Defaults suit a real vendor; every one is a `switchboard sync` option and a setting."""

    request_deadline: float = 120.0  # seconds for one request: redirects and the whole body
    run_deadline: float = 6 * 3600.0  # seconds for the whole run; a rerun resumes
    max_response_bytes: int = 50 * MB  # one page's body, decoded; read as a stream
    max_redirects: int = 5
    max_pages: int = 100_000  # pages in one run, whatever the vendor says


@dataclass
class Deadline:
    """A point in time `seconds` after it was made (monotonic clock)."""

    seconds: float
    started: float = field(default_factory=time.monotonic)

    def remaining(self) -> float:
        if math.isinf(self.seconds):
            return math.inf
        return self.seconds - (time.monotonic() - self.started)

    @property
    def passed(self) -> bool:
        return self.remaining() <= 0
