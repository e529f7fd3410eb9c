"""Group commit for webhook imports: requests that arrive while an account's import turn is
busy wait in this process's queue and are then imported together, one after another, in one
transaction that takes the turn once; each is still an import of its own (its own summary,
rejects, stamp and change). Waiting is bounded: a full queue, or a turn not had within
IMPORT_TURN_SECONDS, is ImportBusy (nothing of that request stored)."""

import asyncio
import sqlite3
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from app.core import metrics
from app.core.timeouts import is_statement_timeout
from app.ingest.pipeline import IMPORT_LOCK_PREFIX, import_payload, tune_sqlite
from app.ingest.summary import ImportSummary
from app.models.enums import Vendor

MAX_GROUP = 200  # requests per transaction
RETRY_AFTER_SECONDS = 1
SQLITE_BUSY_MS = 5_000  # app.core.db's busy_timeout, restored once the turn is had
POSTGRES_LOCK_NOT_AVAILABLE = "55P03"
# The account's advisory lock (app.ingest.pipeline.IMPORT_LOCK) waited for at most :wait, the
# connection's lock_timeout restored in the same round trip (OFFSET 0 keeps the order).
BOUNDED_IMPORT_LOCK = text(
    "SELECT set_config('lock_timeout', turn.previous, true) FROM ("
    " SELECT pg_advisory_xact_lock(hashtextextended(:key, 0)) AS locked, previous FROM ("
    "  SELECT current_setting('lock_timeout') AS previous,"
    "   set_config('lock_timeout', :wait, true) AS bounded"
    " ) AS bound OFFSET 0) AS turn"
)


class ImportBusy(Exception):
    """The import was refused before it started: nothing of it was stored; send it again."""

    retry_after = RETRY_AFTER_SECONDS


@dataclass
class Pending:
    """One request's import, waiting for its group."""

    account: str
    vendor: Vendor
    resource: str
    payload: Any
    company: str | None
    deadline: float  # time.monotonic() by which its group must have the turn
    future: asyncio.Future[ImportSummary]
    started: bool = False


@dataclass
class Lane:
    """The queue of one import turn: an account's on PostgreSQL, the database's on SQLite
    (one writer at a time whatever the account)."""

    key: str
    waiting: deque[Pending] = field(default_factory=deque)
    worker: asyncio.Task[None] | None = None


class GroupCommit:
    """Imports webhook payloads, grouping those that wait for the same turn."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        *,
        sqlite: bool,
        turn_seconds: float,
        max_waiting: int,
    ) -> None:
        self.session_factory, self.sqlite = session_factory, sqlite
        self.turn_seconds, self.max_waiting = turn_seconds, max_waiting
        self._lanes: dict[str, Lane] = {}

    async def submit(
        self, *, account: str, vendor: Vendor, resource: str, payload: Any, company: str | None
    ) -> ImportSummary:
        """The import's summary once its group has committed; ImportBusy if it could not start
        in time; PayloadError and database errors as import_payload raises them."""
        lane = self._lanes.setdefault(
            "" if self.sqlite else account, Lane("" if self.sqlite else account)
        )
        if len(lane.waiting) >= self.max_waiting:
            raise ImportBusy(
                f"{len(lane.waiting)} imports already wait for this account's turn "
                "(MAX_QUEUED_IMPORTS): nothing was stored"
            )
        loop = asyncio.get_running_loop()
        pending = Pending(account, vendor, resource, payload, company,
                          time.monotonic() + self.turn_seconds, loop.create_future())  # fmt: skip
        lane.waiting.append(pending)
        if lane.worker is None:
            lane.worker = asyncio.create_task(self._drain(lane))
        return await self._outcome(lane, pending)

    async def _outcome(self, lane: Lane, pending: Pending) -> ImportSummary:
        """Wait for the group; past the deadline a request not yet started leaves the queue
        (refused), one already started is waited for (it may be committing)."""
        await asyncio.wait({pending.future}, timeout=self.turn_seconds)
        if not pending.future.done() and not pending.started:
            lane.waiting.remove(pending)
            pending.future.cancel()
            raise self._late()
        return await pending.future

    def _late(self) -> ImportBusy:
        return ImportBusy(
            f"the account's import turn was not had within {self.turn_seconds:g} s "
            "(IMPORT_TURN_SECONDS): nothing was stored"
        )

    async def _drain(self, lane: Lane) -> None:
        """Import the lane's waiting requests a group at a time until none waits."""
        try:
            while lane.waiting:
                group: list[Pending] = []
                while lane.waiting and len(group) < MAX_GROUP:
                    pending = lane.waiting.popleft()
                    pending.started = True
                    group.append(pending)
                await self._commit(lane.key, group)
        finally:
            lane.worker = None

    async def _commit(self, key: str, group: list[Pending]) -> None:
        """One transaction for the group; if any import in it fails, the transaction rolls
        back and each request is imported alone, so one bad request fails only itself."""
        live = [p for p in group if not p.future.done()]
        if not live:
            return
        try:
            summaries = await self._together(key, live)
        except ImportBusy as exc:
            _fail(live, exc)
            return
        except Exception as exc:
            if len(live) == 1:
                _fail(live, exc)
                return
            for pending in live:
                await self._commit(key, [pending])
            return
        for pending, summary in zip(live, summaries, strict=True):
            _count(pending, summary)
            if not pending.future.done():
                pending.future.set_result(summary)

    async def _together(self, key: str, group: list[Pending]) -> list[ImportSummary]:
        wait = max(p.deadline for p in group) - time.monotonic()
        async with self.session_factory() as session, session.begin():
            conn = await session.connection()
            await self._take_turn(conn, key, wait)
            summaries = []
            for pending in group:
                summary = await import_payload(
                    session_factory=self.session_factory, account=pending.account,
                    vendor=pending.vendor, resource=pending.resource, payload=pending.payload,
                    company=pending.company, shared=conn,
                )  # fmt: skip
                summaries.append(summary)
        return summaries

    async def _take_turn(self, conn: AsyncConnection, key: str, wait: float) -> None:
        """The turn, waited for at most `wait` seconds (ImportBusy past it)."""
        milliseconds = max(1, int(wait * 1000))
        try:
            if self.sqlite:
                await conn.exec_driver_sql(f"PRAGMA busy_timeout = {milliseconds}")
                await conn.exec_driver_sql("BEGIN IMMEDIATE")
                await conn.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
                await tune_sqlite(conn)
            else:
                params = {"key": f"{IMPORT_LOCK_PREFIX}{key}", "wait": f"{milliseconds}ms"}
                await conn.execute(BOUNDED_IMPORT_LOCK, params)
        except sa_exc.DBAPIError as exc:
            if _is_busy(exc):
                raise self._late() from exc
            raise


def _is_busy(error: sa_exc.DBAPIError) -> bool:
    """A lock not had in time: PostgreSQL's lock or statement timeout, SQLite's busy."""
    if getattr(error.orig, "sqlstate", None) == POSTGRES_LOCK_NOT_AVAILABLE:
        return True
    if is_statement_timeout(error):
        return True
    return isinstance(error.orig, sqlite3.OperationalError) and "locked" in str(error.orig)


def _fail(group: list[Pending], error: BaseException) -> None:
    for pending in group:
        metrics.record_failed_import(pending.vendor.value, pending.resource)
        if not pending.future.done():
            pending.future.set_exception(error)


def _count(pending: Pending, summary: ImportSummary) -> None:
    outcomes = ((o, getattr(summary, o)) for o in metrics.OUTCOMES)
    metrics.record_import(pending.vendor.value, pending.resource, outcomes)
