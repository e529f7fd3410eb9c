"""SourceFilter: CallRail sources, plus sources other vendors name."""

import strawberry

from app.graphql.filters.common import (
    Builder,
    Conditions,
    FilterFrame,
    VendorIdInput,
    presence,
    vendor_ids,
)
from app.models import Source
from app.models.enums import TrackingType, Vendor


@strawberry.input(description="Which sources to return. Fields combine with AND; lists are any-of.")
class SourceFilter:
    companies: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Sources of these companies (CallRail `company_id`)."
    )
    tracking_types: list[TrackingType] | None = strawberry.field(
        default=None, description="CallRail `type` (SOURCE, SESSION) or other vendors' kinds."
    )
    enabled: bool | None = strawberry.field(
        default=None, description="true: CallRail `disabled_at` is null; false: it is set."
    )
    vendors: list[Vendor] | None = strawberry.field(default=None, description="Vendor, any-of.")
    vendor_ids: list[VendorIdInput] | None = strawberry.field(
        default=None,
        description=(
            "Sources with any of these vendor ids (CallRail source `id`, FD "
            "`PropertySid:Attribution_Source`, TrackDrive `traffic_source_id`)."
        ),
    )
    search: str | None = strawberry.field(
        default=None, description="Case-insensitive text in the source name."
    )


def source_conditions(value: SourceFilter | None, frame: FilterFrame) -> Conditions:
    builder = Builder(Source.__table__, frame)
    if value is None:
        return builder.result
    builder.ids("company_id", value.companies, "Company", "companies")
    builder.any_of("tracking_type", value.tracking_types)
    if value.enabled is not None:
        presence(builder, "disabled_at", not value.enabled)
    builder.any_of("vendor", value.vendors)
    vendor_ids(builder, "id", value.vendor_ids, "vendorIds", table=builder.table, key="id")
    builder.search(("name",), value.search)
    return builder.result
