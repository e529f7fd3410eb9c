"""CallRail sources: the Source row and, through it, its tracking Numbers."""

from typing import Any

from app.ingest.context import SOURCE, ImportContext
from app.ingest.numbers import NumberItem, upsert_numbers
from app.ingest.records import upsert_records
from app.ingest.sql import rows_by_key
from app.ingest.summary import ImportSummary, Outcome
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
    for index, item in numbers.values():
        item.source_id = ids[records[index][0]]["id"]
    number_outcomes = await upsert_numbers(ctx, [item for _, item in numbers.values()])
    touched = {
        index
        for (index, _), outcome in zip(numbers.values(), number_outcomes, strict=True)
        if outcome != "unchanged"
    }
    for index, outcome in enumerate(outcomes):
        final: Outcome = "updated" if outcome == "unchanged" and index in touched else outcome
        summary.count(final)
