"""leadStats: TrackDrive lead conversions, opt-outs, revenue, payout and profit, grouped and bucketed."""

import enum
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from sqlalchemy import func, or_

from app.graphql.dates import AppliedDateRange
from app.graphql.entities import COMPANY, SOURCE
from app.graphql.filters.lead import LeadFilter, lead_conditions
from app.graphql.stats.buckets import StatsInterval
from app.graphql.stats.fields import stats_field
from app.graphql.stats.kind import StatsBucket, StatsKind, row_values
from app.graphql.stats.sql import Dimension, Metric, StatsSpec, count_when, total
from app.graphql.types.base import Info, load_one
from app.graphql.types.nested import NestedList
from app.models import Lead as LeadRow
from app.models.columns import MONEY_SCALE

if TYPE_CHECKING:
    from app.graphql.types.company import Company
    from app.graphql.types.source import Source

CompanyT = Annotated["Company", strawberry.lazy("app.graphql.types.company")]
SourceT = Annotated["Source", strawberry.lazy("app.graphql.types.source")]
FOUR_PLACES = Decimal("0.0001")


@strawberry.enum(description="What leadStats can group by. Local clock values use the stats' zone.")
class LeadDimension(enum.Enum):
    COMPANY = "company"
    SOURCE = "source"
    OFFER = "offerId"
    BUYER = "buyerId"
    TRAFFIC_SOURCE = "trafficSourceId"
    STATUS = "status"
    SCHEDULE = "scheduleId"
    HOUR_OF_DAY = "hourOfDay"
    DAY_OF_WEEK = "dayOfWeek"


@strawberry.enum(description="How leadStats ranks its groups; ties break on the group keys.")
class LeadStatsOrder(enum.Enum):
    LEADS_DESC = "leads desc"
    LEADS_ASC = "leads asc"
    REVENUE_DESC = "revenue desc"
    PAYOUT_DESC = "payout desc"
    PROFIT_DESC = "profit desc"
    BUYER_CONVERTED_DESC = "buyerConverted desc"
    OFFER_CONVERTED_DESC = "offerConverted desc"
    KEY_ASC = "key asc"
    KEY_DESC = "key desc"


def _column(name: str) -> Any:
    return lambda t, clock: t.c[name]


DIMENSIONS = {
    LeadDimension.COMPANY: Dimension("company", _column("company_id"), node="Company"),
    LeadDimension.SOURCE: Dimension("source", _column("source_id"), node="Source"),
    LeadDimension.OFFER: Dimension("offerId", _column("offer_id")),
    LeadDimension.BUYER: Dimension("buyerId", _column("buyer_id")),
    LeadDimension.TRAFFIC_SOURCE: Dimension("trafficSourceId", _column("traffic_source_id")),
    LeadDimension.STATUS: Dimension("status", _column("status")),
    LeadDimension.SCHEDULE: Dimension("scheduleId", _column("schedule_id")),
    LeadDimension.HOUR_OF_DAY: Dimension("hourOfDay", lambda t, c: c.hour_of_day(), values=24),
    LeadDimension.DAY_OF_WEEK: Dimension("dayOfWeek", lambda t, c: c.day_of_week(), values=7),
}


def _either(c: Any) -> Any:
    return or_(c.buyer_converted.is_(True), c.offer_converted.is_(True))


METRICS = (
    Metric("leads", lambda c: func.count()),
    Metric("buyerConverted", lambda c: count_when(c.buyer_converted.is_(True))),
    Metric("offerConverted", lambda c: count_when(c.offer_converted.is_(True))),
    Metric("eitherConverted", lambda c: count_when(_either(c))),
    Metric("optedOut", lambda c: count_when(c.opt_out.is_(True))),
    Metric("revenue", lambda c: total(c.revenue)),  # scaled integers: exact sums
    Metric("payout", lambda c: total(c.payout)),
)

ORDERS = {
    "leads": lambda c: func.count(),
    "revenue": lambda c: total(c.revenue),
    "payout": lambda c: total(c.payout),
    "profit": lambda c: total(c.revenue) - total(c.payout),
    "buyerConverted": lambda c: METRICS[1].sql(c),
    "offerConverted": lambda c: METRICS[2].sql(c),
}

SPEC = StatsSpec(
    table=LeadRow.__table__,
    time_column="created_at",
    inputs=("buyer_converted", "offer_converted", "opt_out", "revenue", "payout"),
    dimensions=DIMENSIONS,
    metrics=METRICS,
    orders=ORDERS,
)


@strawberry.type(description="Lead metrics over a set of TrackDrive leads.")
class LeadMetrics:
    leads: int = strawberry.field(description="Leads.")
    buyer_converted: int = strawberry.field(description="Leads with `buyer_converted`.")
    offer_converted: int = strawberry.field(description="Leads with `offer_converted`.")
    either_converted: int = strawberry.field(description="Leads with either conversion.")
    opted_out: int = strawberry.field(description="Leads with `opt_out`.")
    revenue: Decimal = strawberry.field(description="Sum of `revenue`.")
    payout: Decimal = strawberry.field(description="Sum of `payout`.")
    profit: Decimal = strawberry.field(description="revenue - payout.")


