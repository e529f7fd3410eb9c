"""Calls: caller, dialled Number and attribution Source resolved in batches, then the chunk's
INSERT left running behind while the next chunk is validated; first-call flags are settled at
the end of the import."""

from typing import Any

from app.core.phone import ParsedPhone
from app.ingest.connection import let_behind_proceed
from app.ingest.context import ImportContext
from app.ingest.first_call import NewCall
from app.ingest.summary import ImportSummary
from app.ingest.upserts import UpsertChanges, carry_out, plan_upsert
from app.models import Call
from app.vendors.rows import CallRow, SourceRef

CALL = Call.__table__


async def write_calls(*, ctx: ImportContext, batch: list[Any], summary: ImportSummary) -> None:
    """Upsert a chunk of calls."""
    pending: list[tuple[int, str, dict[str, Any], str | None, SourceRef | None]] = []
    callers: dict[str, bool] = {}
    numbers: dict[str, tuple[ParsedPhone, int]] = {}
    sources: dict[SourceRef, int] = {}
    for position, external_id, row in batch:
        await let_behind_proceed(position)
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
            callers[caller[0]] = caller[1]
        if dialled is not None:
            numbers[dialled.e164] = (dialled, company_id)
        if row.source is not None:
            sources[row.source] = company_id
        pending.append((position, row.external_id, values, caller and caller[0], row.source))
    await ctx.ensure_callers(callers)
    await ctx.ensure_numbers(numbers)
    await ctx.ensure_sources(sources)
    for _, _, values, caller_e164_, source in pending:
        values["caller_id"] = ctx.callers[caller_e164_] if caller_e164_ else None
        dialled_e164 = values["dialled_e164"]
        values["number_id"] = ctx.numbers[dialled_e164] if dialled_e164 else None
        values["source_id"] = ctx.source_id(source)
    plan = await plan_upsert(ctx, CALL, [(ext, values) for _, ext, values, _, _ in pending])
    await _track_first_calls(ctx, pending, plan)
    await carry_out(ctx, CALL, plan)
    for outcome in plan.outcomes:
        summary.count(outcome)


async def _track_first_calls(ctx: ImportContext, pending: list[Any], plan: UpsertChanges) -> None:
    """Flag the chunk's new calls that become first (before they are written) and note the
    (company, caller) pairs whose stored calls change."""
    created: list[NewCall] = []
    for (position, external_id, values, _, _), outcome in zip(pending, plan.outcomes, strict=True):
        caller_id = values["caller_id"]
        pair = (values["company_id"], caller_id)
        if outcome == "created":
            values["is_first_call"] = False
            if caller_id is not None:
                created.append((pair, position, external_id, values))
        elif outcome == "updated":
            old = plan.existing[external_id]
            if caller_id is not None:
                ctx.first_calls.dirty.add(pair)
            if old["caller_id"] is not None:
                ctx.first_calls.dirty.add((old["company_id"], old["caller_id"]))
    pairs = {pair for pair, _, _, _ in created}
    await ctx.first_calls.read_before(ctx.conn, pairs, new_callers=ctx.new_callers)
    ctx.first_calls.flag(created)


def _resolve_phones(
    ctx: ImportContext, row: CallRow, region: str
) -> tuple[tuple[str, bool] | None, ParsedPhone | None, str | None] | str:
    """(caller (E.164, valid), dialled, endpoint E.164) or the reason to reject. An anonymous,
    empty or unparseable caller is an anonymous call (its raw text stays in caller_raw)."""
    caller = ctx.caller(row.caller, region) if row.caller else None
    dialled = ctx.phone(row.dialled, region) if row.dialled else None
    if row.dialled and dialled is None:
        return f"{row.dialled_field}: not a phone number: {row.dialled!r}"
    endpoint = ctx.phone(row.endpoint, region) if row.endpoint else None
    if row.endpoint and endpoint is None:
        return f"{row.endpoint_field}: not a phone number: {row.endpoint!r}"
    return caller, dialled, endpoint.e164 if endpoint else None
