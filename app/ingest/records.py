"""Upsert of vendor records keyed by (account, vendor, external_id): insert the new, update only
what changed, and say which was which."""

from typing import Any

from sqlalchemy import Table

from app.ingest.context import ImportContext
from app.ingest.sql import changed_columns, insert_rows, rows_by_key, update_rows
from app.ingest.summary import Outcome


async def upsert_records(
    ctx: ImportContext, table: Table, rows: list[tuple[str, dict[str, Any]]]
) -> tuple[list[Outcome], dict[str, dict[str, Any]]]:
    """Outcome per row, and the stored rows as they were before (by external id)."""
    columns = {name for _, values in rows for name in values}
    where = {"account_id": ctx.account_id, "vendor": ctx.vendor}
    existing = await rows_by_key(
        ctx.conn,
        table,
        key="external_id",
        keys=[ext for ext, _ in rows],
        where=where,
        columns=columns,
    )
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    outcomes: list[Outcome] = []
    for external_id, values in rows:
        old = existing.get(external_id)
        if old is None:
            inserts.append({**where, "external_id": external_id, **values})
            outcomes.append("created")
            continue
        changes = changed_columns(old, values)
        if changes:
            updates.append({"id": old["id"], **changes})
        outcomes.append("updated" if changes else "unchanged")
    await insert_rows(ctx.conn, table, inserts)
    await update_rows(ctx.conn, table, updates)
    return outcomes, existing
