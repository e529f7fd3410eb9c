"""NumberFilter: Fone Dynamics numbers, Butter phone numbers and CallRail pools."""

import strawberry
from sqlalchemy import and_

from app.graphql.filters.common import (
    Builder,
    Conditions,
    FilterFrame,
    VendorIdInput,
    vendor_ids,
    vendor_links,
)
from app.graphql.scalars import PhoneNumber
from app.models import Number, NumberLink
from app.models.enums import NumberCapability, NumberStatus, NumberType, Vendor

CAPABILITY_COLUMNS = {
    NumberCapability.VOICE: "has_voice",
    NumberCapability.SMS: "has_sms",
    NumberCapability.MMS: "has_mms",
}
NUMBER_LINK = NumberLink.__table__
SEARCHED = ("e164", "friendly_name", "city", "region", "provider", "assigned_agent_id")


@strawberry.input(description="Which numbers to return. Fields combine with AND; lists are any-of.")
class NumberFilter:
    e164: list[PhoneNumber] | None = strawberry.field(
        default=None, description="These numbers, any written form (FD `/v2/Numbers/[Number]`)."
    )
    types: list[NumberType] | None = strawberry.field(
        default=None, description="FD `Type`, any-of."
    )
    capabilities: list[NumberCapability] | None = strawberry.field(
        default=None, description="FD `Capabilites`: numbers having ALL listed capabilities."
    )
    statuses: list[NumberStatus] | None = strawberry.field(
        default=None, description="FD `Status`, any-of."
    )
    assigned: bool | None = strawberry.field(
        default=None, description="Butter `status`: true is assigned, false is free."
    )
    providers: list[str] | None = strawberry.field(
        default=None, description="Butter `provider` (twilio, sip, ...), any-of."
    )
    supports_inbound: bool | None = strawberry.field(
        default=None, description="Butter `supports_inbound`."
    )
    supports_outbound: bool | None = strawberry.field(
        default=None, description="Butter `supports_outbound`."
    )
    assigned_agent_ids: list[str] | None = strawberry.field(
        default=None, description="Butter `assigned_agent_id`, any-of."
    )
    companies: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Numbers of these companies."
    )
    sources: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Numbers of these sources (CallRail tracking numbers)."
    )
    country_codes: list[str] | None = strawberry.field(
        default=None, description="FD `CountryCode` (AU, US), any-of, case-insensitive."
    )
    vendors: list[Vendor] | None = strawberry.field(
        default=None, description="Numbers reported by any of these vendors."
    )
    vendor_ids: list[VendorIdInput] | None = strawberry.field(
        default=None,
        description=(
            "Numbers with any of these vendor ids (Butter `phone_number_id`; the E.164 for "
            "CallRail and FD; FD `AccountSid` as accountId)."
        ),
    )
    search: str | None = strawberry.field(
        default=None,
        description="Case-insensitive text in the number, friendly name, city, region, provider or agent.",
    )


def number_conditions(value: NumberFilter | None, frame: FilterFrame) -> Conditions:
    builder = Builder(Number.__table__, frame)
    if value is None:
        return builder.result
    table = builder.table
    builder.phones("e164", value.e164, "e164")
    builder.any_of("number_type", value.types)
    if value.capabilities:
        builder.add(and_(*(table.c[CAPABILITY_COLUMNS[c]].is_(True) for c in value.capabilities)))
    builder.any_of("status", value.statuses)
    builder.equals("assigned", value.assigned)
    builder.any_of("provider", value.providers)
    builder.equals("supports_inbound", value.supports_inbound)
    builder.equals("supports_outbound", value.supports_outbound)
    builder.any_of("assigned_agent_id", value.assigned_agent_ids)
    builder.ids("company_id", value.companies, "Company", "companies")
    builder.ids("source_id", value.sources, "Source", "sources")
    if value.country_codes is not None:
        builder.any_of("country_code", [code.upper() for code in value.country_codes])
    vendor_links(builder, value.vendors)
    vendor_ids(builder, "id", value.vendor_ids, "vendorIds", table=NUMBER_LINK, key="number_id")
    builder.search(SEARCHED, value.search)
    return builder.result
