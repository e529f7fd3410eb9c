"""GETs of vendor JSON, bounded: retries with backoff or a capped Retry-After, a deadline per
request and per run, a maximum body size read as a stream, and redirects followed by hand so the
vendor's credentials are only ever sent to the vendor's own origin."""

import asyncio
import email.utils
import json
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from app.sync.limits import DEFAULT_MAX_RETRY_AFTER, Deadline, SyncLimits

log = logging.getLogger(__name__)

RETRYABLE_STATUS = frozenset({429, *range(500, 600)})
DEFAULT_PORTS = {"http": 80, "https": 443}


class FetchError(RuntimeError):
    """A request failed for good: a status that retrying cannot fix, attempts exhausted, or a
    limit reached. The message is one line naming the URL and the limit."""


@dataclass(frozen=True, kw_only=True)
class RetryPolicy:
    """Bounded attempts; exponential backoff with jitter, or the server's Retry-After."""

    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_retry_after: float = DEFAULT_MAX_RETRY_AFTER  # longer stops the sync; a rerun resumes

    def delay(self, *, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before attempt `attempt + 1`."""
        if retry_after is not None:
            return min(retry_after, self.max_retry_after)
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        # Equal jitter: clients that failed together do not retry together, yet still back off.
        delay: float = ceiling / 2 + random.uniform(0, ceiling / 2)
        return delay


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header: delta-seconds or an HTTP date; None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if seconds == seconds else None  # NaN is no answer
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def origin(url: httpx.URL) -> tuple[str, str, int | None]:
    """Scheme, host and port: credentials are sent only where all three match the base URL."""
    return url.scheme, url.host, url.port or DEFAULT_PORTS.get(url.scheme)


@dataclass(frozen=True)
class Retry:
    """Why an attempt failed in a way another attempt may fix."""

    problem: str
    retry_after: float | None = None


class Fetcher:
    """GETs JSON through an httpx client (which must not follow redirects itself), retrying
    429, 5xx, transport errors and requests that overran their deadline."""

    def __init__(
        self,
        *,
        client: httpx.AsyncClient,
        auth: httpx.Auth,
        policy: RetryPolicy,
        limits: SyncLimits = SyncLimits(),
        deadline: Deadline | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._client = client
        self._auth = auth
        self._origin = origin(client.base_url)
        self._policy = policy
        self._limits = limits
        self._run = deadline or Deadline(limits.run_deadline)
        self._sleep = sleep

    async def __call__(self, path: str, *, params: Mapping[str, Any]) -> Any:
        url = self._client.build_request("GET", path, params=params).url
        for attempt in range(1, self._policy.attempts + 1):
            outcome = await self._attempt(url)
            if not isinstance(outcome, Retry):
                return outcome
            if attempt == self._policy.attempts:
                break
            delay = self._wait(url, outcome, attempt=attempt)
            log.warning("GET %s: %s; retrying in %.1fs", url, outcome.problem, delay)
            await self._sleep(delay)
        raise FetchError(
            f"GET {url} failed after {self._policy.attempts} attempts: {outcome.problem}"
        )

    def _wait(self, url: httpx.URL, retry: Retry, *, attempt: int) -> float:
        """The delay before the next attempt; FetchError when the server asks for more than the
        policy waits, or the wait would end after the run's deadline."""
        cap = self._policy.max_retry_after
        if retry.retry_after is not None and retry.retry_after > cap:
            raise FetchError(
                f"GET {url}: {retry.problem} with Retry-After {retry.retry_after:g}s, more than "
                f"the {cap:g}s a sync waits (--max-retry-after)"
            )
        delay = self._policy.delay(attempt=attempt, retry_after=retry.retry_after)
        if delay >= self._run.remaining():
            raise FetchError(f"GET {url}: {retry.problem}; {self._run_deadline_text()}")
        return delay

    def _run_deadline_text(self) -> str:
        return f"the run's deadline of {self._run.seconds:g}s (--run-deadline) has passed"

    async def _attempt(self, url: httpx.URL) -> Any:
        """One request with its redirects: the decoded JSON, or a Retry."""
        if self._run.passed:
            raise FetchError(f"GET {url}: {self._run_deadline_text()}")
        seconds = min(self._limits.request_deadline, self._run.remaining())
        try:
            async with asyncio.timeout(seconds):
                return await self._follow(url)
        except TimeoutError:
            if self._run.passed:
                raise FetchError(f"GET {url}: {self._run_deadline_text()}") from None
            return Retry(f"no complete response within {seconds:g}s (--request-deadline)")
        except httpx.TransportError as error:
            return Retry(f"{type(error).__name__}: {error or 'connection failed'}")

    async def _follow(self, url: httpx.URL) -> Any:
        """GET `url`, following redirects by hand: the vendor's auth goes only to its origin."""
        chain = [url]
        while True:
            sent_auth = origin(url) == self._origin
            request = self._client.build_request("GET", url)
            response = await self._client.send(
                request, auth=self._auth if sent_auth else None, stream=True
            )
            try:
                if not response.has_redirect_location:
                    return await self._read(response, sent_auth=sent_auth)
                url = response.url.join(response.headers["Location"])
            finally:
                await response.aclose()
            self._check_redirect(chain, url)
            chain.append(url)

    def _check_redirect(self, chain: list[httpx.URL], url: httpx.URL) -> None:
        if url in chain:
            hops = " -> ".join(str(u) for u in [*chain, url])
            raise FetchError(f"GET {chain[0]}: redirect loop ({hops})")
        if len(chain) > self._limits.max_redirects:
            raise FetchError(
                f"GET {chain[0]}: more than {self._limits.max_redirects} redirects "
                f"(--max-redirects), the last to {url}"
            )

    async def _read(self, response: httpx.Response, *, sent_auth: bool) -> Any:
        """The JSON of a usable response, a Retry, or FetchError."""
        if response.status_code in RETRYABLE_STATUS:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            return Retry(f"HTTP {response.status_code} {response.reason_phrase}", retry_after)
        if response.is_error:
            text = (await self._body(response, limit=200, cut=True)).decode(errors="replace")
            note = "" if sent_auth else " (redirected off the vendor's origin: no credentials sent)"
            raise FetchError(
                f"GET {response.url} returned HTTP {response.status_code} "
                f"{response.reason_phrase}{note}: {' '.join(text.split())}"
            )
        body = await self._body(response, limit=self._limits.max_response_bytes)
        try:
            return json.loads(body)
        except ValueError as error:
            raise FetchError(f"GET {response.url} returned invalid JSON: {error}") from None

    async def _body(self, response: httpx.Response, *, limit: int, cut: bool = False) -> bytes:
        """At most `limit` bytes of the decoded body; beyond it FetchError, or the first `limit`
        bytes when `cut` (an error message's excerpt)."""
        declared = response.headers.get("Content-Length", "")
        if not cut and declared.isdigit() and int(declared) > limit:
            raise self._too_big(response, f"declares {int(declared):,} bytes")
        chunks, size = [], 0
        async for chunk in response.aiter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                if cut:
                    return b"".join(chunks)[:limit]
                raise self._too_big(response, f"passed {limit:,} bytes")
        return b"".join(chunks)

    def _too_big(self, response: httpx.Response, what: str) -> FetchError:
        return FetchError(
            f"GET {response.url}: the response {what}, more than the "
            f"{self._limits.max_response_bytes:,} a page may have (--max-response-mb)"
        )
