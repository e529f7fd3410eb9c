"""LeadFilter: every filter TrackDrive's leads document lists."""

import strawberry
from sqlalchemy import func, or_

from app.graphql.dates import DateRange
from app.graphql.filters.common import Builder, Conditions, FilterFrame, negate_if
from app.graphql.scalars import PhoneNumber
from app.models import Lead

# TrackDrive `fulltext` matches any text column, and any value of the lead's `data`.
SEARCHED = (
    "external_id",
    "uuid",
    "name",
    "full_name",
    "email",
    "caller_number",
    "status",
    "human_status",
    "country",
    "state_province",
    "zip_postal_code",
    "sub_id",
    "external_record_id",
    "remote_ip",
    "context_menu_name",
)


@strawberry.input(description="Which leads to return. Fields combine with AND; lists are any-of.")
class LeadFilter:
    companies: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Leads of these companies."
    )
    sources: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Leads of these traffic Sources (Switchboard IDs)."
    )
    created_at: DateRange | None = strawberry.field(
        default=None,
        description="TrackDrive `created_at_from`/`created_at_to`/`created_at_label`/`time_zone`.",
    )
    next_action_at: DateRange | None = strawberry.field(
        default=None, description="TrackDrive `next_action_at_from`/`next_action_at_to`."
    )
    search: str | None = strawberry.field(
        default=None,
        description=(
            "TrackDrive `fulltext`: case-insensitive text in any text column or in any value "
            "of `data`."
        ),
    )
    offer_ids: list[str] | None = strawberry.field(default=None, description="`offer_id`.")
    schedule_ids: list[str] | None = strawberry.field(default=None, description="`schedule_id`.")
    contact_ids: list[str] | None = strawberry.field(default=None, description="`contact_id`.")
    traffic_source_ids: list[str] | None = strawberry.field(
        default=None, description="TrackDrive `traffic_source_id`."
    )
    buyer_ids: list[str] | None = strawberry.field(default=None, description="`buyer_id`.")
    statuses: list[str] | None = strawberry.field(default=None, description="`status`, any-of.")
    status_wait: list[str] | None = strawberry.field(
        default=None, description="`status_wait`: leads waiting before an action, any-of."
    )
    caller: PhoneNumber | None = strawberry.field(
        default=None,
        description="TrackDrive `number`: leads with this caller id, any written form.",
    )
    email: str | None = strawberry.field(
        default=None, description="TrackDrive `email`, case-insensitive exact match."
    )
    has_next_action: bool | None = strawberry.field(
        default=None, description="TrackDrive `has_next_action`."
    )
    buyer_converted: bool | None = strawberry.field(
        default=None, description="TrackDrive `buyer_converted`."
    )
    offer_converted: bool | None = strawberry.field(
        default=None, description="TrackDrive `offer_converted` (the traffic source converted)."
    )
    either_converted: bool | None = strawberry.field(
        default=None,
        description="TrackDrive `either_converted`: true if buyer or offer converted, false if neither.",
    )
    opt_out: bool | None = strawberry.field(default=None, description="TrackDrive `opt_out`.")


def lead_conditions(value: LeadFilter | None, frame: FilterFrame) -> Conditions:
    builder = Builder(Lead.__table__, frame)
    if value is None:
        return builder.result
    table = builder.table
    builder.ids("company_id", value.companies, "Company", "companies")
    builder.ids("source_id", value.sources, "Source", "sources")
    builder.date_range("created_at", value.created_at, "createdAt")
    builder.date_range("next_action_at", value.next_action_at, "nextActionAt")
    builder.search(SEARCHED, value.search, json_columns=("data",))
    builder.any_of("offer_id", value.offer_ids)
    builder.any_of("schedule_id", value.schedule_ids)
    builder.any_of("contact_id", value.contact_ids)
    builder.any_of("traffic_source_id", value.traffic_source_ids)
    builder.any_of("buyer_id", value.buyer_ids)
    builder.any_of("status", value.statuses)
    builder.any_of("status_wait", value.status_wait)
    builder.caller(value.caller)
    if value.email is not None:
        builder.add(func.lower(table.c.email) == value.email.strip().lower())
    builder.equals("has_next_action", value.has_next_action)
    builder.equals("buyer_converted", value.buyer_converted)
    builder.equals("offer_converted", value.offer_converted)
    builder.equals("opt_out", value.opt_out)
    if value.either_converted is not None:
        either = or_(table.c.buyer_converted.is_(True), table.c.offer_converted.is_(True))
        builder.add(negate_if(either, value.either_converted))
    return builder.result
