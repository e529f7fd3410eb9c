"""Call: one call to a Number (Fone Dynamics call records)."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from app.graphql.entities import CALL
from app.graphql.scalars import PhoneNumber
from app.graphql.types.attribution import (
    ATTRIBUTION_COLUMNS,
    Attribution,
    attribution_of,
    embedded,
    embeds,
)
from app.graphql.types.base import Info, Node, relation
from app.models.enums import CallDisposition, TrafficType, Vendor

if TYPE_CHECKING:
    from app.graphql.types.caller import Caller
    from app.graphql.types.company import Company
    from app.graphql.types.number import Number
    from app.graphql.types.source import Source

CallerT = Annotated["Caller", strawberry.lazy("app.graphql.types.caller")]
CompanyT = Annotated["Company", strawberry.lazy("app.graphql.types.company")]
NumberT = Annotated["Number", strawberry.lazy("app.graphql.types.number")]
SourceT = Annotated["Source", strawberry.lazy("app.graphql.types.source")]


@strawberry.type(description="Fone Dynamics Session_* values: the web session behind a call.")
class CallSession:
    traffic_type: TrafficType | None = strawberry.field(description="`Session_Traffic_Type`.")
    keywords: str | None = strawberry.field(description="`Session_Keywords`.")
    conversion_uri: str | None = strawberry.field(description="`Session_ConversionUri`.")
    landing_uri: str | None = strawberry.field(description="`Session_LandingUri`.")


@strawberry.type(description="Fone Dynamics Survey_* values assigned during routing.")
class CallSurvey:
    type: str | None = strawberry.field(description="`Survey_Type`.")
    value: str | None = strawberry.field(description="`Survey_Value`.")
    custom1: str | None = strawberry.field(description="`Survey_Custom1`.")
    custom2: str | None = strawberry.field(description="`Survey_Custom2`.")
    custom3: str | None = strawberry.field(description="`Survey_Custom3`.")
    unique_code: str | None = strawberry.field(description="`Survey_UniqueCode`.")


SESSION_COLUMNS = {n: n for n in ("traffic_type", "keywords", "conversion_uri", "landing_uri")}
SURVEY_COLUMNS = {
    n: f"survey_{n}" for n in ("type", "value", "custom1", "custom2", "custom3", "unique_code")
}


@CALL.bind
@strawberry.type(description="One call to a Number (Fone Dynamics call record).")
class Call(Node):
    company_id: strawberry.Private[int]
    number_id: strawberry.Private[int | None]
    source_id: strawberry.Private[int | None]
    caller_id: strawberry.Private[int | None]
    attribution_source: strawberry.Private[str | None]
    attribution_medium: strawberry.Private[str | None]
    attribution_campaign: strawberry.Private[str | None]
    attribution_content: strawberry.Private[str | None]
    traffic_type: strawberry.Private[str | None]
    keywords: strawberry.Private[str | None]
    conversion_uri: strawberry.Private[str | None]
    landing_uri: strawberry.Private[str | None]
    survey_type: strawberry.Private[str | None]
    survey_value: strawberry.Private[str | None]
    survey_custom1: strawberry.Private[str | None]
    survey_custom2: strawberry.Private[str | None]
    survey_custom3: strawberry.Private[str | None]
    survey_unique_code: strawberry.Private[str | None]
    prompt_keys: strawberry.Private[str | None]

    started_at: datetime = strawberry.field(
        description="FD `DateTime`: when the call started (UTC)."
    )
    duration_seconds: int = strawberry.field(description="FD `Duration` in seconds.")
    disposition: CallDisposition = strawberry.field(description="FD `Disposition`.")
    is_first_call: bool = strawberry.field(
        description=(
            "The caller's first call to the company (same E.164, any vendor); false for repeats "
            "and anonymous callers (FD `Unique`)."
        )
    )
    caller_raw: str | None = strawberry.field(
        name="callerNumber", description="FD `From` as the vendor sent it ('anonymous' kept)."
    )
    caller_country_code: str | None = strawberry.field(description="FD `From_CountryCode`.")
    caller_region: str | None = strawberry.field(description="FD `From_Region`.")
    caller_city: str | None = strawberry.field(description="FD `From_City`.")
    dialled_e164: PhoneNumber | None = strawberry.field(
        name="dialledNumber", description="FD `To`: the number dialled."
    )
    dialled_friendly: str | None = strawberry.field(
        name="dialledFriendlyName", description="FD `To_Friendly`."
    )
    endpoint_e164: PhoneNumber | None = strawberry.field(
        name="endpointNumber", description="FD `Endpoint`: where the call was routed."
    )
    recording_url: str | None = strawberry.field(description="FD `Recording_Uri`.")
    notes: str | None = strawberry.field(description="FD `Notes`.")
    call_type: str | None = strawberry.field(description="FD `CallType`.")
    ga_client_id: str | None = strawberry.field(
        name="googleAnalyticsClientId", description="FD `Google_Analytics_ClientId`."
    )
    gads_click_id: str | None = strawberry.field(
        name="googleAdsClickId", description="FD `Google_Adwords_ClickId`."
    )
    vendor: Vendor = strawberry.field(description="The vendor of the call record.")
    external_id: str = strawberry.field(description="FD `CallSid`.")

    @strawberry.field(
        name="promptKeys",
        description='FD `Prompts_Keys`: IVR keys pressed, as a path (`1,2` is ["1", "2"]).',
    )
    def prompt_keys_path(self) -> list[str] | None:
        return self.prompt_keys.split(",") if self.prompt_keys else None

    @strawberry.field(description="FD `Attribution_*`.")
    @embeds(ATTRIBUTION_COLUMNS)
    def attribution(self) -> Attribution:
        return attribution_of(self)

    @strawberry.field(description="FD `Session_*`: the web session that led to the call.")
    @embeds(SESSION_COLUMNS)
    def session(self) -> CallSession:
        return embedded(CallSession, SESSION_COLUMNS, self)  # type: ignore[no-any-return]

    @strawberry.field(description="FD `Survey_*`.")
    @embeds(SURVEY_COLUMNS)
    def survey(self) -> CallSurvey:
        return embedded(CallSurvey, SURVEY_COLUMNS, self)  # type: ignore[no-any-return]

    @strawberry.field(description="The company (FD `PropertySid`).")
    def company(self, info: Info) -> CompanyT:
        return relation(self, info, "company")  # type: ignore[no-any-return]

    @strawberry.field(description="The Number dialled (FD `To`).")
    def number(self, info: Info) -> NumberT | None:
        return relation(self, info, "number")  # type: ignore[no-any-return]

    @strawberry.field(description="The source the call is attributed to (FD `Attribution_Source`).")
    def source(self, info: Info) -> SourceT | None:
        return relation(self, info, "source")  # type: ignore[no-any-return]

    @strawberry.field(description="Who called (FD `From`); null for anonymous callers.")
    def caller(self, info: Info) -> CallerT | None:
        return relation(self, info, "caller")  # type: ignore[no-any-return]
