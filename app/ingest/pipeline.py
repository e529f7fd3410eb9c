"""import_payload: one vendor response in, unified rows upserted in one transaction
(import_prepared: the same for a response validated in a worker process)."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from app.core import metrics
from app.ingest.bulk import BulkRun
from app.ingest.calls import write_calls
from app.ingest.changes import STAMPED, Change, announce, take_stamp
from app.ingest.companies import company_from_argument, ensure_account
from app.ingest.connection import SerialConnection, let_behind_proceed
from app.ingest.context import CommittedIds, ImportContext
from app.ingest.first_call import FirstCalls, KnownFirsts, last_call_id, stored_firsts
from app.ingest.leads import write_leads
from app.ingest.numbers import write_numbers
from app.ingest.process_settings import streaming
from app.ingest.sources import write_sources
from app.ingest.summary import ImportSummary
from app.ingest.validation import Item, Prepared, Validator
from app.models.enums import Vendor
from app.vendors.base import PayloadError, ResourceSpec
from app.vendors.registry import resource_spec

# PostgreSQL: the lock imports into one account take in turn (see _wait_for_other_imports).
IMPORT_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
IMPORT_LOCK_PREFIX = "switchboard import into "
# Records validated, resolved and written together (the fastest of the sizes tried at 1M calls).
CHUNK = 2500

# Checkpoint the WAL every 20,000 pages (80 MB) rather than SQLite's 1,000: an import rewrites
# pages all over the call table's indexes in every transaction, and each checkpoint copies them
# back into the database file. `switchboard import` checkpoints once more when it is done.
WAL_CHECKPOINT_PAGES = 20_000
WRITERS = {
    "sources": write_sources,
    "numbers": write_numbers,
    "calls": write_calls,
    "leads": write_leads,
}


async def import_payload(
    *,
    session_factory: async_sessionmaker[AsyncSession],
    account: str,
    vendor: Vendor,
    resource: str,
    payload: Any,
    company: str | None = None,
    on_progress: Callable[[int], None] | None = None,
    committed: CommittedIds | None = None,
    bulk: BulkRun | None = None,
    shared: AsyncConnection | None = None,
) -> ImportSummary:
    """Import one parsed vendor response in one transaction and report what happened.

    Raises PayloadError (nothing written) when the payload is not the resource's shape or a
    required --company is missing or unknown. `on_progress` receives each chunk's record count.
    Records are validated here, chunk by chunk, while the previous chunk's INSERT runs behind.
    Imports of one run may share `committed` (see CommittedIds); in a bulk run (`bulk`) the
    import is a savepoint of the run's transaction instead of a transaction of its own. With
    `shared` (a group commit, app.ingest.group) it runs in that connection's transaction, which
    holds the account's import turn already; the group commits it and counts its metrics.
    """
    spec = resource_spec(vendor=vendor, resource=resource)
    records = spec.records(payload)
    validator = Validator(spec)

    async def chunks(summary: ImportSummary) -> AsyncIterator[tuple[int, list[Item]]]:
        for start in range(0, len(records), CHUNK):
            chunk = records[start : start + CHUNK]
            items = []
            for position, record in enumerate(chunk, start):
                await let_behind_proceed(position)
                item = validator.check(position, record, summary)
                if item is not None:
                    items.append(item)
            yield len(chunk), items

    return await _import(
        session_factory, account, spec, company=company, chunks=chunks, on_progress=on_progress,
        committed=committed, bulk=bulk, shared=shared,
    )  # fmt: skip


async def import_prepared(
    *,
    session_factory: async_sessionmaker[AsyncSession],
    account: str,
    vendor: Vendor,
    resource: str,
    prepared: Prepared,
    company: str | None = None,
    on_progress: Callable[[int], None] | None = None,
    committed: CommittedIds | None = None,
    bulk: BulkRun | None = None,
) -> ImportSummary:
    """import_payload for a payload validated elsewhere (app.ingest.validation.prepare_file)."""
    spec = resource_spec(vendor=vendor, resource=resource)

    async def chunks(summary: ImportSummary) -> AsyncIterator[tuple[int, list[Item]]]:
        summary.rejected += len(prepared.rejects)
        summary.rejects.extend(prepared.rejects)
        items = iter(prepared.items)
        pending = next(items, None)
        for start in range(0, prepared.count, CHUNK):
            stop = min(start + CHUNK, prepared.count)
            chunk = []
            while pending is not None and pending[0] < stop:
                chunk.append(pending)
                pending = next(items, None)
            yield stop - start, chunk

    return await _import(
        session_factory, account, spec, company=company, chunks=chunks, on_progress=on_progress,
        known_callers=prepared.callers, committed=committed, bulk=bulk,
    )  # fmt: skip


Chunks = Callable[[ImportSummary], AsyncIterator[tuple[int, list[Item]]]]


async def _import(
    session_factory: async_sessionmaker[AsyncSession],
    account: str,
    spec: ResourceSpec,
    **options: Any,
) -> ImportSummary:
    """_write_import, counted in the process's metrics (app.core.metrics); a group commit's
    imports are counted by the group once they have committed."""
    if options.get("shared") is not None:
        return await _write_import(session_factory, account, spec, **options)
    vendor, resource = spec.vendor.value, spec.resource
    try:
        summary = await _write_import(session_factory, account, spec, **options)
    except BaseException:
        metrics.record_failed_import(vendor, resource)
        raise
    metrics.record_import(vendor, resource, ((o, getattr(summary, o)) for o in metrics.OUTCOMES))
    return summary


async def _write_import(
    session_factory: async_sessionmaker[AsyncSession],
    account: str,
    spec: ResourceSpec,
    *,
    company: str | None,
    chunks: Chunks,
    on_progress: Callable[[int], None] | None,
    known_callers: dict[str, tuple[str, bool] | None] | None = None,
    committed: CommittedIds | None = None,
    bulk: BulkRun | None = None,
    shared: AsyncConnection | None = None,
) -> ImportSummary:
    """One transaction (a savepoint of a bulk run): resolve the account and --company, write
    the validated chunks, settle first-call flags. Rejects are reported in position order."""
    vendor, resource = spec.vendor, spec.resource
    if company is None and not spec.names_company:
        raise PayloadError(
            f"{vendor.value} {resource} payloads do not name their company: pass --company "
            "(a Company ID or the vendor's own company id)"
        )
    summary = ImportSummary(resource=resource)
    committed = committed if committed is not None else CommittedIds()
    async with _transaction(session_factory, bulk, shared, account=account) as conn:
        if shared is None:  # a group commit tunes its connection once (app.ingest.group)
            await tune_sqlite(conn)
        ctx = ImportContext(
            conn=SerialConnection(conn),
            account_id=await ensure_account(conn, name=account),
            vendor=vendor,
            known_callers=known_callers or {},
        )
        ctx.callers = dict(committed.callers.get(ctx.account_id, {}))
        ctx.first_calls = FirstCalls(
            known=await _known_firsts(ctx, committed, bulk), lookups=bulk is None
        )
        if company is not None:
            ctx.company_override = await company_from_argument(
                conn, account_id=ctx.account_id, vendor=vendor, company=company
            )
        stamped = STAMPED.get(spec.kind)
        if stamped is not None:
            ctx.stamp = await take_stamp(
                conn, table=stamped, account_id=ctx.account_id, read_last=bulk is None
            )
        try:
            await _write_chunks(ctx, spec, chunks(summary), summary, on_progress)
        except BaseException:
            await ctx.conn.abandon()
            raise
        await ctx.first_calls.apply(
            ctx.conn, account_id=ctx.account_id, vendor=vendor, recompute=bulk is None,
            changed_at=ctx.stamp,
        )  # fmt: skip
        if bulk is not None:
            bulk.dirty |= ctx.first_calls.dirty
        highest_call_id = await last_call_id(ctx.conn)
        change = _change(ctx, stamped, summary)
        if change is not None:
            await announce(conn, change)
    # The transaction (or the bulk run's savepoint) has completed.
    summary.change = change
    committed.callers[ctx.account_id] = ctx.callers
    ctx.first_calls.remember(committed.firsts[ctx.account_id])
    committed.last_call_id = highest_call_id
    summary.rejects.sort(key=lambda reject: reject.position)
    return summary


async def tune_sqlite(conn: AsyncConnection) -> None:
    """SQLite's default 2 MB page cache thrashes on the call table's indexes once it holds a
    few hundred thousand rows. The cache grows only as pages are used, up to 256 MB on this
    connection (faster at 1M calls than 64 MB). Nothing to do on PostgreSQL."""
    if conn.dialect.name == "sqlite":
        await conn.exec_driver_sql("PRAGMA cache_size = -262144")
        await conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")


def _change(ctx: ImportContext, stamped: Table | None, summary: ImportSummary) -> Change | None:
    """What subscribers are told of: stamped rows created or changed (a displaced first call
    is changed too, so an import of new calls that changed nothing else still counts)."""
    if stamped is None or ctx.stamp is None:
        return None
    first_calls = ctx.first_calls
    if not (summary.created or summary.updated or first_calls.unflag_ids or first_calls.dirty):
        return None
    return Change(account_id=ctx.account_id, table=stamped.name, at=ctx.stamp)


async def _known_firsts(
    ctx: ImportContext, committed: CommittedIds, bulk: BulkRun | None
) -> KnownFirsts:
    """The first calls earlier files of the run told, unless another import has written calls
    since (then they are read again); a bulk run's first import reads every first call stored
    before the run (its imports look none up: the indexes are gone)."""
    if committed.last_call_id != await last_call_id(ctx.conn):  # not as the last file left it
        committed.firsts.clear()
    if ctx.account_id not in committed.firsts:
        stored = await stored_firsts(ctx.conn, account_id=ctx.account_id) if bulk else {}
        committed.firsts[ctx.account_id] = stored
    return committed.firsts[ctx.account_id]


@asynccontextmanager
async def _transaction(
    session_factory: async_sessionmaker[AsyncSession],
    bulk: BulkRun | None,
    shared: AsyncConnection | None,
    *,
    account: str,
) -> AsyncIterator[AsyncConnection]:
    """The import's own transaction, its savepoint in the bulk run's (which holds SQLite's
    write lock already), or the group commit's transaction (holding the account's turn)."""
    if shared is not None:
        yield shared
        return
    if bulk is not None:
        async with bulk.savepoint() as conn:
            yield conn
        return
    async with session_factory() as session, session.begin():
        conn = await session.connection()
        await _wait_for_other_imports(conn, account=account)
        yield conn


async def _wait_for_other_imports(conn: AsyncConnection, *, account: str) -> None:
    """Imports into one account take turns, a transaction at a time, so each reads what the
    one before it committed: two that both read a caller's first call before either wrote
    could both flag one. SQLite: the write lock at BEGIN (IMMEDIATE), waiting up to the
    connection's busy_timeout, rather than at the first write, where a transaction that has
    read what another import then changed fails. PostgreSQL: a transaction-scoped advisory lock
    per account (IMPORT_LOCK)."""
    if conn.dialect.name == "sqlite":
        await conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        await conn.execute(IMPORT_LOCK, {"key": f"{IMPORT_LOCK_PREFIX}{account}"})


async def _write_chunks(
    ctx: ImportContext,
    spec: ResourceSpec,
    chunks: AsyncIterator[tuple[int, list[Item]]],
    summary: ImportSummary,
    on_progress: Callable[[int], None] | None,
) -> None:
    """Write the validated chunks; a writer may leave its last statement running behind
    (ctx.conn.run_behind) while the next chunk is validated."""
    write = WRITERS[spec.kind]
    with streaming():
        async for records, items in chunks:
            await write(ctx=ctx, batch=items, summary=summary)
            if on_progress is not None:
                on_progress(records)
    await ctx.conn.settle()
