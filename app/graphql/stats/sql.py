"""The one SQL statement of a stats field: totals, ranked groups and per-bucket rows, with time
buckets and local clock values computed from boundaries Python supplies (no tz database)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Float,
    Integer,
    Select,
    String,
    Table,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    literal_column,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from app.graphql.stats.buckets import Bucket, StatsInterval, offsets, steady


class epoch_seconds(FunctionElement[int]):
    """Whole seconds since 1970 of a stored UTC timestamp."""

    type = BigInteger()
    inherit_cache = True


@compiles(epoch_seconds, "sqlite")
def _epoch_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"CAST(strftime('%s', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(epoch_seconds, "postgresql")
def _epoch_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    return f"CAST(floor(extract(epoch FROM {compiler.process(element.clauses, **kw)})) AS BIGINT)"


def piecewise(column: ColumnElement[Any], edges: Sequence[datetime], values: Sequence[Any]) -> Any:
    """values[i] where edges[i-1] <= column < edges[i] (values has one more item than edges),
    as a balanced CASE: log2(n) comparisons a row."""

    def tree(lo: int, hi: int) -> Any:
        if lo == hi:
            return literal_column(str(int(values[lo])), BigInteger)
        middle = (lo + hi + 1) // 2
        edge = bindparam(None, edges[middle - 1], type_=column.type)
        return case((column < edge, tree(lo, middle - 1)), else_=tree(middle, hi))

    return tree(0, len(values) - 1)


@dataclass(frozen=True)
class LocalClock:
    """The stats' local time: the zone and the range its offsets are needed over."""

    time_column: ColumnElement[Any]
    zone: str
    start: datetime | None
    end: datetime | None

    def seconds(self) -> Any:
        """Seconds since 1970 on the local wall clock."""
        first, changes = offsets(self.start, self.end, self.zone)
        offset = piecewise(
            self.time_column, [at for at, _ in changes], [first, *(o for _, o in changes)]
        )
        return epoch_seconds(self.time_column).op("+", return_type=BigInteger)(offset.self_group())

    def days(self) -> Any:
        """Local calendar days since 1970-01-01."""
        return _integer(self.seconds(), "/", 86400)

    def hour_of_day(self) -> Any:
        return _integer(_integer(self.seconds(), "/", 3600), "%", 24)

    def day_of_week(self) -> Any:
        """ISO day of week, Monday 1 ... Sunday 7 (1970-01-01 was a Thursday)."""
        return _integer(_integer(_integer(self.days(), "+", 3), "%", 7), "+", 1)


def _integer(left: Any, operator: str, right: int) -> Any:
    """Integer arithmetic, parenthesized (`/` truncates on both databases for integers)."""
    return (
        left.self_group()
        .op(operator, return_type=BigInteger)(literal_column(str(right), BigInteger))
        .self_group()
    )


@dataclass(frozen=True)
class Dimension:
    """A group key: its SQL over the table's row, and the node type it names (or None)."""

    field: str
    sql: Callable[[Table, LocalClock], Any]
    node: str | None = None
    values: int | None = None  # how many distinct keys it can have (None: unbounded)


@dataclass(frozen=True)
class Metric:
    """An aggregate over the filtered rows (their columns named `inputs`)."""

    field: str
    sql: Callable[[Any], Any]
    additive: bool = True  # a group's value is the sum of its buckets' (counts, sums)


@dataclass(frozen=True)
class StatsSpec:
    """What a stats field of one table groups, aggregates and orders by."""

    table: Table
    time_column: str
    inputs: tuple[str, ...]
    dimensions: dict[Any, Dimension]
    metrics: tuple[Metric, ...]
    orders: dict[str, Callable[[Any], Any]]  # order name -> SQL over the aggregated columns


@dataclass(frozen=True)
class StatsQuery:
    """A stats field's bound arguments."""

    where: list[ColumnElement[bool]]
    dimensions: list[Any]
    buckets: list[Bucket] | None
    interval: StatsInterval | None
    order: str
    descending: bool
    first: int
    clock: LocalClock
    totals: frozenset[str]  # the metrics the totals need
    rows: frozenset[str]  # and the rows


def bucket_index(clock: LocalClock, buckets: list[Bucket], interval: Any) -> Any:
    """The bucket a row falls in. HOUR, DAY and WEEK by arithmetic on the (local) clock when the
    zone's changes in the range allow it (whole-hour offset steps, none across midnight);
    otherwise, and for MONTH and longer, by comparing with the buckets' UTC boundaries."""
    column, first = clock.time_column, buckets[0]
    lo, hi = first.from_, buckets[-1].to
    if interval is StatsInterval.HOUR and steady(clock.zone, lo, hi, hours=True):
        start = int(first.from_.timestamp())
        return _integer(_integer(epoch_seconds(column), "-", start), "/", 3600)
    if interval in (StatsInterval.DAY, StatsInterval.WEEK) and steady(
        clock.zone, lo, hi, hours=False
    ):
        day = (first.start.date() - date(1970, 1, 1)).days
        if interval is StatsInterval.DAY:
            return _integer(clock.days(), "-", day)
        return _integer(_integer(clock.days(), "-", day), "/", 7)
    edges = [b.from_ for b in buckets[1:]]
    return piecewise(column, edges, list(range(len(buckets))))


def _aggregates(spec: StatsSpec, columns: Any, wanted: frozenset[str]) -> list[Any]:
    """The wanted aggregates; NULL for the others (a distinct count costs a sort per group)."""
    return [
        (metric.sql(columns) if metric.field in wanted else cast(null(), BigInteger)).label(
            f"m_{metric.field}"
        )
        for metric in spec.metrics
    ]


