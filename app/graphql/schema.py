"""The Query root: node refetch and one connection per entity. Built once per process."""

from typing import Annotated, Any

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from app.core.api_keys import SYNC_SCOPE
from app.core.ids import InvalidGlobalId, decode_global_id
from app.graphql.compiler.reads import CompiledReads
from app.graphql.connection import Connection
from app.graphql.entities import BY_TYPE_NAME, CALL, CALLER, COMPANY, LEAD, NUMBER, SOURCE
from app.graphql.enums import (
    CallerOrder,
    CallOrder,
    CompanyOrder,
    LeadOrder,
    NumberOrder,
    SourceOrder,
)
from app.graphql.errors import UserInputError
from app.graphql.filters.call import CallFilter, call_conditions
from app.graphql.filters.company import (
    CallerFilter,
    CompanyFilter,
    caller_conditions,
    company_conditions,
)
from app.graphql.filters.lead import LeadFilter, lead_conditions
from app.graphql.filters.number import NumberFilter, number_conditions
from app.graphql.filters.source import SourceFilter, source_conditions
from app.graphql.key_scopes import RequireScope, guard_fields
from app.graphql.limits import QueryLimits
from app.graphql.parsing import SharedParserCache
from app.graphql.scalars import SCALAR_MAP
from app.graphql.selection import selected_names
from app.graphql.stats.calls import CallStatsRow, call_stats_field
from app.graphql.stats.leads import LeadStatsRow, lead_stats_field
from app.graphql.subscriptions import Subscription
from app.graphql.types.base import Info, Node
from app.graphql.types.call import Call
from app.graphql.types.caller import Caller
from app.graphql.types.company import Company
from app.graphql.types.lead import Lead
from app.graphql.types.lists import root_list, single_company
from app.graphql.types.nested import CALLERS, CALLS, COMPANIES, LEADS, NUMBERS, SOURCES, lists
from app.graphql.types.number import Number
from app.graphql.types.source import Source
from app.graphql.types.sync_status import SyncStatus, sync_statuses

MAX_NODES = 250

First = Annotated[
    int | None, strawberry.argument(description="Page size from the start (max 250).")
]
After = Annotated[str | None, strawberry.argument(description="Cursor to start after.")]
Last = Annotated[int | None, strawberry.argument(description="Page size from the end (max 250).")]
Before = Annotated[str | None, strawberry.argument(description="Cursor to end before.")]


