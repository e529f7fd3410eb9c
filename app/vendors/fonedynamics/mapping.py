"""Fone Dynamics numbers and calls -> unified Number and Call rows. A property (PropertySid) is a
Company; an Attribution_Source value is a Source of that company."""

import hashlib
from functools import lru_cache

from app.core.phone import PhoneParseError, parse_phone
from app.models import Source
from app.models.enums import (
    CallDisposition,
    NumberType,
    RecordingMode,
    RoutingMethod,
    TrackingType,
    TrafficType,
    Vendor,
)
from app.vendors.base import max_len
from app.vendors.fonedynamics.payloads import FoneDynamicsCall, FoneDynamicsNumber
from app.vendors.rows import CallRow, CompanyRef, NumberRow, SourceRef

FD = Vendor.FONE_DYNAMICS
_NUMBER_TYPES = {
    "Local": NumberType.LOCAL,
    "Toll-Free": NumberType.TOLL_FREE,
    "Shared-Rate": NumberType.SHARED_RATE,
    "National": NumberType.NATIONAL,
}
_DISPOSITIONS = {
    "Answered": CallDisposition.ANSWERED,
    "IVR": CallDisposition.IVR,
    "Busy": CallDisposition.BUSY,
    "NoAnswer": CallDisposition.NO_ANSWER,
    "Failed": CallDisposition.FAILED,
}
_TRAFFIC_TYPES = {
    "Campaign": TrafficType.CAMPAIGN,
    "Direct": TrafficType.DIRECT,
    "Organic": TrafficType.ORGANIC,
    "Referral": TrafficType.REFERRAL,
    "Unattributed": TrafficType.UNATTRIBUTED,
}
_SOURCE_ID_LIMIT = max_len(Source, "external_id")


# Calls repeat a handful of properties and attribution values, so each ref is built once.


@lru_cache(maxsize=4096)
def property_company(
    property_sid: str, account_sid: str | None = None, region: str | None = None
) -> CompanyRef:
    """The Company for a property; Fone Dynamics gives no property name, so the sid names it."""
    return CompanyRef(
        vendor=FD,
        external_id=property_sid,
        vendor_account_id=account_sid,
        default_region=region,
    )


@lru_cache(maxsize=4096)
def _country_of(e164: str | None) -> str | None:
    # A property first seen through its calls takes its region from the number dialled.
    try:
        return parse_phone(e164).country_code if e164 else None
    except PhoneParseError:
        return None


@lru_cache(maxsize=65536)
def attribution_source(property_sid: str, value: str | None) -> SourceRef | None:
    """The Source an Attribution_Source value names, unique per property."""
    if not value:
        return None
    external_id = f"{property_sid}:{value}"
    if len(external_id) > _SOURCE_ID_LIMIT:
        # Very long attribution values still need a stable key that fits the column.
        external_id = f"{property_sid}:sha256:{hashlib.sha256(value.encode()).hexdigest()}"
    return SourceRef(
        vendor=FD, external_id=external_id, name=value, tracking_type=TrackingType.ATTRIBUTION
    )


def map_number(number: FoneDynamicsNumber) -> NumberRow:
    """One number with its routing, recording, attribution and location."""
    fields: dict[str, object] = {
        "friendly_name": number.friendly,
        "routing_method": RoutingMethod.ENDPOINT if number.routing_method else None,
        "recording_mode": RecordingMode(number.recording.upper()) if number.recording else None,
        "attribution_source": number.attribution_source,
        "attribution_medium": number.attribution_medium,
        "attribution_campaign": number.attribution_campaign,
        "attribution_content": number.attribution_content,
        "country_code": number.country_code,
        "region": number.region,
        "city": number.city,
        "status": number.status.upper() if number.status else None,
    }
    if number.capabilities is not None:
        names = set(number.capabilities)
        fields |= {
            "has_voice": "Voice" in names,
            "has_sms": "SMS" in names,
            "has_mms": "MMS" in names,
        }
    return NumberRow(
        company=property_company(number.property_sid, number.account_sid, number.country_code),
        vendor=FD,
        phone=number.number,
        phone_field="Number",
        link_id=None,
        fields=fields,
        number_type=_NUMBER_TYPES[number.type] if number.type else None,
        endpoint=number.endpoint_number,
        endpoint_field="EndpointNumber",
        source=attribution_source(number.property_sid, number.attribution_source),
        link_account_id=number.account_sid,
    )


# Text that repeats from call to call (places, attribution, a property's numbers) is kept as
# one object per distinct value, so rows pickled by a worker process (app.ingest.validation) carry
# each value once (faster to pickle and unpickle, README's import figures) and take less memory.
# Emptied whenever it holds more than SHARED_LIMIT values.
_SHARED: dict[str | None, str | None] = {}
SHARED_LIMIT = 100_000


def map_call(call: FoneDynamicsCall) -> CallRow:
    """One call; `From` stays raw (anonymous and junk become anonymous calls in ingest)."""
    traffic = call.session_traffic_type
    if len(_SHARED) > SHARED_LIMIT:
        _SHARED.clear()
    repeated = (
        call.from_country_code, call.from_region, call.from_city, call.to_friendly,
        call.attribution_source, call.attribution_medium, call.attribution_campaign,
        call.attribution_content, call.session_keywords, call.session_conversion_uri,
        call.session_landing_uri, call.survey_type, call.to, call.endpoint,
    )  # fmt: skip
    (
        country, region, city, friendly, source, medium, campaign, content, keywords,
        conversion, landing, survey_type, dialled, endpoint,
    ) = map(_SHARED.setdefault, repeated, repeated)  # fmt: skip
    return CallRow(
        company=property_company(call.property_sid, region=_country_of(call.to)),
        external_id=call.call_sid,
        fields={
            "started_at": call.date_time,
            "duration_seconds": call.duration,
            "disposition": _DISPOSITIONS[call.disposition],
            "caller_raw": call.from_,
            "caller_country_code": country,
            "caller_region": region,
            "caller_city": city,
            "dialled_friendly": friendly,
            "recording_url": call.recording_uri,
            "attribution_source": source,
            "attribution_medium": medium,
            "attribution_campaign": campaign,
            "attribution_content": content,
            "traffic_type": _TRAFFIC_TYPES[traffic] if traffic else None,
            "keywords": keywords,
            "conversion_uri": conversion,
            "landing_uri": landing,
            "survey_type": survey_type,
            "survey_value": call.survey_value,
            "survey_custom1": call.survey_custom1,
            "survey_custom2": call.survey_custom2,
            "survey_custom3": call.survey_custom3,
            "survey_unique_code": call.survey_unique_code,
            "prompt_keys": call.prompts_keys,
            "notes": call.notes,
            "call_type": call.call_type,
            "ga_client_id": call.google_analytics_client_id,
            "gads_click_id": call.google_adwords_click_id,
        },
        caller=call.from_,
        dialled=dialled,
        endpoint=endpoint,
        source=attribution_source(call.property_sid, call.attribution_source),
        dialled_field="To",
        endpoint_field="Endpoint",
    )
