"""CompanyFilter and CallerFilter: the small ones."""

import strawberry

from app.graphql.filters.common import Builder, Conditions, FilterFrame, VendorIdInput, vendor_ids
from app.graphql.scalars import PhoneNumber
from app.models import Caller, Company, CompanyLink
from app.models.enums import Vendor

COMPANY_LINK = CompanyLink.__table__


@strawberry.input(description="Which companies to return. Fields combine with AND.")
class CompanyFilter:
    vendors: list[Vendor] | None = strawberry.field(default=None, description="Vendor, any-of.")
    vendor_ids: list[VendorIdInput] | None = strawberry.field(
        default=None,
        description=(
            "Companies with any of these vendor ids (CallRail `company_id`, FD `PropertySid` or "
            "`AccountSid`, Butter organization, TrackDrive company), linked ones included."
        ),
    )
    search: str | None = strawberry.field(
        default=None, description="Case-insensitive text in the company name."
    )


def company_conditions(value: CompanyFilter | None, frame: FilterFrame) -> Conditions:
    builder = Builder(Company.__table__, frame)
    if value is not None:
        builder.any_of("vendor", value.vendors)
        vendor_ids(
            builder, "id", value.vendor_ids, "vendorIds", table=COMPANY_LINK, key="company_id"
        )
        builder.search(("name",), value.search)
    return builder.result


@strawberry.input(description="Which callers to return.")
class CallerFilter:
    e164: list[PhoneNumber] | None = strawberry.field(
        default=None, description="These callers, any written form."
    )


def caller_conditions(value: CallerFilter | None, frame: FilterFrame) -> Conditions:
    builder = Builder(Caller.__table__, frame)
    if value is not None:
        builder.phones("e164", value.e164, "e164")
    return builder.result