def _ranking(spec: StatsSpec, query: StatsQuery, columns: Any, keys: list[Any]) -> Any:
    if query.order == "key":  # the group keys themselves
        ordered = [(k.desc() if query.descending else k.asc()).nulls_last() for k in keys]
        return func.row_number().over(order_by=ordered)
    measure = spec.orders[query.order](columns)
    primary = measure.desc() if query.descending else measure.asc()
    return func.row_number().over(
        order_by=[primary.nulls_last(), *(key.asc().nulls_last() for key in keys)]
    )


def statement(spec: StatsSpec, query: StatsQuery) -> Select[Any]:
    """Rows `kind` ('t' totals, 'g' a ranked group, 'b' a group's bucket), `rk` the group's
    rank, `b` the bucket index, `g_<i>` the group keys, `m_<metric>` the aggregates."""
    table = spec.table
    dims = [spec.dimensions[d] for d in query.dimensions]
    keyed = [d.sql(table, query.clock).label(f"g_{i}") for i, d in enumerate(dims)]
    bucket = []
    if query.buckets is not None:
        bucket = [bucket_index(query.clock, query.buckets, query.interval).label("b")]
    f = (
        select(*keyed, *bucket, *(table.c[name] for name in spec.inputs))
        .where(*query.where)
        .cte("sb_f")
    )
    keys = [f.c[f"g_{i}"] for i in range(len(dims))]
    key_types = [
        key.type if not isinstance(key.type, type(null().type)) else String() for key in keys
    ]
    blank_keys = [cast(null(), t).label(f"g_{i}") for i, t in enumerate(key_types)]
    rank_null = cast(null(), Integer).label("rk")
    bucket_null = cast(null(), Integer).label("b")
    parts = [
        select(
            literal("t").label("kind"),
            rank_null,
            bucket_null,
            *blank_keys,
            *_aggregates(spec, f.c, query.totals),
        ).select_from(f)
    ]
    if dims:
        per_bucket = None
        if query.buckets is not None:
            per_bucket = (
                select(*keys, f.c.b, *_aggregates(spec, f.c, query.rows))
                .group_by(*keys, f.c.b)
                .cte("sb_gb")
            )
        if per_bucket is not None and _rolls_up(spec, query):
            ranked = _ranked_from_buckets(spec, query, per_bucket, len(dims))
        else:
            ranked = (
                select(
                    *keys,
                    *_aggregates(spec, f.c, query.rows),
                    _ranking(spec, query, f.c, keys).label("rk"),
                )
                .group_by(*keys)
                .cte("sb_r")
            )
        top = ranked.c.rk <= query.first
        metric_columns = [ranked.c[f"m_{m.field}"] for m in spec.metrics]
        parts.append(
            select(
                literal("g").label("kind"),
                ranked.c.rk,
                bucket_null,
                *(ranked.c[f"g_{i}"] for i in range(len(dims))),
                *metric_columns,
            ).where(top)
        )
        if per_bucket is not None:
            matched = and_(
                top,
                *(
                    per_bucket.c[f"g_{i}"].is_not_distinct_from(ranked.c[f"g_{i}"])
                    for i in range(len(dims))
                ),
            )
            parts.append(
                select(
                    literal("b").label("kind"),
                    ranked.c.rk,
                    per_bucket.c.b,
                    *blank_keys,
                    *(per_bucket.c[f"m_{m.field}"] for m in spec.metrics),
                ).select_from(per_bucket.join(ranked, matched))
            )
    elif query.buckets is not None:
        parts.append(
            select(
                literal("b").label("kind"),
                literal(1, Integer).label("rk"),
                f.c.b,
                *blank_keys,
                *_aggregates(spec, f.c, query.rows),
            ).group_by(f.c.b)
        )
    return parts[0] if len(parts) == 1 else union_all(*parts)  # type: ignore[return-value]


def _rolls_up(spec: StatsSpec, query: StatsQuery) -> bool:
    """Whether the ranked groups can be summed from the per-bucket cells (every metric the
    rows need, and the ranking, additive): one pass over the filtered rows instead of two."""
    additive = {m.field for m in spec.metrics if m.additive}
    return query.rows <= additive and (query.order == "key" or query.order in additive)


def _ranked_from_buckets(spec: StatsSpec, query: StatsQuery, cells: Any, dims: int) -> Any:
    """The ranked groups (as `sb_r` would rank them) from the per-bucket cells' sums."""
    keys = [cells.c[f"g_{i}"] for i in range(dims)]
    metrics = [
        (
            func.sum(cells.c[f"m_{m.field}"])
            if m.field in query.rows
            else cast(null(), BigInteger)
        ).label(f"m_{m.field}")
        for m in spec.metrics
    ]
    if query.order == "key":
        ordered = [(k.desc() if query.descending else k.asc()).nulls_last() for k in keys]
    else:
        measure = func.sum(cells.c[f"m_{query.order}"])
        primary = measure.desc() if query.descending else measure.asc()
        ordered = [primary.nulls_last(), *(key.asc().nulls_last() for key in keys)]
    rank = func.row_number().over(order_by=ordered).label("rk")
    return select(*keys, *metrics, rank).group_by(*keys).cte("sb_r")


def ratio(numerator: Any, denominator: Any) -> Any:
    """numerator / denominator as a float, NULL when the denominator is 0."""
    return case((denominator == 0, null()), else_=cast(numerator, Float) / denominator)


def count_when(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def total(column: Any) -> Any:
    """The sum as stored (Money's scaled integers stay integers: exact)."""
    return func.coalesce(func.sum(type_coerce(column, BigInteger)), 0)
