"""Lead: a TrackDrive lead with every column its document lists."""

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.scalars import JSON

from app.graphql.entities import LEAD
from app.graphql.types.base import Info, Node, relation
from app.graphql.types.nested import CALLS, NestedList, nested_field
from app.models.enums import Vendor

if TYPE_CHECKING:
    from app.graphql.types.caller import Caller
    from app.graphql.types.company import Company
    from app.graphql.types.source import Source

CallerT = Annotated["Caller", strawberry.lazy("app.graphql.types.caller")]
CompanyT = Annotated["Company", strawberry.lazy("app.graphql.types.company")]
SourceT = Annotated["Source", strawberry.lazy("app.graphql.types.source")]


@LEAD.bind
@strawberry.type(
    description=(
        "A TrackDrive lead with every column of its leads document (the `columns` parameter "
        "is the selection set; `serializer` and `root` have fragments in the README instead)."
    )
)
class Lead(Node):
    company_id: strawberry.Private[int]
    source_id: strawberry.Private[int | None]
    caller_id: strawberry.Private[int | None]

    external_id: str = strawberry.field(description="TrackDrive `id`.")
    lead_type: str | None = strawberry.field(name="type", description="TrackDrive `type`.")
    vendor: Vendor = strawberry.field(description="Always TRACKDRIVE today.")
    legacy_id: str | None = strawberry.field(description="TrackDrive `legacy_id`.")
    uuid: str | None = strawberry.field(description="TrackDrive `uuid`.")
    created_at: datetime = strawberry.field(description="TrackDrive `created_at` (UTC).")
    updated_at: datetime = strawberry.field(description="TrackDrive `updated_at` (UTC).")
    deleted_at: datetime | None = strawberry.field(description="TrackDrive `deleted_at` (UTC).")
    user_updated_at: datetime | None = strawberry.field(
        description="TrackDrive `user_updated_at` (UTC)."
    )
    routes_show_path: str | None = strawberry.field(description="TrackDrive `routes_show_path`.")
    routes_edit_path: str | None = strawberry.field(description="TrackDrive `routes_edit_path`.")
    external_record_id: str | None = strawberry.field(
        description="TrackDrive `external_record_id`."
    )
    context_menu_name: str | None = strawberry.field(description="TrackDrive `context_menu_name`.")
    name: str | None = strawberry.field(description="TrackDrive `name`.")
    caller_number: str | None = strawberry.field(
        description="TrackDrive `caller_id` as TrackDrive sent it (see `caller` for the E.164 Caller)."
    )
    email: str | None = strawberry.field(description="TrackDrive `email`.")
    full_name: str | None = strawberry.field(description="TrackDrive `full_name`.")
    contact_field_type: str | None = strawberry.field(
        description="TrackDrive `contact_field_type`."
    )
    expires_in: str | None = strawberry.field(description="TrackDrive `expires_in`.")
    country: str | None = strawberry.field(description="TrackDrive `country`.")
    state_province: str | None = strawberry.field(description="TrackDrive `state_province`.")
    zip_postal_code: str | None = strawberry.field(description="TrackDrive `zip_postal_code`.")
    time_zone: str | None = strawberry.field(description="TrackDrive `time_zone`.")
    sub_id: str | None = strawberry.field(description="TrackDrive `sub_id`.")
    offer_id: str | None = strawberry.field(description="TrackDrive `offer_id`.")
    schedule_id: str | None = strawberry.field(description="TrackDrive `schedule_id`.")
    contact_id: str | None = strawberry.field(description="TrackDrive `contact_id`.")
    status: str | None = strawberry.field(description="TrackDrive `status`.")
    status_wait: str | None = strawberry.field(description="TrackDrive `status_wait`.")
    human_status: str | None = strawberry.field(description="TrackDrive `human_status`.")
    css_status: str | None = strawberry.field(description="TrackDrive `css_status`.")
    has_next_action: bool = strawberry.field(description="TrackDrive `has_next_action`.")
    opt_out: bool = strawberry.field(description="TrackDrive `opt_out`.")
    revenue: Decimal = strawberry.field(description="TrackDrive `revenue`.")
    payout: Decimal = strawberry.field(description="TrackDrive `payout`.")
    offer_converted: bool = strawberry.field(description="TrackDrive `offer_converted`.")
    buyer_converted: bool = strawberry.field(description="TrackDrive `buyer_converted`.")
    traffic_source_id: str | None = strawberry.field(
        description="TrackDrive `traffic_source_id` (see `source`)."
    )
    buyer_id: str | None = strawberry.field(description="TrackDrive `buyer_id`.")
    lead_import_id: str | None = strawberry.field(description="TrackDrive `lead_import_id`.")
    remote_ip: str | None = strawberry.field(description="TrackDrive `remote_ip`.")
    attempted_call_id: str | None = strawberry.field(description="TrackDrive `attempted_call_id`.")
    connected_call_id: str | None = strawberry.field(description="TrackDrive `connected_call_id`.")
    scheduled_callback_id: str | None = strawberry.field(
        description="TrackDrive `scheduled_callback_id`."
    )
    call_buyer_conversion_id: str | None = strawberry.field(
        description="TrackDrive `call_buyer_conversion_id`."
    )
    call_offer_conversion_id: str | None = strawberry.field(
        description="TrackDrive `call_offer_conversion_id`."
    )
    sms_number_id: str | None = strawberry.field(description="TrackDrive `sms_number_id`.")
    dial_number_id: str | None = strawberry.field(description="TrackDrive `dial_number_id`.")
    dial_tier: str | None = strawberry.field(description="TrackDrive `dial_tier`.")
    last_action_at: datetime | None = strawberry.field(
        description="TrackDrive `last_action_at` (UTC)."
    )
    first_action_at: datetime | None = strawberry.field(
        description="TrackDrive `first_action_at` (UTC)."
    )
    first_queued_at: datetime | None = strawberry.field(
        description="TrackDrive `first_queued_at` (UTC)."
    )
    schedule_ended_at: datetime | None = strawberry.field(
        description="TrackDrive `schedule_ended_at` (UTC)."
    )
    next_action_at: datetime | None = strawberry.field(
        description="TrackDrive `next_action_at` (UTC)."
    )
    last_call_at: datetime | None = strawberry.field(description="TrackDrive `last_call_at` (UTC).")
    is_live: bool = strawberry.field(description="TrackDrive `is_live`.")
    schedule_trigger_type: str | None = strawberry.field(
        description="TrackDrive `schedule_trigger_type`."
    )
    blocked: bool = strawberry.field(description="TrackDrive `blocked`.")
    data: JSON | None = strawberry.field(description="TrackDrive `data`: the lead's custom fields.")

    @strawberry.field(description="The company the lead belongs to.")
    def company(self, info: Info) -> CompanyT:
        return relation(self, info, "company")  # type: ignore[no-any-return]

    @strawberry.field(description="The traffic source (TrackDrive `traffic_source_id`).")
    def source(self, info: Info) -> SourceT | None:
        return relation(self, info, "source")  # type: ignore[no-any-return]

    @strawberry.field(description="The caller (TrackDrive `caller_id`, as E.164).")
    def caller(self, info: Info) -> CallerT | None:
        return relation(self, info, "caller")  # type: ignore[no-any-return]

    calls = nested_field(
        NestedList(CALLS, parent_column="caller_id", parent_key="caller_id"),
        description=(
            "Calls from the lead's caller (same E.164, any vendor and company): the id a "
            "TrackDrive lead shares with call records."
        ),
    )
