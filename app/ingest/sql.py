"""Core statements over the SQLModel tables, batched: get-or-create, grouped executemany inserts
and updates, and lookups by key in chunks that fit every database's parameter limit."""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.dml import Insert

IN_CHUNK = 500  # keys per IN list


def chunked(items: Sequence[Any], size: int = IN_CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def insert_ignoring_conflicts(conn: AsyncConnection, table: Table) -> Insert:
    """INSERT ... ON CONFLICT DO NOTHING, so concurrent imports of one key both succeed."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table).on_conflict_do_nothing()


async def rows_by_key(
    conn: AsyncConnection,
    table: Table,
    *,
    key: str,
    keys: Iterable[Any],
    where: dict[str, Any],
    columns: Iterable[str] = (),
) -> dict[Any, dict[str, Any]]:
    """Existing rows whose `key` is in `keys` (and match `where`), as {key: {column: value}}."""
    wanted = list(dict.fromkeys(keys))
    names = ["id", key, *(c for c in dict.fromkeys(columns) if c not in ("id", key))]
    found: dict[Any, dict[str, Any]] = {}
    conditions = [table.c[name] == value for name, value in where.items()]
    for chunk in chunked(wanted):
        stmt = select(*(table.c[name] for name in names)).where(
            *conditions, table.c[key].in_(chunk)
        )
        for row in await conn.execute(stmt):
            found[row[1]] = dict(zip(names, row, strict=True))
    return found


async def get_or_create(
    conn: AsyncConnection,
    table: Table,
    *,
    key: str,
    where: dict[str, Any],
    new: dict[Any, dict[str, Any]],
    created: set[Any] | None = None,
) -> dict[Any, int]:
    """Ids of the rows keyed by `new`'s keys, inserting those missing with `new`'s values
    (their keys are added to `created`)."""
    ids = {
        k: row["id"]
        for k, row in (await rows_by_key(conn, table, key=key, keys=new, where=where)).items()
    }
    missing = [{**where, key: k, **values} for k, values in new.items() if k not in ids]
    if not missing:
        return ids
    if created is not None:
        created.update(row[key] for row in missing)
    stmt = insert_ignoring_conflicts(conn, table).returning(table.c[key], table.c.id)
    for group in _by_keys(missing):
        ids |= dict((await conn.execute(stmt, group)).all())  # type: ignore[arg-type]
    lost = [row[key] for row in missing if row[key] not in ids]
    if lost:  # another transaction inserted them first: read their ids
        found = await rows_by_key(conn, table, key=key, keys=lost, where=where)
        ids |= {k: row["id"] for k, row in found.items()}
    return ids


async def insert_rows(
    conn: AsyncConnection,
    table: Table,
    rows: list[dict[str, Any]],
    *,
    ignore_conflicts: bool = False,
) -> None:
    """executemany INSERT, one statement per distinct set of keys (Core defaults fill the rest)."""
    stmt = insert_ignoring_conflicts(conn, table) if ignore_conflicts else table.insert()
    for group in _by_keys(rows):
        await conn.execute(stmt, group)


async def update_rows(conn: AsyncConnection, table: Table, rows: list[dict[str, Any]]) -> None:
    """executemany UPDATE by primary key: each row is {"id": ..., column: new value, ...}."""
    for group in _by_keys(rows):
        values = {name: bindparam(f"new_{name}") for name in group[0] if name != "id"}
        stmt = update(table).where(table.c.id == bindparam("row_id")).values(values)
        params = [
            {"row_id": row["id"], **{f"new_{k}": v for k, v in row.items() if k != "id"}}
            for row in group
        ]
        await conn.execute(stmt, params)


def changed_columns(existing: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """The entries of `values` that differ from the stored row."""
    return {name: value for name, value in values.items() if existing.get(name) != value}


def _by_keys(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[tuple(row)].append(row)  # rows built by one mapper share key order
    return list(groups.values())
