"""CallRail sources: the Source row and, through it, its tracking Numbers (the whole list: a
number no longer listed loses the source)."""

from typing import Any

from sqlalchemy import select

from app.ingest.context import NUMBER, SOURCE, ImportContext
from app.ingest.numbers import NumberItem, upsert_numbers
from app.ingest.sql import chunked, rows_by_key, update_rows
from app.ingest.summary import ImportSummary, Outcome
from app.ingest.upserts import upsert_records
from app.models.timestamps import utcnow
from app.vendors.rows import SourceRow


def _prepare(
    ctx: ImportContext, row: SourceRow, company: tuple[int, str]
) -> tuple[dict[str, Any], list[NumberItem]] | str:
    """Source column values and parsed tracking numbers, or the reason to reject the record."""
    company_id, region = company
    destination = ctx.phone(row.destination, region) if row.destination else None
    if row.destination and destination is None:
        return f"{row.destination_field}: not a phone number: {row.destination!r}"
    endpoint = destination.e164 if destination else None
    items = []
    for number in row.numbers:
        parsed = ctx.phone(number.phone, region)
        if parsed is None:
            return f"{number.phone_field}: not a phone number: {number.phone!r}"
        items.append(
            NumberItem(row=number, parsed=parsed, company_id=company_id, endpoint_e164=endpoint)
        )
    values = {**row.fields, "company_id": company_id, "destination_e164": endpoint}
    return values, items


async def write_sources(*, ctx: ImportContext, batch: list[Any], summary: ImportSummary) -> None:
    """Upsert sources, then their numbers; a source whose numbers changed counts as updated."""
    records: list[tuple[str, dict[str, Any]]] = []
    numbers: dict[str, tuple[int, NumberItem]] = {}  # E.164 -> (record index, item); last wins
    for position, external_id, row in batch:
        prepared = _prepare(ctx, row, await ctx.company(row.company))
        if isinstance(prepared, str):
            summary.reject(position=position, external_id=external_id, reason=prepared)
            continue
        values, items = prepared
        for item in items:
            numbers[item.parsed.e164] = (len(records), item)
        records.append((row.external_id, values))
    outcomes = await upsert_records(ctx, SOURCE, records)
    ids = await rows_by_key(
        ctx.conn,
        SOURCE,
        key="external_id",
        keys=[ext for ext, _ in records],
        where={"account_id": ctx.account_id, "vendor": ctx.vendor},
    )
    source_ids = [ids[external_id]["id"] for external_id, _ in records]
    listed: dict[int, set[str]] = {source_id: set() for source_id in source_ids}
    for e164, (index, item) in numbers.items():
        item.source_id = source_ids[index]
        listed[item.source_id].add(e164)
    number_outcomes = await upsert_numbers(ctx, [item for _, item in numbers.values()])
    released = await _release_unlisted_numbers(ctx, listed)
    touched = {
        index
        for (index, _), outcome in zip(numbers.values(), number_outcomes, strict=True)
        if outcome != "unchanged"
    } | {index for index, source_id in enumerate(source_ids) if source_id in released}
    for index, outcome in enumerate(outcomes):
        final: Outcome = "updated" if outcome == "unchanged" and index in touched else outcome
        summary.count(final)


async def _release_unlisted_numbers(ctx: ImportContext, listed: dict[int, set[str]]) -> set[int]:
    """A source's tracking numbers are the whole list: a number that carries the source but is
    no longer listed loses it (the number itself stays). The ids of the sources that lost one."""
    released: list[tuple[int, int]] = []  # (number id, source id)
    for chunk in chunked(sorted(listed)):
        stmt = select(NUMBER.c.id, NUMBER.c.source_id, NUMBER.c.e164).where(
            NUMBER.c.account_id == ctx.account_id, NUMBER.c.source_id.in_(chunk)
        )
        for number_id, source_id, e164 in await ctx.conn.execute(stmt):
            if e164 not in listed[source_id]:
                released.append((number_id, source_id))
    now = utcnow()
    await update_rows(
        ctx.conn, NUMBER, [{"id": number_id, "source_id": None, "updated_at": now}
                           for number_id, _ in released],
    )  # fmt: skip
    return {source_id for _, source_id in released}
