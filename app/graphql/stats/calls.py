"""callStats: call counts, answer rates, first-time callers and talk time, grouped and bucketed."""

import enum
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from sqlalchemy import case, distinct, func

from app.graphql.dates import AppliedDateRange
from app.graphql.entities import COMPANY, NUMBER, SOURCE
from app.graphql.enums import CallerType
from app.graphql.filters.call import CallFilter, call_conditions
from app.graphql.stats.buckets import StatsInterval
from app.graphql.stats.fields import stats_field
from app.graphql.stats.kind import StatsBucket, StatsKind, row_values
from app.graphql.stats.sql import Dimension, Metric, StatsSpec, count_when, ratio, total
from app.graphql.types.base import Info, load_one
from app.graphql.types.nested import NestedList
from app.models import Call as CallRow
from app.models.enums import CallDisposition, TrafficType

if TYPE_CHECKING:
    from app.graphql.types.company import Company
    from app.graphql.types.number import Number
    from app.graphql.types.source import Source

CompanyT = Annotated["Company", strawberry.lazy("app.graphql.types.company")]
NumberT = Annotated["Number", strawberry.lazy("app.graphql.types.number")]
SourceT = Annotated["Source", strawberry.lazy("app.graphql.types.source")]

TABLE = CallRow.__table__
MISSED = ("BUSY", "NO_ANSWER", "FAILED")


@strawberry.enum(description="What callStats can group by. Local clock values use the stats' zone.")
class CallDimension(enum.Enum):
    COMPANY = "company"
    SOURCE = "source"
    NUMBER = "number"
    DISPOSITION = "disposition"
    CALLER_TYPE = "callerType"
    TRAFFIC_TYPE = "trafficType"
    ATTRIBUTION_SOURCE = "attributionSource"
    ATTRIBUTION_MEDIUM = "attributionMedium"
    ATTRIBUTION_CAMPAIGN = "attributionCampaign"
    ATTRIBUTION_CONTENT = "attributionContent"
    KEYWORDS = "keywords"
    LANDING_PAGE = "landingPage"
    CALLER_COUNTRY = "callerCountry"
    CALLER_REGION = "callerRegion"
    CALLER_CITY = "callerCity"
    HOUR_OF_DAY = "hourOfDay"
    DAY_OF_WEEK = "dayOfWeek"


@strawberry.enum(description="How callStats ranks its groups; ties break on the group keys.")
class CallStatsOrder(enum.Enum):
    CALLS_DESC = "calls desc"
    CALLS_ASC = "calls asc"
    ANSWERED_DESC = "answered desc"
    MISSED_DESC = "missed desc"
    FIRST_TIME_CALLERS_DESC = "firstTimeCallers desc"
    DISTINCT_CALLERS_DESC = "distinctCallers desc"
    TOTAL_DURATION_DESC = "totalDurationSeconds desc"
    AVERAGE_DURATION_DESC = "averageDurationSeconds desc"
    ANSWER_RATE_DESC = "answerRate desc"
    KEY_ASC = "key asc"
    KEY_DESC = "key desc"


def _caller_type(t: Any, clock: Any) -> Any:
    return case(
        (t.c.caller_id.is_(None), None), (t.c.is_first_call.is_(True), "unique"), else_="repeat"
    )


def _column(name: str) -> Any:
    return lambda t, clock: t.c[name]


DIMENSIONS = {
    CallDimension.COMPANY: Dimension("company", _column("company_id"), node="Company"),
    CallDimension.SOURCE: Dimension("source", _column("source_id"), node="Source"),
    CallDimension.NUMBER: Dimension("number", _column("number_id"), node="Number"),
    CallDimension.DISPOSITION: Dimension("disposition", _column("disposition"), values=5),
    CallDimension.CALLER_TYPE: Dimension("callerType", _caller_type, values=3),
    CallDimension.TRAFFIC_TYPE: Dimension("trafficType", _column("traffic_type"), values=6),
    CallDimension.ATTRIBUTION_SOURCE: Dimension("attributionSource", _column("attribution_source")),
    CallDimension.ATTRIBUTION_MEDIUM: Dimension("attributionMedium", _column("attribution_medium")),
    CallDimension.ATTRIBUTION_CAMPAIGN: Dimension(
        "attributionCampaign", _column("attribution_campaign")
    ),
    CallDimension.ATTRIBUTION_CONTENT: Dimension(
        "attributionContent", _column("attribution_content")
    ),
    CallDimension.KEYWORDS: Dimension("keywords", _column("keywords")),
    CallDimension.LANDING_PAGE: Dimension("landingPage", _column("landing_uri")),
    CallDimension.CALLER_COUNTRY: Dimension("callerCountry", _column("caller_country_code")),
    CallDimension.CALLER_REGION: Dimension("callerRegion", _column("caller_region")),
    CallDimension.CALLER_CITY: Dimension("callerCity", _column("caller_city")),
    CallDimension.HOUR_OF_DAY: Dimension("hourOfDay", lambda t, c: c.hour_of_day(), values=24),
    CallDimension.DAY_OF_WEEK: Dimension("dayOfWeek", lambda t, c: c.day_of_week(), values=7),
}


