"""Numbers: one row per account and E.164 whichever vendors report it. Each vendor writes only
the columns it owns and adds its NumberLink, so a second vendor merges into the first's row."""

from dataclasses import dataclass
from typing import Any

from app.core.phone import ParsedPhone
from app.ingest.context import NUMBER, NUMBER_LINK, SOURCE, ImportContext
from app.ingest.sql import changed_columns, insert_rows, rows_by_key, update_rows
from app.ingest.summary import ImportSummary, Outcome
from app.models.timestamps import utcnow
from app.vendors.rows import NumberRow


@dataclass(slots=True)
class NumberItem:
    """A NumberRow with its phone parsed and its company and source resolved."""

    row: NumberRow
    parsed: ParsedPhone
    company_id: int
    source_id: int | None = None
    endpoint_e164: str | None = None

    def owned_values(self) -> dict[str, Any]:
        """The columns this vendor sets; source and endpoint only when the vendor names one."""
        values = dict(self.row.fields)
        if self.row.number_type is not None:
            values["number_type"] = self.row.number_type
        if self.source_id is not None:
            values["source_id"] = self.source_id
        if self.endpoint_e164 is not None:
            values["endpoint_e164"] = self.endpoint_e164
        return values


async def upsert_numbers(ctx: ImportContext, items: list[NumberItem]) -> list[Outcome]:
    """Insert or merge each item's Number (E.164s must be distinct) and link it to its vendor."""
    values = [item.owned_values() for item in items]
    existing = await rows_by_key(
        ctx.conn,
        NUMBER,
        key="e164",
        keys=[item.parsed.e164 for item in items],
        where={"account_id": ctx.account_id},
        columns={name for v in values for name in v},
    )
    foreign = await _other_vendors_sources(ctx, existing.values())
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    outcomes: list[Outcome] = []
    for item, owned in zip(items, values, strict=True):
        old = existing.get(item.parsed.e164)
        if old is not None and old.get("source_id") in foreign:
            # Another vendor's source stays: otherwise CallRail and Fone Dynamics, both naming a
            # source for the number, would move it back and forth on every import.
            owned = {name: value for name, value in owned.items() if name != "source_id"}
        if old is None:
            inserts.append(_new_number(ctx, item) | owned)
            outcomes.append("created")
            continue
        changes = changed_columns(old, owned)
        if changes:
            updates.append({"id": old["id"], **changes, "updated_at": utcnow()})
        outcomes.append("updated" if changes else "unchanged")
    await insert_rows(ctx.conn, NUMBER, inserts, ignore_conflicts=True)
    await update_rows(ctx.conn, NUMBER, updates)
    ctx.numbers |= {e164: row["id"] for e164, row in existing.items()}
    if inserts:
        created = await rows_by_key(
            ctx.conn,
            NUMBER,
            key="e164",
            keys=[row["e164"] for row in inserts],
            where={"account_id": ctx.account_id},
        )
        ctx.numbers |= {e164: row["id"] for e164, row in created.items()}
    relinked = await _link(ctx, items)
    return [
        "updated" if outcome == "unchanged" and index in relinked else outcome
        for index, outcome in enumerate(outcomes)
    ]


async def _other_vendors_sources(ctx: ImportContext, rows: Any) -> set[int]:
    """Which of these numbers' current sources were named by a vendor other than this one."""
    source_ids = {row["source_id"] for row in rows if row.get("source_id") is not None}
    if not source_ids:
        return set()
    sources = await rows_by_key(
        ctx.conn,
        SOURCE,
        key="id",
        keys=source_ids,
        where={"account_id": ctx.account_id},
        columns=["vendor"],
    )
    return {source_id for source_id, row in sources.items() if row["vendor"] != ctx.vendor}


def _new_number(ctx: ImportContext, item: NumberItem) -> dict[str, Any]:
    # The first vendor to report a number gives it its company; type comes from phonenumbers
    # unless a vendor states it.
    return {
        "account_id": ctx.account_id,
        "company_id": item.company_id,
        "e164": item.parsed.e164,
        "is_valid": item.parsed.is_valid,
        "number_type": item.parsed.number_type,
    }


async def _link(ctx: ImportContext, items: list[NumberItem]) -> set[int]:
    """Create or repoint each item's NumberLink, keeping the vendor's account id (FD
    `AccountSid`) when it names one; return the indexes whose link changed."""
    wanted = {
        item.row.link_id or item.parsed.e164: (index, ctx.numbers[item.parsed.e164], item)
        for index, item in enumerate(items)
    }
    where = {"account_id": ctx.account_id, "vendor": ctx.vendor}
    existing = await rows_by_key(
        ctx.conn,
        NUMBER_LINK,
        key="external_id",
        keys=wanted,
        where=where,
        columns=["number_id", "vendor_account_id"],
    )
    inserts, updates, changed = [], [], set()
    for external_id, (index, number_id, item) in wanted.items():
        account = item.row.link_account_id
        old = existing.get(external_id)
        if old is None:
            inserts.append(
                {
                    **where,
                    "external_id": external_id,
                    "number_id": number_id,
                    "vendor_account_id": account,
                }
            )
            changed.add(index)
            continue
        # The vendor's id may now name another number (Butter reassigns phone_number_id).
        changes = changed_columns(old, {"number_id": number_id})
        if account is not None:
            changes |= changed_columns(old, {"vendor_account_id": account})
        if changes:
            updates.append({"id": old["id"], **changes})
            changed.add(index)
    await insert_rows(ctx.conn, NUMBER_LINK, inserts, ignore_conflicts=True)
    await update_rows(ctx.conn, NUMBER_LINK, updates)
    ctx.links |= {(ctx.vendor, external_id) for external_id in wanted}
    return changed


async def write_numbers(*, ctx: ImportContext, batch: list[Any], summary: ImportSummary) -> None:
    """Fone Dynamics numbers and Butter phone numbers."""
    items: list[NumberItem] = []
    sources = {}
    for position, external_id, row in batch:
        company_id, region = await ctx.company(row.company)
        parsed = ctx.phone(row.phone, region)
        endpoint = ctx.phone(row.endpoint, region) if row.endpoint else None
        reason = None
        if parsed is None:
            reason = f"{row.phone_field}: not a phone number: {row.phone!r}"
        elif row.endpoint and endpoint is None:
            reason = f"{row.endpoint_field}: not a phone number: {row.endpoint!r}"
        elif ("e164", parsed.e164) in ctx.seen:
            first = ctx.seen[("e164", parsed.e164)]
            reason = f"{row.phone_field}: same number as record {first} of this payload"
        if reason is not None:
            summary.reject(position=position, external_id=external_id, reason=reason)
            continue
        assert parsed is not None
        ctx.seen[("e164", parsed.e164)] = position
        if row.source is not None:
            sources[row.source] = company_id
        items.append(
            NumberItem(
                row=row,
                parsed=parsed,
                company_id=company_id,
                endpoint_e164=endpoint.e164 if endpoint else None,
            )
        )
    await ctx.ensure_sources(sources)
    for item in items:
        item.source_id = ctx.source_id(item.row.source)
    for outcome in await upsert_numbers(ctx, items):
        summary.count(outcome)
