"""Company: CallRail company, Fone Dynamics property, Butter organization, TrackDrive company."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from app.graphql.connection import Connection
from app.graphql.entities import CALL, COMPANY, LEAD, NUMBER, SOURCE
from app.graphql.enums import CallOrder, LeadOrder, NumberOrder, SourceOrder
from app.graphql.filters.call import CallFilter, call_conditions
from app.graphql.filters.lead import LeadFilter, lead_conditions
from app.graphql.filters.number import NumberFilter, number_conditions
from app.graphql.filters.source import SourceFilter, source_conditions
from app.graphql.types.base import Info, Node
from app.graphql.types.lists import nested_list
from app.models.enums import Vendor

if TYPE_CHECKING:
    from app.graphql.types.call import Call
    from app.graphql.types.lead import Lead
    from app.graphql.types.number import Number
    from app.graphql.types.source import Source

CallT = Annotated["Call", strawberry.lazy("app.graphql.types.call")]
LeadT = Annotated["Lead", strawberry.lazy("app.graphql.types.lead")]
NumberT = Annotated["Number", strawberry.lazy("app.graphql.types.number")]
SourceT = Annotated["Source", strawberry.lazy("app.graphql.types.source")]


@COMPANY.bind
@strawberry.type(
    description=(
        "A tracked business: a CallRail company, Fone Dynamics property, Butter organization "
        "or TrackDrive company."
    )
)
class Company(Node):
    name: str = strawberry.field(description="CallRail `company_name`; else the vendor's id.")
    time_zone: str = strawberry.field(description="IANA time zone; date labels resolve in it.")
    default_region: str = strawberry.field(
        description="Region for numbers written without a country code (ISO 3166 alpha-2)."
    )
    vendor: Vendor = strawberry.field(description="The vendor the company was first seen in.")
    external_id: str = strawberry.field(
        description="CallRail `company_id`, FD `PropertySid`, Butter organization or TrackDrive id."
    )
    vendor_account_id: str | None = strawberry.field(description="Fone Dynamics `AccountSid`.")
    created_at: datetime = strawberry.field(description="When Switchboard first saw it.")

    @strawberry.field(
        description="The company's sources (CallRail sources, FD attribution sources, TrackDrive traffic sources)."
    )
    async def sources(
        self,
        info: Info,
        filter: SourceFilter | None = None,
        order_by: SourceOrder = SourceOrder.NAME_ASC,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[SourceT]:
        return await nested_list(
            info,
            entity=SOURCE,
            conditions=source_conditions,
            filter=filter,
            order_by=order_by,
            paging=(first, after, last, before),
            parent_column="company_id",
            parent_id=self.pk,
            company_pk=self.pk,
            company_scope=(self.time_zone, self.default_region),
        )

    @strawberry.field(description="The company's phone numbers.")
    async def numbers(
        self,
        info: Info,
        filter: NumberFilter | None = None,
        order_by: NumberOrder = NumberOrder.E164_ASC,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[NumberT]:
        return await nested_list(
            info,
            entity=NUMBER,
            conditions=number_conditions,
            filter=filter,
            order_by=order_by,
            paging=(first, after, last, before),
            parent_column="company_id",
            parent_id=self.pk,
            company_pk=self.pk,
            company_scope=(self.time_zone, self.default_region),
        )

    @strawberry.field(description="Calls to the company's numbers; date labels use its time zone.")
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
            parent_column="company_id",
            parent_id=self.pk,
            company_pk=self.pk,
            company_scope=(self.time_zone, self.default_region),
        )

    @strawberry.field(description="The company's TrackDrive leads; date labels use its time zone.")
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
            parent_column="company_id",
            parent_id=self.pk,
            company_pk=self.pk,
            company_scope=(self.time_zone, self.default_region),
        )
