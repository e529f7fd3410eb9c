"""Per-request DataLoaders. Each batch runs one statement on its own connection (batches run
concurrently; an AsyncSession cannot be shared between them)."""

from collections import defaultdict
from collections.abc import Hashable, Sequence
from typing import Any

import orjson
from aiodataloader import DataLoader
from sqlalchemy import ColumnElement, Row, Select, bindparam, func, literal, select, text, union_all
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql import Executable

from app.graphql.compiler.fields import ACCOUNT_SCOPED
from app.graphql.compiler.sql import DIALECTS
from app.graphql.entity import Entity
from app.graphql.ordering import Ordering


class Reader:
    """Runs read-only statements scoped to one account."""

    def __init__(self, engine: AsyncEngine, account_id: int) -> None:
        self.engine = engine
        self.account_id = account_id

    async def rows(self, statement: Executable) -> Sequence[Row[*tuple[Any, ...]]]:
        async with self.engine.connect() as conn:
            return (await conn.execute(statement)).all()

    async def scalar(self, statement: Select[Any]) -> Any:
        async with self.engine.connect() as conn:
            return (await conn.execute(statement)).scalar_one()


class RowsByIdLoader(DataLoader[int, Row[Any] | None]):
    """Rows of one entity by primary key, reading a fixed set of columns."""

    def __init__(self, reader: Reader, entity: Entity[Any], columns: tuple[Any, ...]) -> None:
        super().__init__()
        self.reader, self.entity, self.columns = reader, entity, columns

    async def batch_load_fn(self, keys: Sequence[int]) -> list[Row[Any] | None]:
        table = self.entity.table
        rows = await self.reader.rows(
            select(*self.columns).where(
                table.c.id.in_(sorted(set(keys))), table.c.account_id == self.reader.account_id
            )
        )
        by_id = {row.pk: row for row in rows}
        return [by_id.get(key) for key in keys]


class PageByParentLoader(DataLoader[int, list[Row[Any]]]):
    """One page of child rows per parent, for a batch of parents in one statement.

    Each parent gets its own `ORDER BY ... LIMIT` branch (an index range scan that stops at the
    page size), joined with UNION ALL; a window over all parents' rows would read and sort
    every child of every parent instead, growing with the parents' sizes."""

    MAX_PARENTS = 100  # branches per statement (SQLite allows 500 compound terms)

    def __init__(
        self,
        reader: Reader,
        *,
        entity: Entity[Any],
        parent_column: str,
        columns: tuple[Any, ...],
        where: Sequence[ColumnElement[bool]],
        ordering: Ordering,
        reverse: bool,
        limit: int,
    ) -> None:
        super().__init__(max_batch_size=self.MAX_PARENTS)
        self.reader, self.entity, self.parent_column = reader, entity, parent_column
        self.columns, self.where, self.ordering = columns, where, ordering
        self.reverse, self.limit = reverse, limit

    def _branch(self, parent_id: int) -> Select[Any]:
        """The page of one parent, numbered in page order."""
        table = self.entity.table
        page = (
            select(*self.columns)
            .where(
                table.c[self.parent_column] == parent_id,
                table.c.account_id == self.reader.account_id,
                *self.where,
            )
            .order_by(*self.ordering.sort_keys(table, reverse=self.reverse))
            .limit(self.limit)
            .subquery()
        )
        sort_column = table.c[self.ordering.column]
        rank = func.row_number().over(
            order_by=self.ordering.keys_for(
                page.c[self.ordering.column],
                page.c.pk,
                nullable=bool(sort_column.nullable),
                reverse=self.reverse,
            )
        )
        return select(page, literal(parent_id).label("parent_key"), rank.label("parent_rank"))

    async def batch_load_fn(self, keys: Sequence[int]) -> list[list[Row[Any]]]:
        pages = union_all(*(self._branch(key) for key in sorted(set(keys)))).subquery()
        rows = await self.reader.rows(
            select(pages).order_by(pages.c.parent_key, pages.c.parent_rank)
        )
        grouped: dict[int, list[Row[Any]]] = defaultdict(list)
        for row in rows:
            grouped[row.parent_key].append(row)
        return [grouped.get(key, []) for key in keys]


class CountByParentLoader(DataLoader[int, int]):
    """How many child rows match per parent (a nested connection's totalCount)."""

    def __init__(
        self,
        reader: Reader,
        *,
        entity: Entity[Any],
        parent_column: str,
        where: Sequence[ColumnElement[bool]],
    ) -> None:
        super().__init__()
        self.reader, self.entity, self.parent_column, self.where = (
            reader,
            entity,
            parent_column,
            where,
        )

    async def batch_load_fn(self, keys: Sequence[int]) -> list[int]:
        table = self.entity.table
        parent = table.c[self.parent_column]
        rows = await self.reader.rows(
            select(parent, func.count())
            .where(parent.in_(sorted(set(keys))), table.c.account_id == self.reader.account_id)
            .where(*self.where)
            .group_by(parent)
        )
        counts = {row[0]: row[1] for row in rows}
        return [counts.get(key, 0) for key in keys]


class CorrelatedByIdLoader(DataLoader[int, Any]):
    """A value computed per row by SQL the compiler also uses (compiler/fields.py), read for a
    batch of ids: the SQL of such a field is written once, for both read paths."""

    def __init__(self, reader: Reader, *, table: str, sql: Any, decode: Any, default: Any) -> None:
        super().__init__()
        self.reader, self.table, self.sql = reader, table, sql
        self.decode, self.default = decode, default

    async def batch_load_fn(self, keys: Sequence[int]) -> list[Any]:
        dialect = DIALECTS[self.reader.engine.dialect.name]
        value = self.sql(dialect, "x", ":account")
        statement = text(
            f'SELECT x.id, {value} FROM "{self.table}" AS x '
            "WHERE x.id IN :ids AND x.account_id = :account"
        ).bindparams(bindparam("ids", expanding=True), account=self.reader.account_id)
        rows = await self.reader.rows(statement.bindparams(ids=sorted(set(keys))))
        found = {row[0]: self.decode(row[1]) for row in rows}
        return [found.get(key, self.default) for key in keys]


def _json_list(value: Any) -> list[Any]:
    return orjson.loads(value) if isinstance(value, str | bytes) else list(value or [])


class Loaders:
    """Made once per request; hands out one loader per kind and arguments."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self._made: dict[Hashable, DataLoader[Any, Any]] = {}
        self.call_count_by_caller_id = CorrelatedByIdLoader(
            reader,
            table="caller",
            sql=ACCOUNT_SCOPED[("Caller", "callCount")],
            decode=int,
            default=0,
        )
        self.vendors_by_number_id = CorrelatedByIdLoader(
            reader,
            table="number",
            sql=ACCOUNT_SCOPED[("Number", "vendors")],
            decode=_json_list,
            default=[],
        )

    def rows_by_id(self, entity: Entity[Any], columns: tuple[Any, ...]) -> RowsByIdLoader:
        key = ("id", entity.type_name, columns)
        if key not in self._made:
            self._made[key] = RowsByIdLoader(self.reader, entity, columns)
        return self._made[key]  # type: ignore[return-value]

    def get(self, key: Hashable, make: Any) -> Any:
        """The loader cached under `key`, made by `make()` the first time."""
        if key not in self._made:
            self._made[key] = make()
        return self._made[key]
