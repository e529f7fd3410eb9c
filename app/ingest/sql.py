"""Core statements over the SQLModel tables, batched: get-or-create, grouped executemany inserts
and updates, and lookups by key in chunks that fit every database's parameter limit."""

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from operator import itemgetter
from typing import Any, Protocol

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.dml import Insert
from sqlalchemy.sql.schema import ColumnDefault


class Executes(Protocol):
    """What ingest needs of a connection: an AsyncConnection or a SerialConnection."""

    @property
    def dialect(self) -> Dialect: ...

    async def execute(self, statement: Any, parameters: Any = None) -> Any: ...

    async def exec_driver_sql(self, statement: str, parameters: Any = None) -> Any: ...


IN_CHUNK = 500  # keys per IN list
SQLITE_MAX_VARIABLES = 32766  # parameters per statement since SQLite 3.32


def chunked(items: Sequence[Any], size: int = IN_CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def insert_ignoring_conflicts(conn: Executes, table: Table) -> Insert:
    """INSERT ... ON CONFLICT DO NOTHING, so concurrent imports of one key both succeed."""
    statement: Insert = _dialect_insert(conn.dialect, table).on_conflict_do_nothing()
    return statement


def _dialect_insert(dialect: Dialect, table: Table) -> Any:
    return (postgresql if dialect.name == "postgresql" else sqlite).insert(table)


async def rows_by_key(
    conn: Executes,
    table: Table,
    *,
    key: str,
    keys: Iterable[Any],
    where: dict[str, Any],
    columns: Iterable[str] = (),
) -> dict[Any, dict[str, Any]]:
    """Existing rows whose `key` is in `keys` (and match `where`), as {key: {column: value}}.

    The statement is compiled once per shape and its rows read as plain tuples, values turned
    into their Python types only for the rows found (cheaper than a statement built and
    compiled per call: an import looks up every record's key, and most are new)."""
    names = ("id", key, *(c for c in dict.fromkeys(columns) if c not in ("id", key)))
    found: dict[Any, dict[str, Any]] = {}
    for chunk in chunked(list(dict.fromkeys(keys))):
        probe = _lookup(conn.dialect, table, names, tuple(where), len(chunk))
        parameters = where | dict(zip(probe.order[len(where) :], chunk, strict=True))
        result = await conn.exec_driver_sql(probe.sql, tuple(parameters[n] for n in probe.order))
        for row in result:
            values = dict(zip(names, row, strict=True))
            for name, process in probe.processors:
                values[name] = process(values[name])
            found[values[key]] = values
    return found


@dataclass(frozen=True)
class _Lookup:
    sql: str  # SELECT <names> ... WHERE <where columns> = ... AND <key> IN (...)
    order: tuple[str, ...]  # its parameters' names, in order
    processors: tuple[tuple[str, Callable[[Any], Any]], ...]  # (column, result processor)


@lru_cache(maxsize=256)
def _lookup(
    dialect: Dialect, table: Table, names: tuple[str, ...], where: tuple[str, ...], count: int
) -> _Lookup:
    key = names[1]
    stmt = select(*(table.c[name] for name in names)).where(
        *(table.c[name] == bindparam(name) for name in where),
        table.c[key].in_([bindparam(f"key_{i}") for i in range(count)]),
    )
    compiled, order = _compiled_positional(stmt, dialect)
    processors = []
    for name in names:
        column_type = table.c[name].type
        process = column_type.dialect_impl(dialect).result_processor(dialect, None)
        if process is not None:
            processors.append((name, process))
    return _Lookup(compiled.string, order, tuple(processors))


async def get_or_create(
    conn: Executes,
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
        ids |= dict((await conn.execute(stmt, group)).all())
    lost = [row[key] for row in missing if row[key] not in ids]
    if lost:  # another transaction inserted them first: read their ids
        found = await rows_by_key(conn, table, key=key, keys=lost, where=where)
        ids |= {k: row["id"] for k, row in found.items()}
    return ids


async def insert_rows(
    conn: Executes,
    table: Table,
    rows: list[dict[str, Any]],
    *,
    ignore_conflicts: bool = False,
) -> None:
    """INSERT the rows, one statement per distinct set of keys; columns the rows lack take
    their Python-side defaults, as Core would give them.

    The statement is compiled once per table and key set and given plain tuples (Core's per-row
    parameter processing was a fifth of a large import's time). On SQLite many rows go in one
    multi-row VALUES statement: one call into SQLite per few hundred rows rather than one per
    row, so its thread holds the GIL once per statement and Python work can run meanwhile.
    Elsewhere the driver's executemany does the batching.

    Where all of a table's references are checked at commit (call, migration 0005), SQLite gets
    INSERT OR IGNORE: with nothing left that could abort the statement midway it writes no
    statement journal (a third of SQLite's time importing calls). A row the constraints refuse
    is then skipped rather than raising, so the stored count is checked and any shortfall
    raises IntegrityError naming the problem, as a plain INSERT would have.

    A column NULL in every row of a group, which would be NULL anyway, is left out of the
    statement (see _bound_keys)."""
    for group in _by_keys(rows):
        plan = _insert_plan(conn.dialect, table, _bound_keys(table, group), ignore_conflicts)
        params = plan.parameters(group)
        if plan.row_sql is None:
            await conn.exec_driver_sql(plan.sql, params)
            continue
        per_statement = max(1, SQLITE_MAX_VARIABLES // len(params[0]))
        for start in range(0, len(params), per_statement):
            batch = params[start : start + per_statement]
            sql = plan.multi_row_sql(len(batch))
            result = await conn.exec_driver_sql(sql, tuple(chain(*batch)))
            if plan.skips_refused and result.rowcount != len(batch):
                raise _not_stored(table, plan, batch, result.rowcount)


def _bound_keys(table: Table, group: list[dict[str, Any]]) -> tuple[str, ...]:
    """The group's keys (one key set) without those whose value is None in every row and whose
    column has no default: SQLite's thread binds a NULL with the GIL held, and a call leaves a
    dozen of its forty columns empty, so leaving them out is cheaper. Only keys None in the
    first row are checked, each in C."""
    first = group[0]
    nullable = _null_without_default(table)
    candidates = [key for key, value in first.items() if value is None and key in nullable]
    if not candidates:
        return tuple(first)
    rows = len(group)
    empty = {key for key in candidates if list(map(itemgetter(key), group)).count(None) == rows}
    return tuple(key for key in first if key not in empty)


@lru_cache(maxsize=64)
def _null_without_default(table: Table) -> frozenset[str]:
    return frozenset(
        column.name
        for column in table.columns
        if column.nullable
        and not column.primary_key
        and column.default is None
        and column.server_default is None
    )


@dataclass(frozen=True)
class _InsertShape:
    """A compiled INSERT and how to turn row dicts into its positional parameters."""

    sql: str
    row_sql: str | None  # "(?, ?, ...)" of `sql`, where it can be repeated for more rows
    order: tuple[str, ...]  # the columns, in statement order
    skips_refused: bool  # INSERT OR IGNORE: the stored row count must be checked
    take: Callable[[dict[str, Any]], tuple[Any, ...]]  # a row's values in statement order
    defaults: dict[str, ColumnDefault]  # for the columns the rows lack
    processors: tuple[tuple[int, Callable[[Any], Any]], ...]  # (position, bind processor)

    def parameters(self, group: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        take = self.take
        if self.defaults:
            tail = {
                name: default.arg(None) if default.is_callable else default.arg
                for name, default in self.defaults.items()
            }
            params = [take(row | tail) for row in group]
        else:
            params = [take(row) for row in group]
        if not self.processors:
            return params
        processed = []
        for values in params:
            listed = list(values)
            for position, process in self.processors:
                listed[position] = process(listed[position])
            processed.append(tuple(listed))
        return processed

    def multi_row_sql(self, rows: int) -> str:
        assert self.row_sql is not None
        return _repeat_values(self.sql, self.row_sql, rows)


@lru_cache(maxsize=256)
def _insert_plan(
    dialect: Dialect, table: Table, keys: tuple[str, ...], ignore_conflicts: bool
) -> _InsertShape:
    skips_refused = (
        not ignore_conflicts and dialect.name == "sqlite" and _references_checked_at_commit(table)
    )
    if ignore_conflicts:
        stmt = _dialect_insert(dialect, table).on_conflict_do_nothing()
    elif skips_refused:
        stmt = insert(table).prefix_with("OR IGNORE")
    else:
        stmt = insert(table)
    stmt = stmt.inline()
    compiled, order = _compiled_positional(
        stmt.values({name: bindparam(name) for name in keys}), dialect
    )  # order: the rows' keys and the defaulted columns Core added
    processors = []
    for position, name in enumerate(order):
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            processors.append((position, process))
    row_sql = "(" + ", ".join("?" * len(order)) + ")"
    return _InsertShape(
        sql=compiled.string,
        row_sql=row_sql
        if dialect.name == "sqlite" and compiled.string.count(row_sql) == 1
        else None,
        order=order,
        skips_refused=skips_refused,
        take=_row_reader(order),
        defaults={name: table.c[name].default for name in order if name not in keys},  # type: ignore[misc]  # columns with a Python-side default only (server defaults are not read)
        processors=tuple(processors),
    )


def _compiled_positional(stmt: Any, dialect: Dialect) -> tuple[Any, tuple[str, ...]]:
    """The statement compiled for the dialect, and its parameter names in positional order
    (the statements here are given plain tuples)."""
    compiled = stmt.compile(dialect=dialect)
    if not compiled.positional or compiled.positiontup is None:
        raise TypeError(f"ingest statements need a positional paramstyle, not {dialect.paramstyle}")
    return compiled, tuple(compiled.positiontup)


def _references_checked_at_commit(table: Table) -> bool:
    return bool(table.foreign_keys) and all(
        fk.constraint is not None
        and fk.constraint.deferrable
        and (fk.constraint.initially or "").upper() == "DEFERRED"
        for fk in table.foreign_keys
    )


def _not_stored(
    table: Table, plan: _InsertShape, batch: list[tuple[Any, ...]], stored: int
) -> IntegrityError:
    """The error a plain INSERT would have raised for rows INSERT OR IGNORE skipped."""
    reason = "UNIQUE constraint failed: a row repeats a key of another row or of a stored row"
    required = [(i, name) for i, name in enumerate(plan.order) if not table.c[name].nullable]
    for number, values in enumerate(batch, 1):
        missing = [name for i, name in required if values[i] is None]
        if missing:
            reason = f"NOT NULL constraint failed: {table.name}.{missing[0]} (row {number})"
            break
    message = f"{reason}; {len(batch) - stored} of {len(batch)} rows refused"
    return IntegrityError(plan.sql, None, sqlite3.IntegrityError(message))


@lru_cache(maxsize=64)
def _repeat_values(sql: str, row_sql: str, rows: int) -> str:
    """`sql` with its one VALUES row repeated `rows` times (full batches reuse one string)."""
    head, _, tail = sql.partition(row_sql)
    return head + ", ".join([row_sql] * rows) + tail


def _row_reader(names: tuple[str, ...]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    if len(names) == 1:  # itemgetter of one name returns the value, not a tuple
        name = names[0]
        return lambda row: (row[name],)
    return itemgetter(*names)


async def update_rows(conn: Executes, table: Table, rows: list[dict[str, Any]]) -> None:
    """executemany UPDATE by primary key: each row is {"id": ..., column: new value, ...}."""
    for group in _by_keys(rows):
        values: dict[str, Any] = {
            name: bindparam(f"new_{name}") for name in group[0] if name != "id"
        }
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
