"""The sync loop: fetch a page, import it, save where to resume, report progress."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import aclosing
from dataclasses import dataclass
from typing import Protocol

import httpx

from app.core import metrics
from app.sync.fetcher import Fetcher, FetchError, RetryPolicy
from app.sync.guard import PagingGuard
from app.sync.limits import SyncLimits
from app.sync.spec import ClientSpec, Fetch, Position, SyncRequest, VendorPage
from app.sync.state import TOTALS, StateStore, SyncFailed, SyncState


class PageSummary(Protocol):
    """What an import of one page reports (app.ingest.ImportSummary has these)."""

    created: int
    updated: int
    unchanged: int
    rejected: int


ImportPage = Callable[..., Awaitable[PageSummary]]  # import_page(*, payload) -> summary


class Progress(Protocol):
    """Counts records as pages complete (app.cli.progress.ProgressTracker is one)."""

    def set_total(self, total: int | None) -> None: ...

    def advance(self, count: int = 1, **counts: int) -> None: ...


@dataclass(frozen=True, kw_only=True)
class SyncResult:
    state: SyncState
    resumed_from: Position | None


async def run_sync(
    *,
    spec: ClientSpec,
    request: SyncRequest,
    fetch: Fetch,
    import_page: ImportPage,
    store: StateStore,
    progress: Progress,
    max_pages: int = SyncLimits().max_pages,
) -> SyncResult:
    """Import every page from where the last run stopped; mark the state finished once
    complete. Holds the sync's lease throughout (StateStore.hold). A page that would make the
    paging loop (app.sync.guard) stops the run before it is imported."""
    async with store.hold():
        state = await store.begin()
        resumed_from = state.next
        labels = (spec.vendor.value, request.resource)
        try:
            await _import_pages(
                spec.pages(fetch=fetch, request=request, start=state.next),
                state=state, store=store, import_page=import_page, progress=progress,
                guard=PagingGuard(max_pages=max_pages), labels=labels,
            )  # fmt: skip
        # app.ingest.PayloadError and app.sync.guard.PagingError are ValueErrors
        except (FetchError, ValueError) as error:
            metrics.SYNC_FAILURES.labels(*labels).inc()
            message = _failure(error, state=state, store=store)
            await store.fail(state, error=message)
            raise SyncFailed(message) from error
        except asyncio.CancelledError:  # the worker stopping (SIGTERM): the next run resumes
            stopped = _failure("stopped by a signal", state=state, store=store)
            await store.fail(state, error=stopped, interrupted=True)
            raise
        await store.succeed(state)
    return SyncResult(state=state, resumed_from=resumed_from)


async def _import_pages(
    pages: AsyncIterator[VendorPage],
    *,
    state: SyncState,
    store: StateStore,
    import_page: ImportPage,
    progress: Progress,
    guard: PagingGuard,
    labels: tuple[str, str],
) -> None:
    done_before = state.records
    async with aclosing(pages):  # type: ignore[type-var]  # the pages are an async generator (it has aclose)
        async for page in pages:
            guard.check(page)
            summary = await import_page(payload=page.payload)
            _advance(state, page=page, summary=summary)
            await store.save(state)  # only after the import committed: never skips a page
            metrics.SYNC_PAGES.labels(*labels).inc()
            _report(progress, page=page, summary=summary, done_before=done_before)


def _advance(state: SyncState, *, page: VendorPage, summary: PageSummary) -> None:
    state.last_completed, state.next = page.at, page.next
    state.pages += 1
    state.records += page.records
    for name in state.totals:
        state.totals[name] += getattr(summary, name)


def _report(
    progress: Progress, *, page: VendorPage, summary: PageSummary, done_before: int
) -> None:
    if page.total is not None:  # the bar counts this run's records, so a resumed run can finish
        progress.set_total(page.total - done_before)
    counts = {name: getattr(summary, name) for name in TOTALS}
    progress.advance(page.records, **counts)


def _failure(error: Exception | str, *, state: SyncState, store: StateStore) -> str:
    done = f"{state.pages} page(s) imported" if state.pages else "no page imported"
    return f"{error}; {done}, {store.resume} (state: {store.where})"


async def sync_vendor(
    *,
    spec: ClientSpec,
    request: SyncRequest,
    base_url: str,
    import_page: ImportPage,
    progress: Progress,
    store: StateStore,
    policy: RetryPolicy = RetryPolicy(),
    limits: SyncLimits = SyncLimits(),
    http_timeout: float = 30.0,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> SyncResult:
    """Sync one vendor resource from `base_url`, resuming any unfinished run `store` holds.
    `http_timeout` bounds each wait for the network; `limits` the request and run as a whole."""
    auth = spec.auth(request.credentials)
    # The Fetcher follows redirects itself, and sends `auth` only to the base URL's origin.
    async with httpx.AsyncClient(
        base_url=base_url, timeout=http_timeout, follow_redirects=False
    ) as client:
        fetch = Fetcher(client=client, auth=auth, policy=policy, limits=limits, sleep=sleep)
        return await run_sync(
            spec=spec,
            request=request,
            fetch=fetch,
            import_page=import_page,
            store=store,
            progress=progress,
            max_pages=limits.max_pages,
        )
