"""Caller: the person behind one E.164 number, across vendors."""

import strawberry

from app.graphql.entities import CALLER
from app.graphql.scalars import PhoneNumber
from app.graphql.stats.calls import call_stats_field
from app.graphql.stats.leads import lead_stats_field
from app.graphql.types.base import Info, Node
from app.graphql.types.nested import CALLS, LEADS, NestedList, nested_field


@CALLER.bind
@strawberry.type(
    description="A person calling, identified by E.164 across vendors (FD `From`, TrackDrive `caller_id`)."
)
class Caller(Node):
    e164: PhoneNumber = strawberry.field(description="The caller's number in E.164.")
    is_valid: bool = strawberry.field(description="Whether phonenumbers calls the number valid.")

    @strawberry.field(description="How many calls this caller made, to any company.")
    def call_count(self, info: Info) -> int:
        return info.context.loaders.call_count_by_caller_id.load(self.pk)  # type: ignore[return-value]  # Strawberry awaits the loader's future

    calls = nested_field(
        NestedList(CALLS, parent_column="caller_id", company_column=None),
        description="The caller's calls, any company and vendor.",
    )

    leads = nested_field(
        NestedList(LEADS, parent_column="caller_id", company_column=None),
        description="The caller's TrackDrive leads.",
    )

    call_stats = call_stats_field(
        NestedList(CALLS, parent_column="caller_id", company_column=None),
        description="Statistics of this caller's calls (UTC unless the filter gives a zone).",
    )

    lead_stats = lead_stats_field(
        NestedList(LEADS, parent_column="caller_id", company_column=None),
        description="Statistics of this caller's leads (UTC unless the filter gives a zone).",
    )
