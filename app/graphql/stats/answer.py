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


def _wanted(info: Info, kind: StatsKind, path: Sequence[str], order: str) -> frozenset[str]:
    """The stored metrics a part of the selection needs (derived ones through their inputs)."""
    names = {order} if order in kind.spec.orders else set()
    for selected in info.selected_fields:
        names |= _leaves(selected.selections, path)
    for name in list(names):
        names |= set(kind.derived.get(name, ()))
    return frozenset(names)


def _check_cost(info: Info, kind: StatsKind, rows: int) -> None:
    """Rows (buckets x groups) times the values each row selects, against MAX_QUERY_COST."""
    per_row = 1
    for selected in info.selected_fields:
        for child in selected.selections:
            if getattr(child, "name", None) == "rows":
                per_row = max(per_row, _values(child.selections))
    limit = info.context.settings.max_query_cost
    if rows * per_row > limit:
        raise QueryTooComplexError(
            f"{kind.field_name}: {rows} rows (buckets x groups) x {per_row} values each is "
            f"{rows * per_row}; the maximum query cost is {limit}: use a coarser interval, "
            "a shorter range, fewer groups (first) or fewer fields"
        )


async def answer(
    info: Info,
    kind: StatsKind,
    args: StatsArguments,
    scope: FilterFrame,
    link: list[ColumnElement[bool]],
) -> Any:
    """The stats result for `args`, restricted by `link` (the parent's rows) and the account."""
    dims = _check_dimensions(kind, args)
    first = _first(kind, args, info.context.settings.max_page_size)
    resolved = kind.conditions(args.filter, scope)
    applied = next((a for a in resolved.applied if a.field == kind.filter_field), None)
    zone = applied.time_zone if applied is not None else scope.time_zone
    found = _buckets(kind, args, applied, zone)
    _check_cost(info, kind, len(found or [None]) * _most_groups(kind, dims, first))
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
        totals=_wanted(info, kind, ["totals"], order),
        rows=_wanted(info, kind, ["rows", "metrics"], order),
        clock=LocalClock(
            spec.table.c[spec.time_column],
            zone,
            applied.from_ if applied else None,
            applied.to if applied else None,
        ),
    )
    rows = await info.context.reader.rows(statement(spec, query))
    return kind.result(
        time_zone=zone,
        interval=args.interval,
        applied_ranges=list(resolved.applied),
        totals=kind.metrics(_metrics(next(r for r in rows if r.kind == "t"))),
        rows=_shape(kind, dims, found, rows),
    )


def _metrics(row: Any) -> dict[str, Any]:
    return {k[2:]: v for k, v in row._mapping.items() if k.startswith("m_")}


def _shape(
    kind: StatsKind, dims: list[Any], found: list[Bucket] | None, rows: Sequence[Any]
) -> list[Any]:
    """Result rows in group rank order, each group with every bucket (zeros where empty)."""
    fields = [kind.spec.dimensions[d].field for d in dims]
    groups: dict[Any, dict[Any, Any]]
    if not dims:
        groups = {1: {}} if found is not None else {}
    else:
        groups = {
            r.rk: {f: getattr(r, f"g_{i}") for i, f in enumerate(fields)}
            for r in sorted((r for r in rows if r.kind == "g"), key=lambda r: r.rk)
        }
    if found is None:
        if not dims:
            return [kind.row({}, None, kind.metrics(_metrics(rows[0])))]
        by_rank = {r.rk: r for r in rows if r.kind == "g"}
        return [
            kind.row(keys, None, kind.metrics(_metrics(by_rank[rk]))) for rk, keys in groups.items()
        ]
    cells = {(r.rk, r.b): _metrics(r) for r in rows if r.kind == "b"}
    objects = [bucket_object(b) for b in found]
    return [
        kind.row(keys, objects[i], kind.metrics(cells.get((rk, i))))
        for rk, keys in groups.items()
        for i in range(len(found))
    ]
