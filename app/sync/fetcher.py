"""GETs of vendor JSON with bounded retries: exponential backoff with jitter, or Retry-After."""

import asyncio
import email.utils
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

log = logging.getLogger(__name__)

RETRYABLE_STATUS = frozenset({429, *range(500, 600)})


class FetchError(RuntimeError):
    """A request failed for good: a status that retrying cannot fix, or attempts exhausted."""


@dataclass(frozen=True, kw_only=True)
class RetryPolicy:
    """Bounded attempts; exponential backoff with jitter, or the server's Retry-After."""

    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_retry_after: float = 300.0  # caps Retry-After so one header cannot stall a sync

    def delay(self, *, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before attempt `attempt + 1`."""
        if retry_after is not None:
            return min(retry_after, self.max_retry_after)
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        # Equal jitter: clients that failed together do not retry together, yet still back off.
        return ceiling / 2 + random.uniform(0, ceiling / 2)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header: delta-seconds or an HTTP date; None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class Fetcher:
    """GETs JSON through an httpx client, retrying 429, 5xx and transport errors."""

    def __init__(
        self,
        *,
        client: httpx.AsyncClient,
        policy: RetryPolicy,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._client = client
        self._policy = policy
        self._sleep = sleep

    async def __call__(self, path: str, *, params: Mapping[str, Any]) -> Any:
        for attempt in range(1, self._policy.attempts + 1):
            outcome = await self._attempt(path, params=params)
            if isinstance(outcome, httpx.Response):
                return _json(outcome)
            problem, retry_after = outcome
            if attempt == self._policy.attempts:
                break
            delay = self._policy.delay(attempt=attempt, retry_after=retry_after)
            log.warning("GET %s: %s; retrying in %.1fs", path, problem, delay)
            await self._sleep(delay)
        url = self._client.build_request("GET", path, params=params).url
        raise FetchError(f"GET {url} failed after {self._policy.attempts} attempts: {problem}")

    async def _attempt(
        self, path: str, *, params: Mapping[str, Any]
    ) -> httpx.Response | tuple[str, float | None]:
        """One request: the response if usable, else why it failed and any Retry-After."""
        try:
            response = await self._client.get(path, params=params)
        except httpx.TransportError as error:
            return f"{type(error).__name__}: {error or 'connection failed'}", None
        if response.status_code in RETRYABLE_STATUS:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            return f"HTTP {response.status_code} {response.reason_phrase}", retry_after
        if response.is_error:
            raise FetchError(
                f"GET {response.request.url} returned HTTP {response.status_code} "
                f"{response.reason_phrase}: {response.text[:200]}"
            )
        return response


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError as error:
        raise FetchError(f"GET {response.request.url} returned invalid JSON: {error}") from None
