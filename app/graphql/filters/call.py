"""CallFilter: the Fone Dynamics calls document's filters plus what a call log needs."""

import strawberry

from app.graphql.dates import DateRange
from app.graphql.enums import CallerType
from app.graphql.filters.common import (
    AttributionFilter,
    Builder,
    Conditions,
    FilterFrame,
    IntRange,
    VendorIdInput,
    apply_attribution,
    caller_type,
    int_range,
    presence,
    prompt_paths,
    vendor_ids,
)
from app.graphql.scalars import PhoneNumber
from app.models import Call, CompanyLink, Source
from app.models.enums import CallDisposition, TrafficType, Vendor

SEARCHED = ("notes", "caller_raw", "caller_city", "keywords", "call_type")


@strawberry.input(description="Which calls to return. Fields combine with AND; lists are any-of.")
class CallFilter:
    companies: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Calls of these companies (FD PropertySid)."
    )
    sources: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Calls attributed to these sources."
    )
    company_vendor_ids: list[VendorIdInput] | None = strawberry.field(
        default=None,
        description="Calls of the companies with any of these vendor ids (FD `PropertySid`, ...).",
    )
    source_vendor_ids: list[VendorIdInput] | None = strawberry.field(
        default=None,
        description="Calls attributed to the sources with any of these vendor ids (CallRail `id`).",
    )
    numbers: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Calls to these numbers."
    )
    caller: PhoneNumber | None = strawberry.field(
        default=None, description="Calls from this caller (FD `From`), any written form."
    )
    started_at: DateRange | None = strawberry.field(
        default=None, description="Start time (FD `After` inclusive, `Before` exclusive)."
    )
    dispositions: list[CallDisposition] | None = strawberry.field(
        default=None, description="FD `Disposition`, any-of."
    )
    dialled: list[PhoneNumber] | None = strawberry.field(
        default=None, description="FD `To`: the number dialled, matched after normalization."
    )
    endpoints: list[PhoneNumber] | None = strawberry.field(
        default=None, description="FD `Endpoint`, matched after normalization."
    )
    attribution: AttributionFilter | None = strawberry.field(
        default=None, description="FD `Attribution_Source/Medium/Campaign/Content`."
    )
    prompt_keys: list[list[str]] | None = strawberry.field(
        default=None,
        description=(
            'FD `Prompts_keys` as paths (`1,2;3,5` is [["1","2"],["3","5"]]); a call '
            'matches when its key path starts with any given path, so [["1"]] matches 1 and 1,2.'
        ),
    )
    caller_type: CallerType | None = strawberry.field(
        default=None,
        description=(
            "FD `Unique`: UNIQUE is a caller's first call to the company (same E.164, any "
            "vendor), REPEAT any later one; anonymous callers match only ALL."
        ),
    )
    external_ids: list[str] | None = strawberry.field(
        default=None, description="The vendors' own call ids (FD `CallSid`)."
    )
    duration: IntRange | None = strawberry.field(
        default=None, description="FD `Duration` in seconds, inclusive."
    )
    has_recording: bool | None = strawberry.field(
        default=None, description="Whether FD `Recording_Uri` is present."
    )
    traffic_types: list[TrafficType] | None = strawberry.field(
        default=None, description="FD `Session_Traffic_Type`, any-of."
    )
    vendors: list[Vendor] | None = strawberry.field(default=None, description="Vendor, any-of.")
    search: str | None = strawberry.field(
        default=None,
        description="Case-insensitive text in notes, caller, caller city, keywords or call type.",
    )


def call_conditions(value: CallFilter | None, frame: FilterFrame) -> Conditions:
    builder = Builder(Call.__table__, frame)
    if value is None:
        return builder.result
    builder.ids("company_id", value.companies, "Company", "companies")
    builder.ids("source_id", value.sources, "Source", "sources")
    builder.ids("number_id", value.numbers, "Number", "numbers")
    vendor_ids(
        builder,
        "company_id",
        value.company_vendor_ids,
        "companyVendorIds",
        table=CompanyLink.__table__,
        key="company_id",
    )
    vendor_ids(
        builder,
        "source_id",
        value.source_vendor_ids,
        "sourceVendorIds",
        table=Source.__table__,
        key="id",
    )
    builder.caller(value.caller)
    builder.date_range("started_at", value.started_at, "startedAt")
    builder.any_of("disposition", value.dispositions)
    builder.phones("dialled_e164", value.dialled, "dialled")
    builder.phones("endpoint_e164", value.endpoints, "endpoints")
    apply_attribution(builder, value.attribution)
    prompt_paths(builder, value.prompt_keys)
    caller_type(builder, value.caller_type)
    builder.any_of("external_id", value.external_ids)
    int_range(builder, "duration_seconds", value.duration, "duration")
    presence(builder, "recording_url", value.has_recording)
    builder.any_of("traffic_type", value.traffic_types)
    builder.any_of("vendor", value.vendors)
    builder.search(SEARCHED, value.search)
    return builder.result
