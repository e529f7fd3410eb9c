"""What one stats field needs to know about its entity: the SQL spec, the filter, and how its
result rows become GraphQL objects."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import strawberry

from app.graphql.stats.buckets import Bucket
from app.graphql.stats.sql import StatsSpec
from app.graphql.types.lists import ConditionsFn


@strawberry.type(description="One time bucket: a period of the local calendar.")
class StatsBucket:
    start: str = strawberry.field(
        description=(
            "The bucket's first instant on the local clock, ISO 8601 with the zone's offset "
            "then (e.g. 2026-04-05T00:00:00+11:00)."
        )
    )
    from_: datetime = strawberry.field(name="from", description="Inclusive start, UTC.")
    to: datetime = strawberry.field(description="Exclusive end, UTC.")


def row_values(
    keys: dict[str, Any],
    attributes: dict[str, str],
    convert: dict[str, Callable[[Any], Any]],
) -> dict[str, Any]:
    """A stats row's attributes from its group keys (by dimension field): None for every
    dimension not grouped by, and each value the SQL returns converted where `convert` says."""
    values: dict[str, Any] = dict.fromkeys(attributes.values())
    for field, value in keys.items():
        values[attributes[field]] = (
            convert[field](value) if value is not None and field in convert else value
        )
    return values


def bucket_object(bucket: Bucket) -> StatsBucket:
    return StatsBucket(start=bucket.start.isoformat(), from_=bucket.from_, to=bucket.to)


@dataclass(frozen=True)
class StatsKind:
    """`metrics(row)` builds the metrics object from the `m_<field>` values (a mapping; zeros
    for an empty bucket); `row(keys, bucket, metrics)` one result row; `result(...)` the whole."""

    spec: StatsSpec
    field_name: str  # callStats / leadStats, for error messages
    filter_field: str  # the filter's date field resolving the range (startedAt / createdAt)
    conditions: ConditionsFn
    metrics: Callable[[Any], Any]
    row: Callable[[dict[str, Any], StatsBucket | None, Any], Any]
    result: Callable[..., Any]
    # Metrics computed from others (averageDurationSeconds from totalDurationSeconds and calls).
    derived: dict[str, tuple[str, ...]]
