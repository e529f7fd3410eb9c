"""Vendor API sync: fetch a page, import it, record where to resume, report progress.

Each vendor's client module (app/vendors/<vendor>/client.py) knows only its URL, auth and paging
style and exposes a `SPEC`; this module owns the loop, the retry policy and the resume state.
"""

import asyncio
import email.utils
import fcntl
import hashlib
import importlib
import json
import logging
import os
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from contextlib import aclosing, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import httpx

from app.models.enums import Vendor

Position = int | str
"""Where a page starts: a page number, a skip offset or an opaque cursor."""

log = logging.getLogger(__name__)

DEFAULT_STATE_DIR = Path("var") / "sync"
CLIENT_MODULES = {
    Vendor.CALLRAIL: "app.vendors.callrail.client",
    Vendor.FONE_DYNAMICS: "app.vendors.fonedynamics.client",
    Vendor.BUTTER: "app.vendors.butter.client",
    Vendor.TRACKDRIVE: "app.vendors.trackdrive.client",
}


@dataclass(frozen=True, kw_only=True)
class Page:
    """One response page exactly as the vendor sent it, and where the following page starts."""

    payload: Any
    records: int
    at: Position | None  # where this page started (None: the vendor's default first page)
    next: Position | None  # None: this was the last page
    total: int | None = None  # total records, when the vendor says


@dataclass(frozen=True, kw_only=True)
class Credential:
    """A value a vendor client needs, read from its CLI option or else its environment variable."""

    name: str
    env: str
    help: str
    secret: bool = True  # secrets never reach the state file

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")


@dataclass(frozen=True, kw_only=True)
class SyncRequest:
    """What to sync: everything a client needs to build its requests."""

    resource: str
    credentials: Mapping[str, str]
    filters: Mapping[str, str] = field(default_factory=dict)
    page_size: int | None = None
    scope: str | None = None  # a vendor sub-tree, e.g. a Fone Dynamics property


class Fetch(Protocol):
    async def __call__(self, path: str, *, params: Mapping[str, Any]) -> Any: ...


PageIterator = Callable[..., AsyncIterator[Page]]


@dataclass(frozen=True, kw_only=True)
class VendorSpec:
    """Everything the generic sync needs to know about one vendor's API."""

    vendor: Vendor
    resources: tuple[str, ...]
    credentials: tuple[Credential, ...]
    auth: Callable[[Mapping[str, str]], httpx.Auth]
    pages: PageIterator  # pages(*, fetch, request, start) -> AsyncIterator[Page]
    paging_params: frozenset[str]  # owned by the client; refused as --filter
    default_page_size: int | None
    max_page_size: int | None
    scope_option: str | None = None  # a CLI option naming a vendor sub-tree, e.g. "property"
    scope_help: str = ""


def load_spec(vendor: Vendor) -> VendorSpec:
    """Import a vendor's client module lazily (clients import this module for their types)."""
    spec: VendorSpec = importlib.import_module(CLIENT_MODULES[vendor]).SPEC
    return spec


class HeaderAuth(httpx.Auth):
    """Adds fixed headers to every request (API-key style vendors)."""

    def __init__(self, headers: Mapping[str, str]) -> None:
        self._headers = dict(headers)

    def auth_flow(self, request: httpx.Request) -> Any:
        request.headers.update(self._headers)
        yield request


# --- retries ---------------------------------------------------------------------------------

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


# --- resume state ----------------------------------------------------------------------------

TOTALS = ("created", "updated", "unchanged", "rejected")


@dataclass(kw_only=True)
class SyncState:
    """Where an unfinished sync resumes, and what it has done so far."""

    key: dict[str, Any]
    last_completed: Position | None = None
    next: Position | None = None
    pages: int = 0
    records: int = 0
    totals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TOTALS, 0))


class StateStore:
    """One small JSON file per sync key; written atomically after every imported page."""

    def __init__(self, *, directory: Path, key: Mapping[str, Any]) -> None:
        self.key = dict(key)
        digest = hashlib.sha256(json.dumps(self.key, sort_keys=True).encode()).hexdigest()[:16]
        self.path = directory / f"{key['vendor']}-{key['resource']}-{digest}.json".lower()

    def load(self) -> SyncState:
        """The saved state, or a fresh one starting at the first page."""
        if not self.path.exists():
            return SyncState(key=self.key)
        try:
            return SyncState(**json.loads(self.path.read_text()))
        except (ValueError, TypeError) as error:
            raise SyncFailed(f"unreadable state file {self.path} ({error}): delete it") from None

    def save(self, state: SyncState) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".tmp")
        partial.write_text(json.dumps(asdict(state), indent=2))
        os.replace(partial, self.path)  # a crash mid-write never leaves a torn state file

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold this sync's lock file while it runs: a second sync with the same key fails at
        once instead of importing the same pages and overwriting this one's state. The lock
        goes with the process, however it ends; the empty lock file stays."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = self.path.with_suffix(".lock")
        with lock.open("a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise SyncFailed(
                    "another run of this sync (same vendor, resource, account, base URL and "
                    f"options) is going on: it holds {lock}; rerun once it has stopped"
                ) from None
            yield