def _anonymous(c: Any) -> Any:
    return c.caller_id.is_(None)


METRICS = (
    Metric("calls", lambda c: func.count()),
    Metric("answered", lambda c: count_when(c.disposition == "ANSWERED")),
    Metric("missed", lambda c: count_when(c.disposition.in_(MISSED))),
    Metric("ivr", lambda c: count_when(c.disposition == "IVR")),
    Metric(
        "firstTimeCallers",
        lambda c: count_when(c.is_first_call.is_(True) & c.caller_id.is_not(None)),
    ),
    Metric(
        "repeatCalls", lambda c: count_when(c.is_first_call.is_(False) & c.caller_id.is_not(None))
    ),
    Metric("anonymous", lambda c: count_when(_anonymous(c))),
    Metric("totalDurationSeconds", lambda c: total(c.duration_seconds)),
    Metric("distinctCallers", lambda c: _distinct(c.caller_id), additive=False),
)


def _distinct(column: Any) -> Any:
    return func.count(distinct(column))


def _count(c: Any) -> Any:
    return func.count()


ORDERS = {
    "calls": _count,
    "answered": lambda c: METRICS[1].sql(c),
    "missed": lambda c: METRICS[2].sql(c),
    "firstTimeCallers": lambda c: METRICS[4].sql(c),
    "distinctCallers": lambda c: _distinct(c.caller_id),
    "totalDurationSeconds": lambda c: total(c.duration_seconds),
    "averageDurationSeconds": lambda c: ratio(total(c.duration_seconds), _count(c)),
    "answerRate": lambda c: ratio(METRICS[1].sql(c), _count(c)),
}

SPEC = StatsSpec(
    table=TABLE,
    time_column="started_at",
    inputs=("disposition", "duration_seconds", "is_first_call", "caller_id"),
    dimensions=DIMENSIONS,
    metrics=METRICS,
    orders=ORDERS,
)


@strawberry.type(description="Call metrics over a set of calls.")
class CallMetrics:
    calls: int = strawberry.field(description="Calls.")
    answered: int = strawberry.field(description="Calls with disposition ANSWERED.")
    missed: int = strawberry.field(description="Calls BUSY, NO_ANSWER or FAILED.")
    ivr: int = strawberry.field(description="Calls that ended in the IVR.")
    first_time_callers: int = strawberry.field(
        description="Callers' first calls to the company (callerType UNIQUE; never anonymous)."
    )
    repeat_calls: int = strawberry.field(description="Later calls of a known caller (REPEAT).")
    anonymous: int = strawberry.field(description="Calls without a caller number.")
    total_duration_seconds: int = strawberry.field(description="Sum of FD `Duration`.")
    average_duration_seconds: float | None = strawberry.field(
        description="totalDurationSeconds / calls (every call counts, 0 s when not connected); null without calls."
    )
    answer_rate: float | None = strawberry.field(
        description="answered / calls, 0 to 1; null without calls."
    )
    distinct_callers: int = strawberry.field(
        description="Distinct caller numbers (anonymous not counted)."
    )


def call_metrics(values: Mapping[str, Any] | None) -> CallMetrics:
    """Metrics from the statement's `m_` values (None: an empty bucket)."""
    v = {k: int(x) for k, x in (values or {}).items() if x is not None}
    calls = v.get("calls", 0)
    duration = v.get("totalDurationSeconds", 0)
    answered = v.get("answered", 0)
    return CallMetrics(
        calls=calls,
        answered=answered,
        missed=v.get("missed", 0),
        ivr=v.get("ivr", 0),
        first_time_callers=v.get("firstTimeCallers", 0),
        repeat_calls=v.get("repeatCalls", 0),
        anonymous=v.get("anonymous", 0),
        total_duration_seconds=duration,
        average_duration_seconds=duration / calls if calls else None,
        answer_rate=answered / calls if calls else None,
        distinct_callers=v.get("distinctCallers", 0),
    )


