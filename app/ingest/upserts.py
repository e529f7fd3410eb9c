"""Upsert of vendor records keyed by (account, vendor, external_id): insert the new, update only
what changed, and say which was which."""

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table

from app.ingest.changes import stamp_changes
from app.ingest.context import ImportContext
from app.ingest.sql import changed_columns, insert_rows, rows_by_key, update_rows
from app.ingest.summary import Outcome


@dataclass
class UpsertChanges:
    """What an upsert will do: an outcome per row, the rows to insert and the changes to make,
    and the stored rows as they were (by external id)."""

    outcomes: list[Outcome] = field(default_factory=list)
    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    existing: dict[str, dict[str, Any]] = field(default_factory=dict)


async def plan_upsert(
    ctx: ImportContext, table: Table, rows: list[tuple[str, dict[str, Any]]]
) -> UpsertChanges:
    """Compare each (external id, column values) with the stored row."""
    columns = set().union(*(values for _, values in rows))  # in C: a chunk has 100k names
    where = {"account_id": ctx.account_id, "vendor": ctx.vendor}
    plan = UpsertChanges()
    plan.existing = await rows_by_key(
        ctx.conn, table, key="external_id", keys=[ext for ext, _ in rows], where=where,
        columns=columns,
    )  # fmt: skip
    for external_id, values in rows:
        old = plan.existing.get(external_id)
        if old is None:
            values.update(where, external_id=external_id)  # the row dict is ours: no copy
            plan.inserts.append(values)
            plan.outcomes.append("created")
            continue
        changes = changed_columns(old, values)
        if changes:
            plan.updates.append({"id": old["id"], **changes})
        plan.outcomes.append("updated" if changes else "unchanged")
    return plan


async def carry_out(ctx: ImportContext, table: Table, plan: UpsertChanges) -> None:
    """Update the changed rows, then leave the inserts running behind (see app.ingest.connection).
    Tables that subscriptions follow get the import's change stamp on what it writes."""
    if ctx.stamp is not None and "changed_at" in table.c:
        stamp_changes(plan.inserts, plan.updates, ctx.stamp)
    await update_rows(ctx.conn, table, plan.updates)
    inserts = plan.inserts
    if inserts:
        await ctx.conn.run_behind(lambda conn: insert_rows(conn, table, inserts))


async def upsert_records(
    ctx: ImportContext, table: Table, rows: list[tuple[str, dict[str, Any]]]
) -> list[Outcome]:
    """Insert new rows, update changed ones; the outcome of each row."""
    plan = await plan_upsert(ctx, table, rows)
    await carry_out(ctx, table, plan)
    return plan.outcomes