# --- the loop --------------------------------------------------------------------------------


class PageSummary(Protocol):
    """What an import of one page reports (app.ingest.ImportSummary has these)."""

    created: int
    updated: int
    unchanged: int
    rejected: int


ImportPage = Callable[..., Awaitable[PageSummary]]  # import_page(*, payload) -> summary


class Progress(Protocol):
    """Counts records as pages complete (app.progress.ProgressTracker is one)."""

    def set_total(self, total: int | None) -> None: ...

    def advance(self, count: int = 1, **counts: int) -> None: ...


class SyncFailed(RuntimeError):
    """A sync stopped before its last page; its state file says where a rerun resumes."""


@dataclass(frozen=True, kw_only=True)
class SyncResult:
    state: SyncState
    resumed_from: Position | None


async def run_sync(
    *,
    spec: VendorSpec,
    request: SyncRequest,
    fetch: Fetch,
    import_page: ImportPage,
    store: StateStore,
    progress: Progress,
) -> SyncResult:
    """Import every page from where the last run stopped; clear the state once complete.
    Holds the sync's lock throughout (StateStore.locked)."""
    with store.locked():
        state = store.load()
        resumed_from, resumed_records = state.next, state.records
        pages = spec.pages(fetch=fetch, request=request, start=state.next)
        try:
            async with aclosing(pages):
                async for page in pages:
                    summary = await import_page(payload=page.payload)
                    _advance(state, page=page, summary=summary)
                    store.save(state)  # only after the import committed: never skips a page
                    _report(progress, page=page, summary=summary, done_before=resumed_records)
        except (FetchError, ValueError) as error:  # app.ingest.PayloadError is a ValueError
            raise SyncFailed(_failure(error, state=state, store=store)) from error
        store.clear()
    return SyncResult(state=state, resumed_from=resumed_from)


def _advance(state: SyncState, *, page: Page, summary: PageSummary) -> None:
    state.last_completed, state.next = page.at, page.next
    state.pages += 1
    state.records += page.records
    for name in state.totals:
        state.totals[name] += getattr(summary, name)


def _report(progress: Progress, *, page: Page, summary: PageSummary, done_before: int) -> None:
    if page.total is not None:  # the bar counts this run's records, so a resumed run can finish
        progress.set_total(page.total - done_before)
    counts = {name: getattr(summary, name) for name in TOTALS}
    progress.advance(page.records, **counts)


def _failure(error: Exception, *, state: SyncState, store: StateStore) -> str:
    done = f"{state.pages} page(s) imported" if state.pages else "no page imported"
    return f"{error}; {done}, rerun the same command to resume (state: {store.path})"


async def sync_vendor(
    *,
    spec: VendorSpec,
    request: SyncRequest,
    base_url: str,
    account: str,
    import_page: ImportPage,
    progress: Progress,
    state_dir: Path = DEFAULT_STATE_DIR,
    policy: RetryPolicy = RetryPolicy(),
    http_timeout: float = 30.0,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> SyncResult:
    """Sync one vendor resource from `base_url` into `account`, resuming any unfinished run."""
    store = StateStore(
        directory=state_dir,
        key=state_key(spec=spec, request=request, base_url=base_url, account=account),
    )
    auth = spec.auth(request.credentials)
    # httpx drops the auth header itself when a redirect leaves the vendor's host.
    async with httpx.AsyncClient(
        base_url=base_url, auth=auth, timeout=http_timeout, follow_redirects=True
    ) as client:
        fetch = Fetcher(client=client, policy=policy, sleep=sleep)
        return await run_sync(
            spec=spec,
            request=request,
            fetch=fetch,
            import_page=import_page,
            store=store,
            progress=progress,
        )


def state_key(
    *, spec: VendorSpec, request: SyncRequest, base_url: str, account: str
) -> dict[str, Any]:
    """What identifies one sync: a rerun with the same key resumes; secrets are left out."""
    public = {c.name: request.credentials[c.name] for c in spec.credentials if not c.secret}
    return {
        "account": account,
        "vendor": spec.vendor.value,
        "resource": request.resource,
        "base_url": base_url.rstrip("/"),
        "scope": request.scope,
        "filters": dict(sorted(request.filters.items())),
        "page_size": request.page_size,
        "credentials": public,
    }
