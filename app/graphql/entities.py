"""Which table each GraphQL type reads, and which columns its non-column fields need."""

from dataclasses import dataclass
from typing import Any

from app.graphql.entity import Entity
from app.models import Call, Caller, Company, Lead, Number, Source

ATTRIBUTION = (
    "attribution_source",
    "attribution_medium",
    "attribution_campaign",
    "attribution_content",
)

COMPANY: Entity[Any] = Entity(
    "Company",
    Company.__table__,  # type: ignore[arg-type]
    reads={
        "calls": ("time_zone", "default_region"),
        "leads": ("time_zone", "default_region"),
        "numbers": ("time_zone", "default_region"),
        "sources": ("time_zone", "default_region"),
    },
)
SOURCE: Entity[Any] = Entity(
    "Source",
    Source.__table__,  # type: ignore[arg-type]
    reads={
        "company": ("company_id",),
        "enabled": ("disabled_at",),
        "destinationNumber": ("destination_e164",),
        "calls": ("company_id",),
        "leads": ("company_id",),
        "numbers": ("company_id",),
    },
)
NUMBER: Entity[Any] = Entity(
    "Number",
    Number.__table__,  # type: ignore[arg-type]
    reads={
        "company": ("company_id",),
        "source": ("source_id",),
        "type": ("number_type",),
        "capabilities": ("has_voice", "has_sms", "has_mms"),
        "attribution": ATTRIBUTION,
        "endpointNumber": ("endpoint_e164",),
        "calls": ("company_id",),
    },
)
CALL: Entity[Any] = Entity(
    "Call",
    Call.__table__,  # type: ignore[arg-type]
    reads={
        "company": ("company_id",),
        "number": ("number_id",),
        "source": ("source_id",),
        "caller": ("caller_id",),
        "callerNumber": ("caller_raw",),
        "dialledNumber": ("dialled_e164",),
        "dialledFriendlyName": ("dialled_friendly",),
        "endpointNumber": ("endpoint_e164",),
        "attribution": ATTRIBUTION,
        "session": ("traffic_type", "keywords", "conversion_uri", "landing_uri"),
        "survey": (
            "survey_type",
            "survey_value",
            "survey_custom1",
            "survey_custom2",
            "survey_custom3",
            "survey_unique_code",
        ),
        "promptKeys": ("prompt_keys",),
        "googleAnalyticsClientId": ("ga_client_id",),
        "googleAdsClickId": ("gads_click_id",),
    },
)
LEAD: Entity[Any] = Entity(
    "Lead",
    Lead.__table__,  # type: ignore[arg-type]
    reads={
        "company": ("company_id",),
        "source": ("source_id",),
        "caller": ("caller_id",),
        "calls": ("caller_id", "company_id"),
        "type": ("lead_type",),
        "externalId": ("external_id",),
    },
)
CALLER: Entity[Any] = Entity("Caller", Caller.__table__)  # type: ignore[arg-type]

BY_TYPE_NAME = {e.type_name: e for e in (COMPANY, SOURCE, NUMBER, CALL, LEAD, CALLER)}


@dataclass(frozen=True)
class Relation:
    """A to-one relation field: `fk` on the parent's table points at `target`'s id."""

    fk: str
    target: Entity[Any]


# To-one relation fields: the compiler joins them, the general path loads them by `fk`.
RELATIONS: dict[str, dict[str, Relation]] = {
    "Call": {
        "company": Relation("company_id", COMPANY),
        "number": Relation("number_id", NUMBER),
        "source": Relation("source_id", SOURCE),
        "caller": Relation("caller_id", CALLER),
    },
    "Number": {"company": Relation("company_id", COMPANY), "source": Relation("source_id", SOURCE)},
    "Source": {"company": Relation("company_id", COMPANY)},
    "Lead": {
        "company": Relation("company_id", COMPANY),
        "source": Relation("source_id", SOURCE),
        "caller": Relation("caller_id", CALLER),
    },
}
