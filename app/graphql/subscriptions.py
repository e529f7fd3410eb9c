"""The Subscription root: callEvents and leadEvents push each call or lead an import creates or
changes, as the same Call and Lead objects the queries return, within the key's account and
scopes and matching the filter exactly as the `calls` and `leads` queries read it. `since` or
`after` first replays from the database what changed after that point, then goes live."""

import enum
from collections.abc import AsyncGenerator, AsyncIterator
from datetime import datetime
from typing import Annotated, Any, Protocol

import strawberry

from app.graphql.entities import CALL, LEAD
from app.graphql.errors import QueryTooComplexError, UserInputError
from app.graphql.filters.call import CallFilter, call_conditions
from app.graphql.filters.common import needs_company_frame
from app.graphql.filters.lead import LeadFilter, lead_conditions
from app.graphql.key_scopes import SCOPE_BY_TYPE, require
from app.graphql.loaders import Loaders
from app.graphql.types.base import Info, frame_for
from app.graphql.types.call import Call
from app.graphql.types.lead import Lead
from app.graphql.types.lists import ConditionsFn, single_company
from app.live.feed import (
    BEYOND,
    EPOCH,
    BadCursor,
    Feed,
    Position,
    encode_cursor,
    newest,
    rows_between,
    start_position,
)
from app.live.hub import Hub, TooManySubscriptions, Watch

CALLS, LEADS = Feed(CALL), Feed(LEAD)


class LiveContext(Protocol):
    """What a subscription reads of its context beyond a query's (app.web.subscriptions)."""

    hub: Hub
    key_id: int


@strawberry.enum(description="What happened to the object an event carries.")
class EventKind(enum.Enum):
    CREATED = strawberry.enum_value(
        "CREATED", description="New since the subscriber's position (first imported after it)."
    )
    UPDATED = strawberry.enum_value(
        "UPDATED", description="Imported before that position, and changed by an import since."
    )


@strawberry.type(description="A call an import created or changed.")
class CallEvent:
    kind: EventKind = strawberry.field(description="Created or updated.")
    at: datetime = strawberry.field(description="When the import that made this change ran.")
    cursor: str = strawberry.field(
        description="This event's position: pass it as `after` to resume right after it."
    )
    call: Call = strawberry.field(description="The call as it is now, as `calls` returns it.")


@strawberry.type(description="A lead an import created or changed.")
class LeadEvent:
    kind: EventKind = strawberry.field(description="Created or updated.")
    at: datetime = strawberry.field(description="When the import that made this change ran.")
    cursor: str = strawberry.field(
        description="This event's position: pass it as `after` to resume right after it."
    )
    lead: Lead = strawberry.field(description="The lead as it is now, as `leads` returns it.")


Since = Annotated[
    datetime | None,
    strawberry.argument(
        description=(
            "Replay what was imported at or after this time first, then go live; without `since` "
            "or `after` only changes from now on are sent."
        )
    ),
]
After = Annotated[
    str | None,
    strawberry.argument(
        description="Replay what changed after this event cursor (an event's `cursor`), then go live."
    ),
]


def _open(info: Info, feed: Feed, since: datetime | None, after: str | None) -> tuple[Watch, Any]:
    """Checks made before anything is sent: scope, cursor, the key's subscription limit."""
    context: Any = info.context
    require(context.scopes, SCOPE_BY_TYPE[feed.entity.type_name])
    try:
        start = start_position(since=since, after=after)
    except BadCursor as exc:
        raise UserInputError(f"after: {exc}") from None
    hub: Hub = context.hub
    try:
        watch = hub.open(
            account_id=context.account_id, table=feed.table.name, key_id=context.key_id
        )
    except TooManySubscriptions as exc:
        raise QueryTooComplexError(str(exc)) from None
    return watch, start


async def _events(
    info: Info,
    feed: Feed,
    conditions: ConditionsFn,
    filter: Any,
    watch: Watch,
    start: Position | None,
) -> AsyncIterator[tuple[EventKind, Any]]:
    """(kind, row) per change: the replay up to the newest stamp read after watching began,
    then each announced stamp's rows, from one position that only moves forward."""
    context: Any = info.context
    engine, account_id = context.reader.engine, context.account_id
    try:
        upto = await newest(engine, feed.table, account_id)  # watching already: no gap after
        position = start if start is not None else (upto or EPOCH, BEYOND)
        while True:
            if upto is not None:
                company = single_company(filter.companies if filter else None)
                frame = await frame_for(info, company if needs_company_frame(filter) else None)
                where = conditions(filter, frame).where
                seen = position
                async for row in rows_between(
                    engine, feed, reads=context.hub.reads, account_id=account_id, where=where,
                    after=position, upto=upto,
                ):  # fmt: skip
                    created = row.imported_at is not None and (row.imported_at, row.pk) > seen
                    position = (row.changed_at, row.pk)
                    context.loaders = Loaders(context.reader)  # nothing cached from before
                    yield (EventKind.CREATED if created else EventKind.UPDATED), row
                position = max(position, (upto, BEYOND))
            upto = await watch.next()
    finally:
        context.hub.close(watch)


@strawberry.type(description="Live data: what imports create or change, as it lands.")
class Subscription:
    @strawberry.subscription(
        description="Calls created or changed by imports (webhooks, `switchboard import`, syncs)."
    )
    async def call_events(
        self,
        info: Info,
        filter: CallFilter | None = None,
        since: Since = None,
        after: After = None,
    ) -> AsyncGenerator[CallEvent, None]:
        watch, start = _open(info, CALLS, since, after)
        return _calls(info, filter, watch, start)

    @strawberry.subscription(description="Leads created or changed by imports.")
    async def lead_events(
        self,
        info: Info,
        filter: LeadFilter | None = None,
        since: Since = None,
        after: After = None,
    ) -> AsyncGenerator[LeadEvent, None]:
        watch, start = _open(info, LEADS, since, after)
        return _leads(info, filter, watch, start)


async def _calls(
    info: Info, filter: CallFilter | None, watch: Watch, start: Position | None
) -> AsyncGenerator[CallEvent, None]:
    async for kind, row in _events(info, CALLS, call_conditions, filter, watch, start):
        cursor = encode_cursor((row.changed_at, row.pk))
        yield CallEvent(kind=kind, at=row.changed_at, cursor=cursor, call=CALL.build(row))


async def _leads(
    info: Info, filter: LeadFilter | None, watch: Watch, start: Position | None
) -> AsyncGenerator[LeadEvent, None]:
    async for kind, row in _events(info, LEADS, lead_conditions, filter, watch, start):
        cursor = encode_cursor((row.changed_at, row.pk))
        yield LeadEvent(kind=kind, at=row.changed_at, cursor=cursor, lead=LEAD.build(row))
