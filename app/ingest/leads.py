"""TrackDrive leads: caller and traffic Source resolved in batches, then upserted."""

from typing import Any

from app.ingest.context import ImportContext
from app.ingest.summary import ImportSummary
from app.ingest.upserts import upsert_records
from app.models import Lead
from app.vendors.rows import SourceRef

LEAD = Lead.__table__


async def write_leads(*, ctx: ImportContext, batch: list[Any], summary: ImportSummary) -> None:
    """Upsert a chunk of leads; an unparseable caller_id is kept raw with no Caller."""
    pending: list[tuple[str, dict[str, Any], str | None, SourceRef | None]] = []
    callers: dict[str, bool] = {}
    sources: dict[SourceRef, int] = {}
    for _position, _external_id, row in batch:
        company_id, region = await ctx.company(row.company)
        parsed = ctx.caller(row.caller, region) if row.caller else None
        caller = None
        if parsed is not None:
            caller, callers[parsed[0]] = parsed
        if row.source is not None:
            sources[row.source] = company_id
        values = {**row.fields, "company_id": company_id}
        pending.append((row.external_id, values, caller, row.source))
    await ctx.ensure_callers(callers)
    await ctx.ensure_sources(sources)
    rows = []
    for external_id, values, caller, source in pending:
        values["caller_id"] = ctx.callers[caller] if caller else None
        values["source_id"] = ctx.source_id(source)
        rows.append((external_id, values))
    outcomes = await upsert_records(ctx, LEAD, rows)
    for outcome in outcomes:
        summary.count(outcome)
