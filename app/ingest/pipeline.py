"""import_payload: one vendor response in, unified rows upserted in one transaction."""

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.ingest.behind import SerialConnection, let_behind_proceed
from app.ingest.calls import write_calls
from app.ingest.companies import company_from_argument, ensure_account
from app.ingest.context import ImportContext
from app.ingest.leads import write_leads
from app.ingest.numbers import write_numbers
from app.ingest.sources import write_sources
from app.ingest.streaming import streaming
from app.ingest.summary import ImportSummary
from app.models.enums import Vendor
from app.vendors import resource_spec
from app.vendors.base import PayloadError, ResourceSpec, error_reason

# Records validated, resolved and written together (1M calls: 1,000 -> 10,222 calls/s,
# 2,500 -> 10,642, 5,000 -> 10,338).
CHUNK = 2500

# Checkpoint the WAL every 20,000 pages (80 MB) rather than SQLite's 1,000: an import rewrites
# pages all over the call table's indexes in every transaction, and each checkpoint copies them
# back into the database file (measured over 1M calls: 8,233 -> 10,066 calls/s with the shorter
# GIL switch interval). `switchboard import` checkpoints once more when it is done.
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
) -> ImportSummary:
    """Import one parsed vendor response in one transaction and report what happened.

    Raises PayloadError (nothing written) when the payload is not the resource's shape or a
    required --company is missing or unknown. `on_progress` receives each chunk's record count.
    """
    spec = resource_spec(vendor=vendor, resource=resource)
    records = spec.records(payload)
    if company is None and not spec.names_company:
        raise PayloadError(
            f"{vendor.value} {resource} payloads do not name their company: pass --company "
            "(a Company ID or the vendor's own company id)"
        )
    summary = ImportSummary(resource=resource)
    async with session_factory() as session, session.begin():
        conn = await session.connection()
        if conn.dialect.name == "sqlite":
            # SQLite's default 2 MB page cache thrashes on the call table's indexes once it
            # holds a few hundred thousand rows. The cache grows only as pages are used, up to
            # 256 MB on this connection (measured: 1M calls 15% faster than with 64 MB).
            await conn.exec_driver_sql("PRAGMA cache_size = -262144")
            await conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
        ctx = ImportContext(
            conn=SerialConnection(conn),
            account_id=await ensure_account(conn, name=account),
            vendor=vendor,
        )
        if company is not None:
            ctx.company_override = await company_from_argument(
                conn, account_id=ctx.account_id, vendor=vendor, company=company
            )
        try:
            await _write_chunks(ctx, spec, records, summary, on_progress)
        except BaseException:
            await ctx.conn.abandon()
            raise
        await ctx.first_calls.apply(ctx.conn, account_id=ctx.account_id, vendor=vendor)
    return summary


async def _write_chunks(
    ctx: ImportContext,
    spec: ResourceSpec,
    records: list[Any],
    summary: ImportSummary,
    on_progress: Callable[[int], None] | None,
) -> None:
    """Validate and write the records chunk by chunk; a writer may leave its last statement
    running behind (ctx.conn.run_behind) while the next chunk is validated."""
    write = WRITERS[spec.kind]
    with streaming():
        for start in range(0, len(records), CHUNK):
            chunk = records[start : start + CHUNK]
            batch = await _validate(ctx, spec, chunk, start, summary)
            await write(ctx=ctx, batch=batch, summary=summary)
            if on_progress is not None:
                on_progress(len(chunk))
    await ctx.conn.settle()




async def _validate(
    ctx: ImportContext, spec: ResourceSpec, chunk: list[Any], start: int, summary: ImportSummary
) -> list[tuple[int, str | None, Any]]:
    """(position, vendor id, unified row) for each good record; the others become rejects."""
    batch = []
    for position, record in enumerate(chunk, start):
        await let_behind_proceed(position)
        external_id = record_id(record, spec.id_field)
        if not isinstance(record, dict):
            reason = f"record: expected an object, got {type(record).__name__}"
            summary.reject(position=position, external_id=None, reason=reason)
            continue
        try:
            row = spec.map_record(spec.model.model_validate(record))
        except ValidationError as exc:
            summary.reject(position=position, external_id=external_id, reason=error_reason(exc))
            continue
        key = getattr(row, "external_id", None)
        if key is not None:
            if key in ctx.seen:
                reason = f"{spec.id_field}: duplicate of record {ctx.seen[key]} of this payload"
                summary.reject(position=position, external_id=external_id, reason=reason)
                continue
            ctx.seen[key] = position
        batch.append((position, external_id, row))
    return batch


def record_id(record: Any, id_field: str) -> str | None:
    """The vendor's id of a raw record, when it has a usable one."""
    if isinstance(record, dict):
        value = record.get(id_field)
        if isinstance(value, str | int) and not isinstance(value, bool):
            return str(value)
    return None
