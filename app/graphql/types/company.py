"""Company: CallRail company, Fone Dynamics property, Butter organization, TrackDrive company."""

from datetime import datetime

import strawberry

from app.graphql.entities import COMPANY
from app.graphql.stats.calls import call_stats_field
from app.graphql.stats.leads import lead_stats_field
from app.graphql.types.base import Node
from app.graphql.types.nested import CALLS, LEADS, NUMBERS, SOURCES, NestedList, nested_field
from app.graphql.types.vendor_ids import COMPANY_VENDOR_IDS, vendor_ids_field
from app.models.enums import Vendor


@COMPANY.bind
@strawberry.type(
    description=(
        "A tracked business: a CallRail company, Fone Dynamics property, Butter organization "
        "or TrackDrive company."
    )
)
class Company(Node):
    name: str = strawberry.field(
        description=(
            "CallRail `company_name`; else the vendor's id; or the name given with "
            "`switchboard companies set` (imports then keep it)."
        )
    )
    time_zone: str = strawberry.field(
        description="IANA time zone (UTC until `switchboard companies set`); date labels resolve in it."
    )
    default_region: str = strawberry.field(
        description="Region for numbers written without a country code (ISO 3166 alpha-2)."
    )
    vendor: Vendor = strawberry.field(description="The vendor the company was first seen in.")
    external_id: str = strawberry.field(
        description="CallRail `company_id`, FD `PropertySid`, Butter organization or TrackDrive id."
    )
    vendor_account_id: str | None = strawberry.field(description="Fone Dynamics `AccountSid`.")
    vendor_ids = vendor_ids_field(
        COMPANY_VENDOR_IDS,
        description=(
            "Every vendor id of the company: the one it was first seen under and those linked "
            "with `switchboard companies link`, by vendor then id."
        ),
    )
    created_at: datetime = strawberry.field(description="When Switchboard first saw it.")

    sources = nested_field(
        NestedList(
            SOURCES,
            parent_column="company_id",
            parent_key="id",
            company_column="id",
            own_frame=True,
        ),
        description="The company's sources (CallRail sources, FD attribution sources, TrackDrive traffic sources).",
    )

    numbers = nested_field(
        NestedList(
            NUMBERS,
            parent_column="company_id",
            parent_key="id",
            company_column="id",
            own_frame=True,
        ),
        description="The company's phone numbers.",
    )

    calls = nested_field(
        NestedList(
            CALLS, parent_column="company_id", parent_key="id", company_column="id", own_frame=True
        ),
        description="Calls to the company's numbers; date labels use its time zone.",
    )

    leads = nested_field(
        NestedList(
            LEADS, parent_column="company_id", parent_key="id", company_column="id", own_frame=True
        ),
        description="The company's TrackDrive leads; date labels use its time zone.",
    )

    call_stats = call_stats_field(
        NestedList(
            CALLS, parent_column="company_id", parent_key="id", company_column="id", own_frame=True
        ),
        description="Statistics of the company's calls, bucketed in its time zone.",
    )

    lead_stats = lead_stats_field(
        NestedList(
            LEADS, parent_column="company_id", parent_key="id", company_column="id", own_frame=True
        ),
        description="Statistics of the company's leads, bucketed in its time zone.",
    )
