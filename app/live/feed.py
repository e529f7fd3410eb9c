"""A subscription's feed: one account's calls or leads in change order, (changed_at, id), read
from a position up to a stamp the hub announced. An account's imports take turns and stamp
after taking theirs (app.ingest.changes), so once a stamp is visible every earlier one is
committed: reading up to it and moving the position there misses nothing and repeats nothing.
Replay (`since`, `after`) is the same read from an older position."""

import base64
import binascii
import json
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, Table, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.graphql.entity import Entity
from app.live.reads import SharedReads

PAGE = 200  # rows read per statement
BEYOND = 2**31 - 1  # the largest id an INTEGER key holds: (stamp, BEYOND) is "all of stamp read"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

Position = tuple[datetime, int]  # (changed_at, id) of the last row read


class BadCursor(ValueError):
    """An `after` argument that is not an event cursor."""


def encode_cursor(position: Position) -> str:
    at, row_id = position
    raw = json.dumps([at.isoformat(), row_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> Position:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        at, row_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        stamp = datetime.fromisoformat(at)
    except (ValueError, TypeError, binascii.Error) as exc:
        raise BadCursor(f"not an event cursor: {cursor!r}") from exc
    if stamp.tzinfo is None or not isinstance(row_id, int):
        raise BadCursor(f"not an event cursor: {cursor!r}")
    return stamp.astimezone(UTC), row_id


def start_position(*, since: datetime | None, after: str | None) -> Position | None:
    """Where a replay starts: after a cursor, at `since` (inclusive), or None (live only)."""
    if after is not None:
        return decode_cursor(after)
    if since is not None:
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return since.astimezone(UTC), 0
    return None


@dataclass(frozen=True)
class Feed:
    """What one subscription field follows: an entity's table and every column its type reads."""

    entity: Entity[Any]

    @property
    def table(self) -> Table:
        return self.entity.table

    def columns(self) -> tuple[Any, ...]:
        return self.entity.columns(self.entity.reads.keys(), "changed_at", "imported_at")


async def newest(engine: AsyncEngine, table: Table, account_id: int) -> datetime | None:
    """The account's newest change stamp in `table`."""
    stmt = select(func.max(table.c.changed_at)).where(table.c.account_id == account_id)
    async with engine.connect() as conn:
        return (await conn.execute(stmt)).scalar()  # type: ignore[no-any-return]


async def rows_between(
    engine: AsyncEngine,
    feed: Feed,
    *,
    reads: SharedReads,
    account_id: int,
    where: Sequence[ColumnElement[bool]],
    after: Position,
    upto: datetime,
) -> AsyncIterator[Row[Any]]:
    """The account's rows matching `where`, changed after `after` and at or before `upto`, in
    change order, a page per statement (shared with subscriptions reading the same page)."""
    table, columns = feed.table, feed.columns()
    while True:
        stmt = (
            select(*columns)
            .where(
                table.c.account_id == account_id,
                *where,
                _after(table, after),
                table.c.changed_at <= upto,
            )
            .order_by(table.c.changed_at, table.c.id)
            .limit(PAGE)
        )
        page = await reads.rows(engine, stmt)
        for row in page:
            yield row
        if len(page) < PAGE:
            return
        after = (page[-1].changed_at, page[-1].pk)


def _after(table: Table, position: Position) -> ColumnElement[bool]:
    at, row_id = position
    return or_(table.c.changed_at > at, and_(table.c.changed_at == at, table.c.id > row_id))
