"""CompanyFilter and CallerFilter: the small ones."""

import strawberry

from app.graphql.filters.common import Builder, Conditions, FilterFrame
from app.graphql.scalars import PhoneNumber
from app.models import Caller, Company
from app.models.enums import Vendor


@strawberry.input(description="Which companies to return. Fields combine with AND.")
class CompanyFilter:
    vendors: list[Vendor] | None = strawberry.field(default=None, description="Vendor, any-of.")
    search: str | None = strawberry.field(
        default=None, description="Case-insensitive text in the company name."
    )


def company_conditions(value: CompanyFilter | None, frame: FilterFrame) -> Conditions:
    builder = Builder(Company.__table__, frame)  # type: ignore[arg-type]
    if value is not None:
        builder.any_of("vendor", value.vendors)
        builder.search(("name",), value.search)
    return builder.result


@strawberry.input(description="Which callers to return.")
class CallerFilter:
    e164: list[PhoneNumber] | None = strawberry.field(
        default=None, description="These callers, any written form."
    )


def caller_conditions(value: CallerFilter | None, frame: FilterFrame) -> Conditions:
    builder = Builder(Caller.__table__, frame)  # type: ignore[arg-type]
    if value is not None:
        builder.phones("e164", value.e164, "e164")
    return builder.result