def _money(scaled: int) -> Decimal:
    return (Decimal(scaled) / MONEY_SCALE).quantize(FOUR_PLACES)


def lead_metrics(values: Mapping[str, Any] | None) -> LeadMetrics:
    """Metrics from the statement's `m_` values (None: an empty bucket)."""
    v = {k: int(x) for k, x in (values or {}).items() if x is not None}
    revenue, payout = v.get("revenue", 0), v.get("payout", 0)
    return LeadMetrics(
        leads=v.get("leads", 0),
        buyer_converted=v.get("buyerConverted", 0),
        offer_converted=v.get("offerConverted", 0),
        either_converted=v.get("eitherConverted", 0),
        opted_out=v.get("optedOut", 0),
        revenue=_money(revenue),
        payout=_money(payout),
        profit=_money(revenue - payout),
    )


@strawberry.type(
    description=(
        "One group (and bucket) of leadStats. Dimensions not in groupBy are null; a grouped "
        "dimension is null for leads without that value."
    )
)
class LeadStatsRow:
    company_pk: strawberry.Private[int | None]
    source_pk: strawberry.Private[int | None]
    bucket: StatsBucket | None = strawberry.field(description="The time bucket (with interval).")
    offer_id: str | None = strawberry.field(description="TrackDrive `offer_id`.")
    buyer_id: str | None = strawberry.field(description="TrackDrive `buyer_id`.")
    traffic_source_id: str | None = strawberry.field(description="TrackDrive `traffic_source_id`.")
    status: str | None = strawberry.field(description="TrackDrive `status`.")
    schedule_id: str | None = strawberry.field(description="TrackDrive `schedule_id`.")
    hour_of_day: int | None = strawberry.field(
        description="Local hour of day of `created_at`, 0-23."
    )
    day_of_week: int | None = strawberry.field(
        description="Local ISO day of week, Monday 1 to Sunday 7."
    )
    metrics: LeadMetrics = strawberry.field(description="The metrics of this group and bucket.")

    @strawberry.field(description="The company (groupBy COMPANY).")
    async def company(self, info: Info) -> CompanyT | None:
        return await load_one(info, COMPANY, self.company_pk)  # type: ignore[no-any-return]

    @strawberry.field(
        description="The traffic source (groupBy SOURCE); null for leads without one."
    )
    async def source(self, info: Info) -> SourceT | None:
        return await load_one(info, SOURCE, self.source_pk)  # type: ignore[no-any-return]


_ATTRIBUTES = {
    "company": "company_pk",
    "source": "source_pk",
    "offerId": "offer_id",
    "buyerId": "buyer_id",
    "trafficSourceId": "traffic_source_id",
    "status": "status",
    "scheduleId": "schedule_id",
    "hourOfDay": "hour_of_day",
    "dayOfWeek": "day_of_week",
}
_CONVERT: dict[str, Callable[[Any], Any]] = dict.fromkeys(
    ("company", "source", "hourOfDay", "dayOfWeek"), int
)


def lead_row(
    keys: dict[str, Any], bucket: StatsBucket | None, metrics: LeadMetrics
) -> LeadStatsRow:
    values = row_values(keys, _ATTRIBUTES, _CONVERT)
    return LeadStatsRow(bucket=bucket, metrics=metrics, **values)


@strawberry.type(
    description="Lead statistics over a LeadFilter: totals plus one row per group and bucket."
)
class LeadStats:
    time_zone: str = strawberry.field(
        description="The IANA zone of buckets and local clock values."
    )
    interval: StatsInterval | None = strawberry.field(description="The bucket interval, if any.")
    applied_ranges: list[AppliedDateRange] = strawberry.field(
        description="The concrete ranges the filter applied (UTC)."
    )
    totals: LeadMetrics = strawberry.field(description="Every lead the filter matches.")
    rows: list[LeadStatsRow] = strawberry.field(
        description=(
            "One row per group (ranked by orderBy, at most `first`), each with every bucket of "
            "the createdAt range in time order (zeros where no lead fell); without groupBy one group."
        )
    )


LEAD_STATS = StatsKind(
    spec=SPEC,
    field_name="leadStats",
    filter_field="createdAt",
    conditions=lead_conditions,
    metrics=lead_metrics,
    row=lead_row,
    result=lambda **values: LeadStats(**values),
    derived={"profit": ("revenue", "payout")},
)


def lead_stats_field(parent: NestedList | None = None, *, description: str) -> Any:
    return stats_field(
        LEAD_STATS,
        filter_type=LeadFilter,
        dimension_type=LeadDimension,
        order_type=LeadStatsOrder,
        default_order=LeadStatsOrder.LEADS_DESC,
        returns=LeadStats | None,
        scope="leads:read",
        description=description,
        parent=parent,
    )
