"""Which table each GraphQL type reads, and which columns its non-column fields need."""

from typing import Any

from sqlalchemy import ColumnElement, FromClause, func, select

from app.graphql.entity import Entity
from app.graphql.prefetch import Computed, Relation
from app.models import Call, Caller, Company, Lead, Number, NumberLink, Source

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

# To-one relation fields the planner may join into a page's statement.
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


def _call_count(caller: FromClause, account_id: int, dialect: str) -> ColumnElement[Any]:
    counted = Call.__table__.alias("counted_call")  # type: ignore[attr-defined]
    return (
        select(func.count())
        .where(counted.c.caller_id == caller.c.id, counted.c.account_id == account_id)
        .scalar_subquery()
    )


def _vendor_list(number: FromClause, account_id: int, dialect: str) -> ColumnElement[Any]:
    """The number's vendors joined with commas (vendor names never contain one)."""
    link = NumberLink.__table__.alias("listed_link")  # type: ignore[attr-defined]
    joined = (
        func.group_concat(link.c.vendor, ",")
        if dialect == "sqlite"
        else func.string_agg(link.c.vendor, ",")
    )
    return (
        select(joined)
        .where(link.c.number_id == number.c.id, link.c.account_id == account_id)
        .scalar_subquery()
    )


def split_vendors(joined: str | None) -> list[str]:
    """The vendor list from its SQL aggregate, sorted and without repeats."""
    return sorted(set(joined.split(","))) if joined else []


# Computed fields the planner may read in a page's statement.
COMPUTED: dict[str, dict[str, Computed]] = {
    "Caller": {"callCount": Computed(_call_count)},
    "Number": {"vendors": Computed(_vendor_list, convert=split_vendors)},
}