@strawberry.type(
    description=(
        "One group (and bucket) of callStats. Dimensions not in groupBy are null; a grouped "
        "dimension is null for calls without that value (anonymous callers, no attribution)."
    )
)
class CallStatsRow:
    company_pk: strawberry.Private[int | None]
    source_pk: strawberry.Private[int | None]
    number_pk: strawberry.Private[int | None]
    bucket: StatsBucket | None = strawberry.field(description="The time bucket (with interval).")
    disposition: CallDisposition | None = strawberry.field(description="FD `Disposition`.")
    caller_type: CallerType | None = strawberry.field(
        description="UNIQUE (first call) or REPEAT; null for anonymous callers."
    )
    traffic_type: TrafficType | None = strawberry.field(description="FD `Session_Traffic_Type`.")
    attribution_source: str | None = strawberry.field(description="FD `Attribution_Source`.")
    attribution_medium: str | None = strawberry.field(description="FD `Attribution_Medium`.")
    attribution_campaign: str | None = strawberry.field(description="FD `Attribution_Campaign`.")
    attribution_content: str | None = strawberry.field(description="FD `Attribution_Content`.")
    keywords: str | None = strawberry.field(description="FD `Session_Keywords`.")
    landing_page: str | None = strawberry.field(description="FD `Session_LandingUri`.")
    caller_country: str | None = strawberry.field(description="Caller's country (ISO alpha-2).")
    caller_region: str | None = strawberry.field(description="Caller's region.")
    caller_city: str | None = strawberry.field(description="Caller's city.")
    hour_of_day: int | None = strawberry.field(description="Local hour of day, 0-23.")
    day_of_week: int | None = strawberry.field(
        description="Local ISO day of week, Monday 1 to Sunday 7."
    )
    metrics: CallMetrics = strawberry.field(description="The metrics of this group and bucket.")

    @strawberry.field(description="The company (groupBy COMPANY).")
    async def company(self, info: Info) -> CompanyT | None:
        return await load_one(info, COMPANY, self.company_pk)  # type: ignore[no-any-return]

    @strawberry.field(description="The source (groupBy SOURCE); null for calls without one.")
    async def source(self, info: Info) -> SourceT | None:
        return await load_one(info, SOURCE, self.source_pk)  # type: ignore[no-any-return]

    @strawberry.field(description="The number dialled (groupBy NUMBER).")
    async def number(self, info: Info) -> NumberT | None:
        return await load_one(info, NUMBER, self.number_pk)  # type: ignore[no-any-return]


_CONVERT: dict[str, Callable[[Any], Any]] = {
    "disposition": CallDisposition,
    "callerType": CallerType,
    "trafficType": TrafficType,
    **dict.fromkeys(("hourOfDay", "dayOfWeek", "company", "source", "number"), int),
}
_ATTRIBUTES = {
    "disposition": "disposition",
    "keywords": "keywords",
    "company": "company_pk",
    "source": "source_pk",
    "number": "number_pk",
    "callerType": "caller_type",
    "trafficType": "traffic_type",
    "attributionSource": "attribution_source",
    "attributionMedium": "attribution_medium",
    "attributionCampaign": "attribution_campaign",
    "attributionContent": "attribution_content",
    "landingPage": "landing_page",
    "callerCountry": "caller_country",
    "callerRegion": "caller_region",
    "callerCity": "caller_city",
    "hourOfDay": "hour_of_day",
    "dayOfWeek": "day_of_week",
}


def call_row(
    keys: dict[str, Any], bucket: StatsBucket | None, metrics: CallMetrics
) -> CallStatsRow:
    values = row_values(keys, _ATTRIBUTES, _CONVERT)
    return CallStatsRow(bucket=bucket, metrics=metrics, **values)


@strawberry.type(
    description="Call statistics over a CallFilter: totals plus one row per group and bucket."
)
class CallStats:
    time_zone: str = strawberry.field(
        description="The IANA zone of buckets and local clock values."
    )
    interval: StatsInterval | None = strawberry.field(description="The bucket interval, if any.")
    applied_ranges: list[AppliedDateRange] = strawberry.field(
        description="The concrete ranges the filter applied (UTC)."
    )
    totals: CallMetrics = strawberry.field(description="Every call the filter matches.")
    rows: list[CallStatsRow] = strawberry.field(
        description=(
            "One row per group (ranked by orderBy, at most `first`), each with every bucket of "
            "the range in time order (zeros where no call fell); without groupBy one group."
        )
    )


def call_stats(**values: Any) -> CallStats:
    return CallStats(**values)


CALL_STATS = StatsKind(
    spec=SPEC,
    field_name="callStats",
    filter_field="startedAt",
    conditions=call_conditions,
    metrics=call_metrics,
    row=call_row,
    result=call_stats,
    derived={
        "averageDurationSeconds": ("totalDurationSeconds", "calls"),
        "answerRate": ("answered", "calls"),
    },
)


def call_stats_field(parent: NestedList | None = None, *, description: str) -> Any:
    return stats_field(
        CALL_STATS,
        filter_type=CallFilter,
        dimension_type=CallDimension,
        order_type=CallStatsOrder,
        default_order=CallStatsOrder.CALLS_DESC,
        returns=CallStats | None,
        scope="calls:read",
        description=description,
        parent=parent,
    )
