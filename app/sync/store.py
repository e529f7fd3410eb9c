"""The sync state store in the database: one sync_state row per sync key, saved after every
imported page, held under a lease (app.sync.lease) renewed while the sync runs."""

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.ingest.companies import ensure_account
from app.ingest.sql import insert_ignoring_conflicts
from app.sync.lease import DEFAULT_LEASE_SECONDS, STATE, Lease, new_owner, now
from app.sync.spec import Position
from app.sync.state import TOTALS, SyncBusy, SyncFailed, SyncState, canonical, key_hash

log = logging.getLogger(__name__)
RESUMABLE = ("running", "failed")  # a run that ended any other way starts again at page one
ERROR_CHARS = 2000


@dataclass(frozen=True, kw_only=True)
class Cadence:
    """When a scheduled sync runs next: `interval` after a success; after a failure, after
    `failure_backoff` seconds doubling with each failure in a row, never later than `interval`."""

    interval: float
    failure_backoff: float = 60.0

    def after_failure(self, failures: int) -> float:
        return float(min(self.interval, self.failure_backoff * 2 ** max(0, failures - 1)))


async def ensure_state_row(conn: AsyncConnection, *, key: dict[str, Any]) -> str:
    """The key's sync_state row, inserted if missing; returns its key hash."""
    digest = key_hash(key)
    account_id = await ensure_account(conn, name=key["account"])
    row = {
        "account_id": account_id, "key_hash": digest, "key": canonical(key),
        "vendor": key["vendor"], "resource": key["resource"], "status": "idle",
        **dict.fromkeys(("pages", "records", "failures", *TOTALS), 0),
    }  # fmt: skip
    await conn.execute(insert_ignoring_conflicts(conn, STATE).values(row))
    return digest


class DatabaseStateStore:
    """app.sync.state.StateStore over sync_state. With a `cadence` the store serves a scheduled
    run: its lease is taken only while the run is due, and its end sets when the next is."""

    def __init__(
        self,
        *,
        engine: AsyncEngine,
        key: dict[str, Any],
        owner: str | None = None,
        lease_seconds: float = DEFAULT_LEASE_SECONDS,
        cadence: Cadence | None = None,
    ) -> None:
        self.engine = engine
        self.key = key
        self.lease = Lease(
            key_hash=key_hash(key), owner=owner or new_owner(), seconds=lease_seconds
        )
        self.cadence = cadence
        self.where = f"sync_state {self.lease.key_hash[:12]} in the database"
        self.resume = "its next run resumes" if cadence else "rerun the same command to resume"
        self._failures = 0

    @asynccontextmanager
    async def hold(self) -> AsyncIterator[None]:
        """The sync's lease for the block, renewed in the background; SyncBusy if taken."""
        async with self.engine.begin() as conn:
            await ensure_state_row(conn, key=self.key)
            taken = await self.lease.take(conn, due_only=self.cadence is not None)
        if not taken:
            raise SyncBusy(await self._busy())
        renewer = asyncio.create_task(self._keep_renewed())
        try:
            yield
        finally:
            renewer.cancel()
            with suppress(asyncio.CancelledError):
                await renewer
            async with self.engine.begin() as conn:
                await self.lease.release(conn)

    async def begin(self) -> SyncState:
        """Where this run starts: the saved position of an unfinished run, else page one."""
        row = await self._row()
        self._failures = row["failures"]
        state = SyncState(key=self.key)
        if row["status"] in RESUMABLE:
            state = self._resumed(row)
        await self._write(status="running", started_at=now())
        return state

    def _resumed(self, row: RowMapping) -> SyncState:
        try:
            return _state_of(row, key=self.key)
        except ValueError as error:
            raise SyncFailed(
                f"unreadable saved state in {self.where} ({error}): delete its sync_state row "
                f"(key_hash {self.lease.key_hash}) to start again at page one"
            ) from None

    async def save(self, state: SyncState) -> None:
        await self._write(**_columns(state))

    async def succeed(self, state: SyncState) -> None:
        at = now()
        done = {**_columns(state), "last_completed": None, "next_position": None}
        await self._write(
            **done, status="succeeded", finished_at=at, last_error=None, failures=0,
            **self._next_run(at, seconds=self.cadence.interval if self.cadence else None),
        )  # fmt: skip

    async def fail(self, state: SyncState, *, error: str, interrupted: bool = False) -> None:
        """Record a failed run; unless `interrupted`, a scheduled one backs off."""
        at, failures = now(), self._failures + (0 if interrupted else 1)
        backoff = (
            self.cadence.after_failure(failures) if self.cadence and not interrupted else None
        )
        await self._write(
            **_columns(state), status="failed", finished_at=at, last_error=error[:ERROR_CHARS],
            failures=failures, **self._next_run(at, seconds=backoff),
        )  # fmt: skip

    def _next_run(self, at: datetime, *, seconds: float | None) -> dict[str, datetime]:
        return {} if seconds is None else {"next_run_at": at + timedelta(seconds=seconds)}

    async def _write(self, **values: Any) -> None:
        """Update the row (renewing the lease) if the lease is still ours, else SyncFailed."""
        async with self.engine.begin() as conn:
            if await self.lease.renew(conn, **values):
                return
        raise SyncFailed(
            f"this process lost the sync's lease ({self.lease.seconds:g}s without renewal): "
            "another run may have taken it over; stopped without saving"
        )

    async def _keep_renewed(self) -> None:
        """Renew the lease between pages, so a slow page does not let it expire."""
        while True:
            await asyncio.sleep(self.lease.renew_every)
            try:
                async with self.engine.begin() as conn:
                    if not await self.lease.renew(conn):
                        log.warning("lost the lease of %s", self.where)
                        return
            except Exception as error:  # a busy database: the next renewal may work
                log.warning("could not renew the lease of %s: %s", self.where, error)

    async def _row(self) -> RowMapping:
        async with self.engine.connect() as conn:
            stmt = select(STATE).where(STATE.c.key_hash == self.lease.key_hash)
            return (await conn.execute(stmt)).mappings().one()

    async def _busy(self) -> str:
        row = await self._row()
        if row["lease_owner"] is None or row["lease_owner"] == self.lease.owner:
            return "this sync is not due yet (another worker has just run it)"
        until = row["lease_expires_at"]
        return (
            "another run of this sync (same vendor, resource, account, base URL and options) "
            f"is going on: {row['lease_owner']} holds its lease until "
            f"{until:%Y-%m-%d %H:%M:%S} UTC; rerun once it has stopped"
        )


def _position(value: str | None) -> Position | None:
    return None if value is None else json.loads(value)


def _json(position: Position | None) -> str | None:
    return None if position is None else json.dumps(position)


def _state_of(row: RowMapping, *, key: dict[str, Any]) -> SyncState:
    return SyncState(
        key=key,
        last_completed=_position(row["last_completed"]),
        next=_position(row["next_position"]),
        pages=row["pages"],
        records=row["records"],
        totals={name: row[name] for name in TOTALS},
    )


def _columns(state: SyncState) -> dict[str, Any]:
    """A state as sync_state columns; positions as JSON so numbers stay numbers."""
    return {
        "last_completed": _json(state.last_completed),
        "next_position": _json(state.next),
        "pages": state.pages,
        "records": state.records,
        **state.totals,
    }
