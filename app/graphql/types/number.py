"""Number: a phone number the business owns, one per account and E.164 across vendors."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from app.graphql.entities import NUMBER
from app.graphql.scalars import PhoneNumber
from app.graphql.stats.calls import call_stats_field
from app.graphql.types.attribution import (
    ATTRIBUTION_COLUMNS,
    Attribution,
    attribution_of,
    embeds,
)
from app.graphql.types.base import Info, Node, relation
from app.graphql.types.nested import CALLS, NestedList, nested_field
from app.graphql.types.vendor_ids import NUMBER_VENDOR_IDS, vendor_ids_field
from app.models.enums import (
    NumberCapability,
    NumberStatus,
    NumberType,
    RecordingMode,
    RoutingMethod,
    Vendor,
)

if TYPE_CHECKING:
    from app.graphql.types.company import Company
    from app.graphql.types.source import Source

CompanyT = Annotated["Company", strawberry.lazy("app.graphql.types.company")]
SourceT = Annotated["Source", strawberry.lazy("app.graphql.types.source")]


@NUMBER.bind
@strawberry.type(
    description=(
        "A phone number the business owns: FD Numbers, Butter phone numbers and CallRail "
        "tracking numbers with the same E.164 are one Number."
    )
)
class Number(Node):
    company_id: strawberry.Private[int]
    source_id: strawberry.Private[int | None]
    has_voice: strawberry.Private[bool]
    has_sms: strawberry.Private[bool]
    has_mms: strawberry.Private[bool]
    attribution_source: strawberry.Private[str | None]
    attribution_medium: strawberry.Private[str | None]
    attribution_campaign: strawberry.Private[str | None]
    attribution_content: strawberry.Private[str | None]

    e164: PhoneNumber = strawberry.field(
        description="FD `Number`, Butter `phone_number`, CallRail `tracking_numbers[]`, in E.164."
    )
    is_valid: bool = strawberry.field(
        description="Whether phonenumbers' metadata calls the number valid (kept either way)."
    )
    number_type: NumberType = strawberry.field(
        name="type", description="FD `Type`; else from phonenumbers."
    )
    friendly_name: str | None = strawberry.field(description="FD `Friendly`.")
    status: NumberStatus | None = strawberry.field(description="FD `Status`: Active or Pending.")
    provider: str | None = strawberry.field(description="Butter `provider` (twilio, sip, ...).")
    assigned: bool | None = strawberry.field(
        description="Butter `status`: true when assigned to an agent, false when free."
    )
    supports_inbound: bool | None = strawberry.field(description="Butter `supports_inbound`.")
    supports_outbound: bool | None = strawberry.field(description="Butter `supports_outbound`.")
    assigned_agent_id: str | None = strawberry.field(description="Butter `assigned_agent_id`.")
    routing_method: RoutingMethod | None = strawberry.field(description="FD `RoutingMethod`.")
    endpoint_e164: PhoneNumber | None = strawberry.field(
        name="endpointNumber",
        description="FD `EndpointNumber`, or CallRail `destination_number`: where calls ring.",
    )
    recording_mode: RecordingMode | None = strawberry.field(description="FD `Recording`.")
    country_code: str | None = strawberry.field(description="FD `CountryCode` (AU, US).")
    region: str | None = strawberry.field(description="FD `Region`.")
    city: str | None = strawberry.field(description="FD `City`.")
    keyword_pool: bool = strawberry.field(
        description="Part of a CallRail keyword pool (a source with several tracking numbers)."
    )
    created_at: datetime = strawberry.field(
        description="Butter `created_at`; else when Switchboard first saw the number."
    )
    updated_at: datetime = strawberry.field(description="When Switchboard last changed it.")

    @strawberry.field(description="FD `Capabilities`: Voice, SMS, MMS.")
    def capabilities(self) -> list[NumberCapability]:
        flags = (
            (self.has_voice, NumberCapability.VOICE),
            (self.has_sms, NumberCapability.SMS),
            (self.has_mms, NumberCapability.MMS),
        )
        return [capability for present, capability in flags if present]

    @strawberry.field(description="FD `Attribution_*` for calls to this number.")
    @embeds(ATTRIBUTION_COLUMNS)
    def attribution(self) -> Attribution:
        return attribution_of(self)

    @strawberry.field(description="Every vendor that reports this number.")
    def vendors(self, info: Info) -> list[Vendor]:
        return info.context.loaders.vendors_by_number_id.load(self.pk)  # type: ignore[return-value]  # Strawberry awaits the loader's future

    vendor_ids = vendor_ids_field(
        NUMBER_VENDOR_IDS,
        description=(
            "Each vendor's id for the number (Butter `phone_number_id`; CallRail and FD key it "
            "by E.164), with FD's `AccountSid`, by vendor then id."
        ),
    )

    @strawberry.field(description="The company that owns the number.")
    def company(self, info: Info) -> CompanyT:
        return relation(self, info, "company")  # type: ignore[no-any-return]

    @strawberry.field(description="The source it tracks (CallRail source, FD Attribution_Source).")
    def source(self, info: Info) -> SourceT | None:
        return relation(self, info, "source")  # type: ignore[no-any-return]

    calls = nested_field(
        NestedList(CALLS, parent_column="number_id"),
        description="Calls to this number (FD `To`).",
    )

    call_stats = call_stats_field(
        NestedList(CALLS, parent_column="number_id"),
        description="Statistics of the calls to this number (its company's zone).",
    )
