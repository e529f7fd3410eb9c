"""Relay connections over keyset cursors, for root lists and for lists nested under a parent."""

import asyncio
import enum
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import strawberry
from graphql import GraphQLResolveInfo
from sqlalchemy import ColumnElement, Row, func, select

from app.graphql.context import Context
from app.graphql.cursors import decode_cursor, encode_cursor
from app.graphql.dates import AppliedDateRange
from app.graphql.entity import Entity
from app.graphql.errors import UserInputError
from app.graphql.loaders import CountByParentLoader, PageByParentLoader
from app.graphql.ordering import Ordering, ordering_of
from app.graphql.selection import connection_node_names, selects

NodeT = TypeVar("NodeT")
DEFAULT_PAGE_SIZE = 50


@strawberry.type(description="Relay page information.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More items follow this page.")
    has_previous_page: bool = strawberry.field(description="Items precede this page.")
    start_cursor: str | None = strawberry.field(description="Cursor of the first edge.")
    end_cursor: str | None = strawberry.field(description="Cursor of the last edge.")


@strawberry.type(description="An item in a list, with its cursor.")
class Edge(Generic[NodeT]):
    cursor: str = strawberry.field(description="Opaque keyset position; pass as after/before.")
    node: NodeT = strawberry.field(description="The item.")


@strawberry.type(description="A page of a list (Relay connection) with keyset cursors.")
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]] = strawberry.field(description="The items with their cursors.")
    nodes: list[NodeT] = strawberry.field(description="The items, without cursors.")
    page_info: PageInfo = strawberry.field(description="Where this page sits in the list.")
    applied_ranges: list[AppliedDateRange] = strawberry.field(
        description="The concrete ranges the date filters resolved to (labels resolve on the server)."
    )
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many items match the filter (counted only when selected).")
    async def total_count(self) -> int:
        return await self.count()


@dataclass(frozen=True)
class PageArguments:
    """Validated paging arguments: direction, size and decoded cursor positions."""

    limit: int
    backward: bool
    after: tuple[Any, int] | None
    before: tuple[Any, int] | None


def read_page(
    *,
    entity: Entity[Any],
    order: enum.Enum,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    max_size: int,
) -> PageArguments:
    """Check first/last and decode cursors; every problem is BAD_USER_INPUT naming the argument."""
    if first is not None and last is not None:
        raise UserInputError("first and last: give one of them, not both")
    for name, size in (("first", first), ("last", last)):
        if size is not None and not 0 <= size <= max_size:
            raise UserInputError(f"{name}: must be between 0 and {max_size}, got {size}")
    size = last if last is not None else (first if first is not None else DEFAULT_PAGE_SIZE)
    issuer, column = issuer_of(entity, order), entity.table.c[ordering_of(order).column]

    def position(cursor: str | None, argument: str) -> tuple[Any, int] | None:
        if not cursor:
            return None
        return decode_cursor(cursor, issuer=issuer, argument=argument, column=column)

    return PageArguments(
        limit=size,
        backward=last is not None,
        after=position(after, "after"),
        before=position(before, "before"),
    )


@dataclass(frozen=True)
class ListQuery:
    """What a connection field asks for, before it is run at the root or per parent."""

    entity: Entity[Any]
    where: Sequence[ColumnElement[bool]]
    order: enum.Enum
    page: PageArguments
    applied: Sequence[AppliedDateRange] = ()

    @property
    def ordering(self) -> Ordering:
        return ordering_of(self.order)

    @property
    def issuer(self) -> str:
        return issuer_of(self.entity, self.order)

    def cursor_conditions(self) -> list[ColumnElement[bool]]:
        table, ordering = self.entity.table, self.ordering
        conditions = []
        if self.page.after is not None:
            conditions.append(ordering.after(table, *self.page.after))
        if self.page.before is not None:
            conditions.append(ordering.after(table, *self.page.before, reverse=True))
        return conditions


def issuer_of(entity: Entity[Any], order: enum.Enum) -> str:
    return f"{entity.type_name}:{order.name}"


