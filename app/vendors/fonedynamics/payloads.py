"""Fone Dynamics REST API v2: `GET /v2/.../Numbers` and `GET /v2/.../Calls`. Both answer with a
single object or a list of objects. Names are the documented ones (the calls document lost the
names `DateTime`, `From` and `To`; see vendor-docs/INDEX.md)."""

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field

from app.models import Call, Company, Number
from app.vendors.base import VendorModel, int_range, max_len, object_or_list_records


def _unix_seconds(value: Any) -> datetime:
    # Documented as a "(Unix timestamp) string"; integers are accepted too.
    try:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValueError
        seconds = float(value)
        if not 0 <= seconds < 253402300800:  # before year 10000
            raise ValueError
        return datetime.fromtimestamp(seconds, UTC)
    except (ValueError, OverflowError):
        raise ValueError(f"not a Unix timestamp: {value!r}") from None


def _comma_delimited(value: Any) -> Any:
    # Capabilities arrive as one comma-delimited string ("Voice,SMS").
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    raise ValueError(f"not a comma-delimited string: {value!r}")


def _prompt_keys(value: str) -> str:
    # "1, 2" and "1,2" are the same IVR path; stored without spaces ("1,2;3,5").
    return "".join(value.split())


UnixSeconds = Annotated[datetime, BeforeValidator(_unix_seconds)]
Capabilities = Annotated[
    tuple[Literal["Voice", "SMS", "MMS"], ...], BeforeValidator(_comma_delimited)
]


class FoneDynamicsModel(VendorModel):
    # Survey values and similar "string" fields arrive as numbers at times.
    model_config = ConfigDict(coerce_numbers_to_str=True)


class FoneDynamicsNumber(FoneDynamicsModel):
    """One number from the Numbers resource."""

    number: str = Field(alias="Number")
    property_sid: str = Field(alias="PropertySid", max_length=max_len(Company, "external_id"))
    account_sid: str | None = Field(
        None, alias="AccountSid", max_length=max_len(Company, "vendor_account_id")
    )
    friendly: str | None = Field(
        None, alias="Friendly", max_length=max_len(Number, "friendly_name")
    )
    routing_method: Literal["Endpoint"] | None = Field(None, alias="RoutingMethod")
    endpoint_number: str | None = Field(None, alias="EndpointNumber")
    recording: Literal["Off", "Call"] | None = Field(None, alias="Recording")
    attribution_source: str | None = Field(None, alias="Attribution_Source", max_length=300)
    attribution_medium: str | None = Field(None, alias="Attribution_Medium", max_length=300)
    attribution_campaign: str | None = Field(None, alias="Attribution_Campaign", max_length=300)
    attribution_content: str | None = Field(None, alias="Attribution_Content", max_length=300)
    type: Literal["Local", "Toll-Free", "Shared-Rate", "National"] | None = Field(
        None, alias="Type"
    )
    capabilities: Capabilities | None = Field(None, alias="Capabilities")
    country_code: str | None = Field(None, alias="CountryCode", min_length=2, max_length=2)
    region: str | None = Field(None, alias="Region", max_length=max_len(Number, "region"))
    city: str | None = Field(None, alias="City", max_length=max_len(Number, "city"))
    status: Literal["Active", "Pending"] | None = Field(None, alias="Status")


class FoneDynamicsCall(FoneDynamicsModel):
    """One call from the Calls resource."""

    call_sid: str = Field(alias="CallSid", max_length=max_len(Call, "external_id"))
    property_sid: str = Field(alias="PropertySid", max_length=max_len(Company, "external_id"))
    date_time: UnixSeconds = Field(alias="DateTime")
    from_: str | None = Field(None, alias="From", max_length=max_len(Call, "caller_raw"))
    from_country_code: str | None = Field(
        None, alias="From_CountryCode", min_length=2, max_length=2
    )
    from_region: str | None = Field(None, alias="From_Region", max_length=100)
    from_city: str | None = Field(None, alias="From_City", max_length=100)
    to: str | None = Field(None, alias="To")
    to_friendly: str | None = Field(None, alias="To_Friendly", max_length=300)
    duration: int = Field(0, alias="Duration", **{**int_range(Call, "duration_seconds"), "ge": 0})  # type: ignore[call-overload, misc]  # pydantic's Field overloads cannot type **-unpacked bounds
    disposition: Literal["Answered", "IVR", "Busy", "NoAnswer", "Failed"] = Field(
        alias="Disposition"
    )
    recording_uri: str | None = Field(None, alias="Recording_Uri", max_length=2000)
    endpoint: str | None = Field(None, alias="Endpoint")
    attribution_source: str | None = Field(None, alias="Attribution_Source", max_length=300)
    attribution_medium: str | None = Field(None, alias="Attribution_Medium", max_length=300)
    attribution_campaign: str | None = Field(None, alias="Attribution_Campaign", max_length=300)
    attribution_content: str | None = Field(None, alias="Attribution_Content", max_length=300)
    session_traffic_type: (
        Literal["Campaign", "Direct", "Organic", "Referral", "Unattributed"] | None
    ) = Field(None, alias="Session_Traffic_Type")
    session_keywords: str | None = Field(None, alias="Session_Keywords", max_length=1000)
    session_conversion_uri: str | None = Field(None, alias="Session_ConversionUri", max_length=2000)
    session_landing_uri: str | None = Field(None, alias="Session_LandingUri", max_length=2000)
    survey_type: str | None = Field(None, alias="Survey_Type", max_length=300)
    survey_value: str | None = Field(None, alias="Survey_Value", max_length=300)
    survey_custom1: str | None = Field(None, alias="Survey_Custom1", max_length=1000)
    survey_custom2: str | None = Field(None, alias="Survey_Custom2", max_length=1000)
    survey_custom3: str | None = Field(None, alias="Survey_Custom3", max_length=1000)
    survey_unique_code: str | None = Field(None, alias="Survey_UniqueCode", max_length=300)
    prompts_keys: Annotated[str, AfterValidator(_prompt_keys)] | None = Field(
        None, alias="Prompts_Keys", max_length=300
    )
    notes: str | None = Field(None, alias="Notes")
    call_type: str | None = Field(None, alias="CallType", max_length=300)
    google_analytics_client_id: str | None = Field(
        None, alias="Google_Analytics_ClientId", max_length=300
    )
    google_adwords_click_id: str | None = Field(
        None, alias="Google_Adwords_ClickId", max_length=300
    )


def number_records(payload: Any) -> list[Any]:
    """Numbers response: one number object or a list of them."""
    return object_or_list_records(
        payload, model=FoneDynamicsNumber, what="a Fone Dynamics numbers response"
    )


def call_records(payload: Any) -> list[Any]:
    """Calls response: one call object or a list of them."""
    return object_or_list_records(
        payload, model=FoneDynamicsCall, what="a Fone Dynamics calls response"
    )
