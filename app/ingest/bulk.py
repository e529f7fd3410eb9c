"""Bulk loading (SQLite): a `switchboard import` of calls that is large next to the calls already
stored runs as one transaction. The call table's secondary indexes are dropped at its start and
built again at its end, inside that transaction; each file runs in a savepoint, so a file that
fails still changes nothing and the others go on. First calls are flagged as the calls go in,
from what the run knows (app.ingest.first_call); calls that moved are recomputed at the end.

Why: each call inserted into the indexed table updates nine B-trees; bare SQLite inserts into
the table with only its primary and unique keys about three times as fast, and builds the seven
other indexes from sorted data afterwards (the README has the measurements).

What it costs: nothing of the run is visible to readers before the end (they keep reading the
indexed table as it was: SQLite's DDL is transactional), a crash or a failure at the end leaves
nothing of the run (a rerun is safe, as for one file), and other writers wait for the whole run
rather than one file. So it is chosen on its own only for runs of many calls into a call table
that holds fewer (rebuilding the indexes is a sort of the whole table); --bulk and --no-bulk
decide it explicitly."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.ingest.first_call import Pair, last_call_id, recompute_first_calls

# A Fone Dynamics call takes 0.9-1.5 KB of JSON: a run's call count is estimated at a KB each.
BYTES_PER_CALL = 1024
# Below this the run is short whichever way it goes: keep a transaction per file.
BULK_MIN_BYTES = 32 * 2**20


class BulkRefused(Exception):
    """--bulk asked for where it does not apply."""


@dataclass
class BulkRun:
    """The run's connection, in its transaction, and what it leaves to its end."""

    conn: AsyncConnection
    indexes: list[tuple[str, str]] = field(default_factory=list)  # (name, CREATE INDEX ...)
    dirty: set[Pair] = field(default_factory=set)  # first calls to recompute at the end

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[AsyncConnection]:
        """One file's part of the run: released when it completes, rolled back when it fails."""
        async with self.conn.begin_nested():
            yield self.conn


async def bulk_wanted(
    engine: AsyncEngine,
    *,
    asked: bool | None,
    resource_kind: str,
    files: list[Path],
    min_bytes: int = BULK_MIN_BYTES,
    bytes_per_call: int = BYTES_PER_CALL,
) -> bool:
    """Whether to load in bulk: as asked (refusing where it cannot apply), else when the files
    hold at least min_bytes and more calls, at bytes_per_call, than the table stores."""
    applies = engine.dialect.name == "sqlite" and resource_kind == "calls"
    if asked is not None:
        if asked and not applies:
            raise BulkRefused("--bulk applies to calls imports into SQLite only")
        return asked
    if not applies:
        return False
    size = sum(path.stat().st_size for path in files if path.is_file())
    if size < min_bytes:
        return False
    async with engine.connect() as conn:
        stored = await last_call_id(conn) or 0
    return stored < size // bytes_per_call


@asynccontextmanager
async def bulk_run(engine: AsyncEngine) -> AsyncIterator[BulkRun]:
    """Take SQLite's write lock, drop the call table's secondary indexes, yield; at the end,
    build them again, recompute the first calls of pairs whose calls moved, commit. An error
    anywhere rolls it all back (the indexes too)."""
    async with engine.connect() as conn:
        await conn.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock now, not at the first INSERT
        run = BulkRun(conn=conn, indexes=await _secondary_indexes(conn))
        for name, _ in run.indexes:
            await conn.exec_driver_sql(f'DROP INDEX "{name}"')
        yield run
        for _, create in run.indexes:
            await conn.exec_driver_sql(create)
        await recompute_first_calls(conn, pairs=run.dirty)
        if await _has_statistics(conn):
            await conn.exec_driver_sql("ANALYZE call")  # the dropped indexes' rows went with them
        try:
            await conn.commit()
        except BaseException:
            await conn.rollback()  # a COMMIT that SQLite refuses leaves the transaction open
            raise


async def _secondary_indexes(conn: AsyncConnection) -> list[tuple[str, str]]:
    """The call table's indexes as the database has them (the unique key's, which the import
    reads to tell new calls from stored ones, stays: it has no CREATE statement)."""
    result: Any = await conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'call' "
        "AND sql IS NOT NULL ORDER BY name"
    )
    return [(name, sql) for name, sql in result]


async def _has_statistics(conn: AsyncConnection) -> bool:
    result = await conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
    )
    return result.first() is not None
