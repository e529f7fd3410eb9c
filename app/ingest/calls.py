"""Calls: caller, dialled Number and attribution Source resolved in batches, then one
executemany per chunk; the first-call flags of the touched callers are recomputed at the end."""

from typing import Any

from app.ingest.context import ImportContext
from app.ingest.records import upsert_records
from app.ingest.summary import ImportSummary
from app.models import Call
from app.phone import ParsedPhone
from app.vendors.rows import CallRow, SourceRef

CALL = Call.__table__


async def write_calls(*, ctx: ImportContext, batch: list[Any], summary: ImportSummary) -> None:
    """Upsert a chunk of calls."""
    pending: list[tuple[str, dict[str, Any], ParsedPhone | None, SourceRef | None]] = []
    callers: dict[str, ParsedPhone] = {}
    numbers: dict[str, tuple[ParsedPhone, int]] = {}
    sources: dict[SourceRef, int] = {}
    for position, external_id, row in batch:
        company_id, region = await ctx.company(row.company)
        resolved = _resolve_phones(ctx, row, region)
        if isinstance(resolved, str):
            summary.reject(position=position, external_id=external_id, reason=resolved)
            continue
        caller, dialled, endpoint = resolved
        values = row.fields
        values["company_id"] = company_id
        values["dialled_e164"] = dialled.e164 if dialled else None
        values["endpoint_e164"] = endpoint
        if caller is not None:
            callers[caller.e164] = caller
        if dialled is not None:
            numbers[dialled.e164] = (dialled, company_id)
        if row.source is not None:
            sources[row.source] = company_id
        pending.append((row.external_id, values, caller, row.source))
    await ctx.ensure_callers(callers)
    await ctx.ensure_numbers(numbers)
    await ctx.ensure_sources(sources)
    for _, values, caller, source in pending:
        values["caller_id"] = ctx.callers[caller.e164] if caller else None
        dialled_e164 = values["dialled_e164"]
        values["number_id"] = ctx.numbers[dialled_e164] if dialled_e164 else None
        values["source_id"] = ctx.source_id(source)
    rows = [(external_id, values) for external_id, values, _, _ in pending]
    outcomes, existing = await upsert_records(ctx, CALL, rows)
    for (external_id, values), outcome in zip(rows, outcomes, strict=True):
        summary.count(outcome)
        if outcome == "unchanged":
            continue
        if values["caller_id"] is not None:
            ctx.first_call_pairs.add((values["company_id"], values["caller_id"]))
        old = existing.get(external_id)
        if old is not None and old["caller_id"] is not None:
            ctx.first_call_pairs.add((old["company_id"], old["caller_id"]))


def _resolve_phones(
    ctx: ImportContext, row: CallRow, region: str
) -> tuple[ParsedPhone | None, ParsedPhone | None, str | None] | str:
    """(caller, dialled, endpoint E.164) or the reason to reject. An anonymous, empty or
    unparseable caller is an anonymous call (its raw text stays in caller_raw)."""
    caller = ctx.phone(row.caller, region) if row.caller else None
    dialled = ctx.phone(row.dialled, region) if row.dialled else None
    if row.dialled and dialled is None:
        return f"{row.dialled_field}: not a phone number: {row.dialled!r}"
    endpoint = ctx.phone(row.endpoint, region) if row.endpoint else None
    if row.endpoint and endpoint is None:
        return f"{row.endpoint_field}: not a phone number: {row.endpoint!r}"
    return caller, dialled, endpoint.e164 if endpoint else None
