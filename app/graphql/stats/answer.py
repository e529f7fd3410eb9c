"""Answering a stats field: check the arguments, resolve the range and its buckets, run the one
statement and shape its rows (every bucket present, zeros where nothing fell)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement

from app.graphql.errors import QueryTooComplexError, UserInputError
from app.graphql.filters.common import FilterFrame
from app.graphql.stats.buckets import MAX_BUCKETS, Bucket, StatsInterval, buckets, most_buckets
from app.graphql.stats.kind import StatsKind, bucket_object
from app.graphql.stats.sql import LocalClock, StatsQuery, statement
from app.graphql.types.base import Info

MAX_DIMENSIONS = 4
DEFAULT_GROUPS = 50
# A local clock dimension at least as fine as the interval repeats the bucket.
TOO_FINE = {
    "hourOfDay": {StatsInterval.HOUR},
    "dayOfWeek": {StatsInterval.HOUR, StatsInterval.DAY},
}


@dataclass(frozen=True)
class StatsArguments:
    filter: Any
    group_by: Sequence[Any]
    interval: StatsInterval | None
    order_by: Any
    first: int | None


def _check_dimensions(kind: StatsKind, args: StatsArguments) -> list[Any]:
    dims = list(args.group_by)
    name = kind.field_name
    if len(set(dims)) != len(dims):
        raise UserInputError(f"{name}.groupBy: a dimension is repeated ({[d.name for d in dims]})")
    if len(dims) > MAX_DIMENSIONS:
        raise UserInputError(
            f"{name}.groupBy: at most {MAX_DIMENSIONS} dimensions, got {len(dims)}"
        )
    for dim in dims:
        field = kind.spec.dimensions[dim].field
        if args.interval in TOO_FINE.get(field, set()):
            raise UserInputError(
                f"{name}: groupBy {dim.name} cannot be combined with interval "
                f"{args.interval.name} (each bucket has one {dim.name} value); use a coarser interval"
            )
    return dims


def _first(kind: StatsKind, args: StatsArguments, max_page: int) -> int:
    if args.first is None:
        return DEFAULT_GROUPS
    if not 1 <= args.first <= max_page:
        raise UserInputError(
            f"{kind.field_name}.first: must be between 1 and {max_page}, got {args.first}"
        )
    return args.first


def _buckets(kind: StatsKind, args: StatsArguments, applied: Any, zone: str) -> list[Bucket] | None:
    if args.interval is None:
        return None
    name, interval = kind.field_name, args.interval.name
    if applied is None or applied.from_ is None or applied.to is None:
        raise UserInputError(
            f"{name}: interval {interval} needs a bounded filter.{kind.filter_field} "
            "(a label such as LAST_MONTH, or both from and to)"
        )
    if most_buckets(applied.from_, applied.to, args.interval) > MAX_BUCKETS + 8:
        raise QueryTooComplexError(
            f"{name}: interval {interval} over {applied.from_.isoformat()} to "
            f"{applied.to.isoformat()} is more than {MAX_BUCKETS} buckets; use a coarser interval"
        )
    found = buckets(applied.from_, applied.to, zone, args.interval)
    if len(found) > MAX_BUCKETS:
        raise QueryTooComplexError(
            f"{name}: {len(found)} {interval} buckets; the maximum is {MAX_BUCKETS}"
        )
    return found


def _most_groups(kind: StatsKind, dims: list[Any], first: int) -> int:
    """`first`, or fewer when every dimension has a known number of values (DISPOSITION)."""
    most = 1
    for dim in dims:
        values = kind.spec.dimensions[dim].values
        if values is None:
            return first
        most *= values
    return min(first, most)


def _values(selections: Sequence[Any]) -> int:
    """Leaf fields in a selection (fragments expanded): the values one row sends."""
    total = 0
    for selection in selections:
        inner = getattr(selection, "selections", None) or ()
        is_leaf = hasattr(selection, "arguments") and not inner
        total += 1 if is_leaf else _values(inner)
    return total


def _leaves(selections: Sequence[Any], path: Sequence[str]) -> set[str]:
    """Names of the leaves under `path` (field names, fragments expanded)."""
    found: set[str] = set()
    for selection in selections:
        inner = getattr(selection, "selections", None) or ()
        if not hasattr(selection, "arguments"):  # a fragment: same level
            found |= _leaves(inner, path)
        elif not path:
            found.add(selection.name)
        elif selection.name == path[0]:
            found |= _leaves(inner, path[1:])
    return found


def _wanted(
    selected: Sequence[Any], kind: StatsKind, path: Sequence[str], order: str
) -> frozenset[str]:
    """The stored metrics a part of the selection needs (derived ones through their inputs)."""
    names = {order} if order in kind.spec.orders else set()
    for field in selected:
        names |= _leaves(field.selections, path)
    for name in list(names):
        names |= set(kind.derived.get(name, ()))
    return frozenset(names)


def _check_cost(selected: Sequence[Any], kind: StatsKind, rows: int, limit: int) -> None:
    """Rows (buckets x groups) times the values each row selects, against MAX_QUERY_COST."""
    per_row = 1
    for field in selected:
        for child in field.selections:
            if getattr(child, "name", None) == "rows":
                per_row = max(per_row, _values(child.selections))
    if rows * per_row > limit:
        raise QueryTooComplexError(
            f"{kind.field_name}: {rows} rows (buckets x groups) x {per_row} values each is "
            f"{rows * per_row}; the maximum query cost is {limit}: use a coarser interval, "
            "a shorter range, fewer groups (first) or fewer fields"
        )


@dataclass(frozen=True)
class StatsRow:
    """One row of the stats statement: `kind` 't' (totals), 'g' (a ranked group) or 'b' (a
    group's bucket), the group's rank, the bucket index, the group keys, the metric values."""

    kind: str
    rank: int | None
    bucket: int | None
    keys: tuple[Any, ...]
    metrics: dict[str, Any]


@dataclass(frozen=True)
class PlannedStats:
    """A stats field's checked arguments: its statement's query and how to shape its rows."""

    kind: StatsKind
    query: StatsQuery
    zone: str
    applied: list[Any]
    buckets: list[Bucket] | None

    def result(self, rows: Sequence[StatsRow]) -> Any:
        kind = self.kind
        return kind.result(
            time_zone=self.zone,
            interval=self.query.interval,
            applied_ranges=self.applied,
            totals=kind.metrics(next(r for r in rows if r.kind == "t").metrics),
            rows=_shape(kind, self.query.dimensions, self.buckets, rows),
        )


def plan_stats(
    kind: StatsKind,
    args: StatsArguments,
    scope: FilterFrame,
    link: list[ColumnElement[bool]],
    selected: Sequence[Any],
    *,
    max_page_size: int,
    max_cost: int,
) -> PlannedStats:
    """Check `args` against the selection (`selected`: the field's Strawberry selections) and
    build the statement's query, restricted by `link` (the parent's rows) and the account.
    Bad arguments raise UserInputError, too many rows QueryTooComplexError."""
    dims = _check_dimensions(kind, args)
    first = _first(kind, args, max_page_size)
    resolved = kind.conditions(args.filter, scope)
    applied = next((a for a in resolved.applied if a.field == kind.filter_field), None)
    zone = applied.time_zone if applied is not None else scope.time_zone
    found = _buckets(kind, args, applied, zone)
    _check_cost(selected, kind, len(found or [None]) * _most_groups(kind, dims, first), max_cost)
    spec = kind.spec
    order, _, direction = args.order_by.value.partition(" ")
    query = StatsQuery(
        where=[spec.table.c.account_id == scope.account_id, *link, *resolved.where],
        dimensions=dims,
        buckets=found,
        interval=args.interval,
        order=order,
        descending=direction == "desc",
        first=first,
        totals=_wanted(selected, kind, ["totals"], order),
        rows=_wanted(selected, kind, ["rows", "metrics"], order),
        clock=LocalClock(
            spec.table.c[spec.time_column],
            zone,
            applied.from_ if applied else None,
            applied.to if applied else None,
        ),
    )
    return PlannedStats(kind, query, zone, list(resolved.applied), found)


async def answer(
    info: Info,
    kind: StatsKind,
    args: StatsArguments,
    scope: FilterFrame,
    link: list[ColumnElement[bool]],
) -> Any:
    """The stats result for `args`, restricted by `link` (the parent's rows) and the account."""
    settings = info.context.settings
    planned = plan_stats(
        kind,
        args,
        scope,
        link,
        info.selected_fields,
        max_page_size=settings.max_page_size,
        max_cost=settings.max_query_cost,
    )
    rows = await info.context.reader.rows(statement(kind.spec, planned.query))
    return planned.result([_row(r, len(planned.query.dimensions)) for r in rows])


def _row(row: Any, dimensions: int) -> StatsRow:
    values = row._mapping
    return StatsRow(
        kind=row.kind,
        rank=row.rk,
        bucket=row.b,
        keys=tuple(values[f"g_{i}"] for i in range(dimensions)),
        metrics={k[2:]: v for k, v in values.items() if k.startswith("m_")},
    )


def _shape(
    kind: StatsKind, dims: list[Any], found: list[Bucket] | None, rows: Sequence[StatsRow]
) -> list[Any]:
    """Result rows in group rank order, each group with every bucket (zeros where empty)."""
    fields = [kind.spec.dimensions[d].field for d in dims]
    if not dims:
        groups: dict[Any, dict[str, Any]] = {1: {}} if found is not None else {}
    else:
        ranked = sorted((r for r in rows if r.kind == "g"), key=lambda r: r.rank or 0)
        groups = {r.rank: dict(zip(fields, r.keys, strict=True)) for r in ranked}
    if found is None:
        if not dims:
            return [kind.row({}, None, kind.metrics(rows[0].metrics))]
        by_rank = {r.rank: r for r in rows if r.kind == "g"}
        return [
            kind.row(keys, None, kind.metrics(by_rank[rk].metrics)) for rk, keys in groups.items()
        ]
    cells = {(r.rank, r.bucket): r.metrics for r in rows if r.kind == "b"}
    objects = [bucket_object(b) for b in found]
    return [
        kind.row(keys, objects[i], kind.metrics(cells.get((rk, i))))
        for rk, keys in groups.items()
        for i in range(len(found))
    ]