def page_arguments(
    info: strawberry.Info[Context, Any],
    entity: Entity[Any],
    order: enum.Enum,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> PageArguments:
    return read_page(
        entity=entity,
        order=order,
        first=first,
        after=after,
        last=last,
        before=before,
        max_size=info.context.settings.max_page_size,
    )


def _columns(info: GraphQLResolveInfo[Any], query: ListQuery) -> tuple[Any, ...]:
    names = connection_node_names(info, query.entity.type_name)
    return query.entity.columns(names, query.ordering.column)


def _connection(
    query: ListQuery,
    rows: Sequence[Row[Any]],
    count: Callable[[], Awaitable[int]],
    build: Callable[[Row[Any]], Any] | None = None,
) -> Connection[Any]:
    page, column = query.page, query.ordering.column
    has_more = len(rows) > page.limit
    rows = list(rows[: page.limit])
    if page.backward:
        rows.reverse()
    build = build or query.entity.build
    nodes = [build(row) for row in rows]
    edges = [
        Edge(
            cursor=encode_cursor(issuer=query.issuer, value=row._mapping[column], pk=row.pk), node=n
        )
        for row, n in zip(rows, nodes, strict=True)
    ]
    info = PageInfo(
        has_next_page=has_more if not page.backward else page.before is not None,
        has_previous_page=has_more if page.backward else page.after is not None,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return Connection(
        edges=edges, nodes=nodes, page_info=info, applied_ranges=list(query.applied), count=count
    )


async def root_connection(info: strawberry.Info[Context, Any], query: ListQuery) -> Connection[Any]:
    """A top-level list on the general path: one statement for the page (relations load through
    DataLoaders), one more only if totalCount is selected."""
    context, table, raw = info.context, query.entity.table, info._raw_info
    scoped = [table.c.account_id == context.account_id, *query.where]
    # One row past the page tells whether another page follows (even for first: 0).
    statement = (
        select(*_columns(raw, query))
        .where(*scoped, *query.cursor_conditions())
        .order_by(*query.ordering.sort_keys(table, reverse=query.page.backward))
        .limit(query.page.limit + 1)
    )
    counting = select(func.count()).select_from(table).where(*scoped)

    async def count() -> int:
        return int(await context.reader.scalar(counting))

    if not selects(raw, f"{query.entity.type_name}Connection", "totalCount"):
        return _connection(query, await context.reader.rows(statement), count)
    # The count runs on its own connection while the page is read, not after it.
    counted = asyncio.ensure_future(count())
    counted.add_done_callback(_retrieved)  # skipped by @include/@skip: no unretrieved error
    try:
        rows = await context.reader.rows(statement)
    except BaseException:
        counted.cancel()
        raise
    return _connection(query, rows, lambda: counted)


def _retrieved(task: asyncio.Future[Any]) -> None:
    if not task.cancelled():
        task.exception()


async def child_connection(
    info: strawberry.Info[Context, Any],
    query: ListQuery,
    *,
    parent_column: str,
    parent_id: int,
    signature: Any,
) -> Connection[Any]:
    """A list under each parent of a page: one windowed statement for all parents.

    `signature` identifies the resolved filter, so parents whose filters resolve alike (for
    example, date labels in the same time zone) share one batch."""
    context, entity = info.context, query.entity
    raw = info._raw_info
    key = (entity.type_name, parent_column, id(raw.field_nodes[0]), signature)
    where = [*query.where, *query.cursor_conditions()]
    pages: PageByParentLoader = context.loaders.get(
        ("page", *key),
        lambda: PageByParentLoader(
            context.reader,
            entity=entity,
            parent_column=parent_column,
            columns=_columns(raw, query),
            where=where,
            ordering=query.ordering,
            reverse=query.page.backward,
            limit=query.page.limit + 1,
        ),
    )
    counts: CountByParentLoader = context.loaders.get(
        ("count", *key),
        lambda: CountByParentLoader(
            context.reader, entity=entity, parent_column=parent_column, where=query.where
        ),
    )
    rows = await pages.load(parent_id)
    return _connection(query, rows, lambda: counts.load(parent_id))
