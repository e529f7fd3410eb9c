"""Which table each GraphQL type reads, its to-one relations, and what its pure resolvers read."""

from typing import Any

from app.graphql.entity import Entity
from app.models import Call, Caller, Company, Lead, Number, Source

COMPANY: Entity[Any] = Entity("Company", Company.__table__)
SOURCE: Entity[Any] = Entity(
    "Source",
    Source.__table__,
    reads={"enabled": ("disabled_at",)},
    relations={"company": ("company_id", "Company")},
)
NUMBER: Entity[Any] = Entity(
    "Number",
    Number.__table__,
    reads={"capabilities": ("has_voice", "has_sms", "has_mms")},
    relations={"company": ("company_id", "Company"), "source": ("source_id", "Source")},
)
CALL: Entity[Any] = Entity(
    "Call",
    Call.__table__,
    reads={"promptKeys": ("prompt_keys",)},
    relations={
        "company": ("company_id", "Company"),
        "number": ("number_id", "Number"),
        "source": ("source_id", "Source"),
        "caller": ("caller_id", "Caller"),
    },
)
LEAD: Entity[Any] = Entity(
    "Lead",
    Lead.__table__,
    relations={
        "company": ("company_id", "Company"),
        "source": ("source_id", "Source"),
        "caller": ("caller_id", "Caller"),
    },
)
CALLER: Entity[Any] = Entity("Caller", Caller.__table__)

BY_TYPE_NAME = {e.type_name: e for e in (COMPANY, SOURCE, NUMBER, CALL, LEAD, CALLER)}
