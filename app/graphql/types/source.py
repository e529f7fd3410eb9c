"""Source: where calls come from."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from app.graphql.entities import SOURCE
from app.graphql.scalars import PhoneNumber
from app.graphql.stats.calls import call_stats_field
from app.graphql.stats.leads import lead_stats_field
from app.graphql.types.base import Info, Node, relation
from app.graphql.types.nested import CALLS, LEADS, NUMBERS, NestedList, nested_field
from app.models.enums import TrackingType, Vendor

if TYPE_CHECKING:
    from app.graphql.types.company import Company

CompanyT = Annotated["Company", strawberry.lazy("app.graphql.types.company")]


@SOURCE.bind
@strawberry.type(
    description=(
        "Where calls come from: a CallRail source, a Fone Dynamics attribution source or a "
        "TrackDrive traffic source."
    )
)
class Source(Node):
    company_id: strawberry.Private[int]

    name: str = strawberry.field(
        description="CallRail `name`; FD `Attribution_Source`; TrackDrive traffic source id."
    )
    tracking_type: TrackingType = strawberry.field(
        description="CallRail `type`: Source or Session."
    )
    created_at: datetime = strawberry.field(description="CallRail `created_at` (UTC).")
    disabled_at: datetime | None = strawberry.field(
        description="CallRail `disabled_at` (UTC); null while enabled."
    )
    destination_e164: PhoneNumber | None = strawberry.field(
        name="destinationNumber",
        description="CallRail `destination_number`: what tracking numbers ring.",
    )
    vendor: Vendor = strawberry.field(description="The vendor that named this source.")
    external_id: str = strawberry.field(
        description="CallRail `id`; FD `PropertySid:Attribution_Source`; TrackDrive `traffic_source_id`."
    )

    @strawberry.field(description="Whether the source is enabled (CallRail `disabled_at` is null).")
    def enabled(self) -> bool:
        return self.disabled_at is None

    @strawberry.field(description="The company the source belongs to (CallRail `company_id`).")
    def company(self, info: Info) -> CompanyT:
        return relation(self, info, "company")  # type: ignore[no-any-return]

    numbers = nested_field(
        NestedList(NUMBERS, parent_column="source_id"),
        description="The source's tracking numbers (CallRail `tracking_numbers`).",
    )

    calls = nested_field(
        NestedList(CALLS, parent_column="source_id"),
        description="Calls attributed to this source.",
    )

    leads = nested_field(
        NestedList(LEADS, parent_column="source_id"),
        description="Leads from this traffic source (TrackDrive `traffic_source_id`).",
    )

    call_stats = call_stats_field(
        NestedList(CALLS, parent_column="source_id"),
        description="Statistics of the calls attributed to this source (its company's zone).",
    )

    lead_stats = lead_stats_field(
        NestedList(LEADS, parent_column="source_id"),
        description="Statistics of this traffic source's leads (its company's zone).",
    )