async def _load_nodes(info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
    """Objects for global IDs; another account's, unknown or deleted IDs give null."""
    raw = info._raw_info
    decoded = []
    for index, global_id in enumerate(ids):
        try:
            type_name, pk = decode_global_id(str(global_id))
        except InvalidGlobalId as exc:
            field = "id" if raw.field_name == "node" else f"ids[{index}]"
            raise UserInputError(f"{field}: {exc}") from None
        decoded.append((BY_TYPE_NAME.get(type_name), pk))
    loads: list[tuple[Any, Any] | None] = []
    for entity, pk in decoded:
        if entity is None:
            loads.append(None)
            continue
        columns = entity.columns(selected_names(raw.field_nodes, raw, entity.type_name))
        loads.append((entity, info.context.loaders.rows_by_id(entity, columns).load(pk)))
    results: list[Node | None] = []
    for item in loads:
        row = None if item is None else await item[1]
        results.append(None if row is None or item is None else item[0].build(row))
    return results


@strawberry.type(description="Switchboard: call-tracking data from every vendor in one graph.")
class Query:
    @strawberry.field(description="Refetch any object by its global ID; null if not visible.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return (await _load_nodes(info, [id]))[0]

    @strawberry.field(description="Refetch up to 250 objects of any types by global ID, in order.")
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > MAX_NODES:
            raise UserInputError(f"ids: at most {MAX_NODES} ids, got {len(ids)}")
        return await _load_nodes(info, ids)

    @strawberry.field(description="Tracked businesses.")
    @lists(COMPANIES)
    async def companies(
        self,
        info: Info,
        filter: CompanyFilter | None = None,
        order_by: CompanyOrder = CompanyOrder.NAME_ASC,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Company]:
        return await root_list(
            info,
            entity=COMPANY,
            conditions=company_conditions,
            filter=filter,
            order_by=order_by,
            paging=(first, after, last, before),
        )

    @strawberry.field(
        description="Sources: CallRail sources, FD attribution and TrackDrive traffic sources."
    )
    @lists(SOURCES)
    async def sources(
        self,
        info: Info,
        filter: SourceFilter | None = None,
        order_by: SourceOrder = SourceOrder.NAME_ASC,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Source]:
        return await root_list(
            info,
            entity=SOURCE,
            conditions=source_conditions,
            filter=filter,
            order_by=order_by,
            paging=(first, after, last, before),
            company_pk=single_company(filter.companies if filter else None),
        )

    @strawberry.field(description="Phone numbers (number inventory), one per E.164.")
    @lists(NUMBERS)
    async def numbers(
        self,
        info: Info,
        filter: NumberFilter | None = None,
        order_by: NumberOrder = NumberOrder.E164_ASC,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Number]:
        return await root_list(
            info,
            entity=NUMBER,
            conditions=number_conditions,
            filter=filter,
            order_by=order_by,
            paging=(first, after, last, before),
            company_pk=single_company(filter.companies if filter else None),
        )

    @strawberry.field(
        description="Calls (the call log). Date labels use the one filtered company's time zone, else UTC."
    )
    @lists(CALLS)
    async def calls(
        self,
        info: Info,
        filter: CallFilter | None = None,
        order_by: CallOrder = CallOrder.STARTED_AT_DESC,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Call]:
        return await root_list(
            info,
            entity=CALL,
            conditions=call_conditions,
            filter=filter,
            order_by=order_by,
            paging=(first, after, last, before),
            company_pk=single_company(filter.companies if filter else None),
        )

    @strawberry.field(description="TrackDrive leads (the lead grid).")
    @lists(LEADS)
    async def leads(
        self,
        info: Info,
        filter: LeadFilter | None = None,
        order_by: LeadOrder = LeadOrder.CREATED_AT_DESC,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Lead]:
        return await root_list(
            info,
            entity=LEAD,
            conditions=lead_conditions,
            filter=filter,
            order_by=order_by,
            paging=(first, after, last, before),
            company_pk=single_company(filter.companies if filter else None),
        )

    @strawberry.field(description="Callers, one per E.164 across vendors.")
    @lists(CALLERS)
    async def callers(
        self,
        info: Info,
        filter: CallerFilter | None = None,
        order_by: CallerOrder = CallerOrder.E164_ASC,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Caller]:
        return await root_list(
            info,
            entity=CALLER,
            conditions=caller_conditions,
            filter=filter,
            order_by=order_by,
            paging=(first, after, last, before),
        )

    call_stats = call_stats_field(
        description=(
            "Call statistics over the same CallFilter as `calls`: totals, groups and local time "
            "buckets (date labels in the one filtered company's zone, else UTC)."
        )
    )

    @strawberry.field(
        description="The account's vendor syncs: scheduled ones (`switchboard schedules`) first, "
        "then those run by hand; progress while running, else the last result. Needs the "
        "sync:read scope.",
        extensions=[RequireScope(SYNC_SCOPE)],
    )
    async def sync_status(self, info: Info) -> list[SyncStatus] | None:
        return await sync_statuses(info.context)

    lead_stats = lead_stats_field(
        description=(
            "Lead statistics over the same LeadFilter as `leads`: totals, groups and local time "
            "buckets of createdAt."
        )
    )


class ExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's, with no "Did you mean" in variable errors when introspection is off:
    the suggestions name enum values and input fields (validation hides them too, limits.py)."""

    @classmethod
    def build(cls, *args: Any, **kwargs: Any) -> Any:
        context = args[3] if len(args) > 3 else kwargs.get("context_value")
        settings = getattr(context, "settings", None)
        if settings is not None and not settings.introspection:
            kwargs["hide_suggestions"] = True
        return super().build(*args, **kwargs)


class SwitchboardSchema(strawberry.Schema):
    """Strawberry's schema, minus its logging of every error at ERROR level: refused documents
    are the client's problem, and the view logs internal errors once, with the request id."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The read-path compiler's plans are cached per schema and collected with it.
        self.compiled_reads = CompiledReads(self, cache_size=512)

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        return None


def build_schema() -> strawberry.Schema:
    """The schema (built once per process; tests vary the context, not the schema)."""
    guard_fields([Query, Company, Source, Number, Call, Lead, Caller, CallStatsRow, LeadStatsRow])
    return SwitchboardSchema(
        query=Query,
        subscription=Subscription,
        types=[Company, Source, Number, Call, Lead, Caller],
        config=StrawberryConfig(scalar_map=SCALAR_MAP),  # type: ignore[arg-type]  # Strawberry types scalar_map keys as object
        execution_context_class=ExecutionContext,
        extensions=[
            SharedParserCache,  # one parse cache with the compiler (app/graphql/parsing.py)
            QueryLimits,  # limits, then cached validation, then cost: before any SQL
        ],
    )


schema = build_schema()
