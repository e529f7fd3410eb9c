"""Change stamps: each import that writes calls or leads stamps the rows it creates or changes
with one time (`imported_at`, `changed_at`), taken once it holds the account's import turn, so
an account's stamps grow in commit order; on PostgreSQL the import announces its change with a
NOTIFY that the database delivers when (and only if) the transaction commits."""

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Table, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from app.models import Call, Lead

# The tables whose changes subscriptions follow, by the resource kind that writes them.
STAMPED: dict[str, Table] = {"calls": Call.__table__, "leads": Lead.__table__}
CHANNEL = "switchboard_changes"
NOTIFY = text("SELECT pg_notify(:channel, :payload)")
TICK = timedelta(microseconds=1)


@dataclass(frozen=True)
class Change:
    """An import's committed change: rows of `table` in `account_id` stamped `at`."""

    account_id: int
    table: str  # "call" or "lead"
    at: datetime

    def payload(self) -> str:
        """What NOTIFY carries: a few ids, far below PostgreSQL's 8,000-byte limit."""
        return json.dumps({"a": self.account_id, "t": self.table, "at": self.at.isoformat()})

    @classmethod
    def from_payload(cls, payload: str) -> "Change":
        """The change a NOTIFY payload names; ValueError (or KeyError) for anything else."""
        data = json.loads(payload)
        at = datetime.fromisoformat(data["at"])
        if at.tzinfo is None or data["t"] not in {t.name for t in STAMPED.values()}:
            raise ValueError(f"not a change payload: {payload!r}")
        return cls(account_id=int(data["a"]), table=str(data["t"]), at=at.astimezone(UTC))


async def take_stamp(
    conn: AsyncConnection, *, table: Table, account_id: int, read_last: bool
) -> datetime:
    """The stamp of an import that holds the account's turn: now (PostgreSQL's clock, shared by
    every instance; this machine's on SQLite), and after the account's last stamp when
    `read_last` (a clock stepped back cannot reorder changes; a bulk run has no index to read
    it by and holds the write lock for the whole run anyway)."""
    if conn.dialect.name == "postgresql":
        now = (await conn.execute(select(func.clock_timestamp()))).scalar_one()
    else:
        now = datetime.now(UTC)
    if read_last:
        stmt = select(func.max(table.c.changed_at)).where(table.c.account_id == account_id)
        last = (await conn.execute(stmt)).scalar()
        if last is not None and last >= now:
            now = last + TICK
    stamp: datetime = now.astimezone(UTC)
    return stamp


def stamp_changes(
    inserts: list[dict[str, Any]], updates: list[dict[str, Any]], at: datetime
) -> None:
    """Stamp an upsert's new rows (imported and changed now) and changed rows (changed now)."""
    for row in inserts:
        row["imported_at"] = row["changed_at"] = at
    for row in updates:
        row["changed_at"] = at


async def announce(conn: AsyncConnection, change: Change) -> None:
    """PostgreSQL: tell every listening server, once the transaction commits (NOTIFY is
    transactional: a rolled-back import announces nothing). SQLite has no such engine: the
    server that ran the import tells its own subscribers (app.live.hub), others poll."""
    if conn.dialect.name == "postgresql":
        await conn.execute(NOTIFY, {"channel": CHANNEL, "payload": change.payload()})
