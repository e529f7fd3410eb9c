"""Caller: the person behind one E.164 number, across vendors."""

from typing import TYPE_CHECKING, Annotated

import strawberry

from app.graphql.connection import Connection
from app.graphql.entities import CALL, CALLER, LEAD
from app.graphql.enums import CallOrder, LeadOrder
from app.graphql.filters.call import CallFilter, call_conditions
from app.graphql.filters.lead import LeadFilter, lead_conditions
from app.graphql.prefetch import prefetchable, prefetched
from app.graphql.scalars import PhoneNumber
from app.graphql.types.base import Info, Node
from app.graphql.types.lists import nested_list

if TYPE_CHECKING:
    from app.graphql.types.call import Call
    from app.graphql.types.lead import Lead

CallT = Annotated["Call", strawberry.lazy("app.graphql.types.call")]
LeadT = Annotated["Lead", strawberry.lazy("app.graphql.types.lead")]


@CALLER.bind
@strawberry.type(
    description="A person calling, identified by E.164 across vendors (FD `From`, TrackDrive `caller_id`)."
)
class Caller(Node):
    e164: PhoneNumber = strawberry.field(description="The caller's number in E.164.")
    is_valid: bool = strawberry.field(description="Whether phonenumbers calls the number valid.")

    @strawberry.field(description="How many calls this caller made, to any company.")
    @prefetchable("callCount")
    def call_count(self, info: Info) -> int:
        found, value = prefetched(self, "callCount")
        return value if found else info.context.loaders.call_count_by_caller_id.load(self.pk)  # type: ignore[no-any-return]

    @strawberry.field(description="The caller's calls, any company and vendor.")
    async def calls(
        self,
        info: Info,
        filter: CallFilter | None = None,
        order_by: CallOrder = CallOrder.STARTED_AT_DESC,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[CallT]:
        return await nested_list(
            info,
            entity=CALL,
            conditions=call_conditions,
            filter=filter,
            order_by=order_by,
            paging=(first, after, last, before),
            parent_column="caller_id",
            parent_id=self.pk,
            company_pk=None,
        )

    @strawberry.field(description="The caller's TrackDrive leads.")
    async def leads(
        self,
        info: Info,
        filter: LeadFilter | None = None,
        order_by: LeadOrder = LeadOrder.CREATED_AT_DESC,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[LeadT]:
        return await nested_list(
            info,
            entity=LEAD,
            conditions=lead_conditions,
            filter=filter,
            order_by=order_by,
            paging=(first, after, last, before),
            parent_column="caller_id",
            parent_id=self.pk,
            company_pk=None,
        )
