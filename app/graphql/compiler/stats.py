"""Compiled stats fields (callStats and leadStats at the root).

The stats statement is the resolver's own (app/graphql/stats/sql.py, planned by
`plan_stats` from the same arguments), placed inside the document's one statement as a JSON
array of its rows; a node a row groups by (company, source, number) comes with it as the JSON
of its selection, which the compiler writes as it writes any object. The rows are then shaped
as the resolver shapes them (`PlannedStats.result`: every bucket present, zeros where nothing
fell) and written out by their selection. The databases do not write the metrics' JSON:
averages and rates are floats, which PostgreSQL prints without a fraction (`194`) and SQLite
to 15 digits, where the general path's orjson writes `194.0` and the shortest round trip."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graphql import (
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    OperationDefinitionNode,
)
from graphql.execution.collect_fields import FieldDetails, FragmentDetails, collect_subfields
from graphql.execution.values import VariableValues
from strawberry.types.nodes import convert_selections

from app.graphql.compiler.errors import NotCompilable
from app.graphql.compiler.sql import quote
from app.graphql.entities import BY_TYPE_NAME
from app.graphql.errors import QueryTooComplexError, UserInputError
from app.graphql.stats.answer import PlannedStats, StatsArguments, StatsRow, plan_stats
from app.graphql.stats.kind import StatsKind
from app.graphql.stats.sql import statement
from app.graphql.types.lists import single_company

if TYPE_CHECKING:
    from app.graphql.compiler.arguments import Binder, Where
    from app.graphql.compiler.plan import ObjectPlan, Planner, Render

Path = tuple[str, ...]  # response names from the stats field down (list items not counted)


@dataclass(frozen=True)
class NodeColumn:
    """A node a row groups by, selected at `path`: `dimension` is its group key's field."""

    path: Path
    dimension: str
    plan: "ObjectPlan"


@dataclass
class StatsPlan:
    """A root stats field: its arguments, where its rows' nodes are selected and how."""

    kind: StatsKind
    field_def: Any
    details: list[FieldDetails]
    response: str
    row_type: str  # CallStatsRow / LeadStatsRow
    node_fields: frozenset[str]  # its fields that resolve a group's node (company, source, ...)
    nodes: list[NodeColumn] = field(default_factory=list)

    def is_node(self, type_name: str, name: str) -> bool:
        return type_name == self.row_type and name in self.node_fields

    def json(self, r: "Render", alias: str) -> str:
        bound: BoundStats = r.bound[id(self)]
        d, rows = r.dialect, r.writer.alias()
        query = bound.planned.query
        grouped = [self.kind.spec.dimensions[dim].field for dim in query.dimensions]
        values = ["kind", "rk", "b", *(f"g_{i}" for i in range(len(grouped)))]
        values += [f"m_{metric.field}" for metric in self.kind.spec.metrics]
        items = [f"{rows}.{quote(name)}" for name in values]
        for column in bound.columns:
            key = f"{rows}.g_{grouped.index(column.dimension)}"
            items.append(_node_json(r, column, key))
        row = d.array(items)
        return d.json_value(
            f"(SELECT {d.array_agg(row, f'{rows}.rk', '1 = 1')} "
            f"FROM ({bound.sql.render(r)}) AS {rows})"
        )


def _node_json(r: "Render", column: NodeColumn, key: str) -> str:
    """The JSON of the node a group key names (null for rows without one)."""
    inner = r.writer.alias()
    table = quote(BY_TYPE_NAME[column.plan.type_name].table.name)
    value, joins = r.rows(inner, lambda: column.plan.json(r, inner))
    return r.dialect.json_value(
        f"(SELECT {value} FROM {table} AS {inner} {joins} "
        f"WHERE {inner}.id = {key} AND {inner}.account_id = {r.account()})"
    )


@dataclass(frozen=True)
class BoundStats:
    """A stats field's arguments for this request: the planned statement, and which of the
    selected nodes its groups name."""

    planned: PlannedStats
    sql: "Where"
    columns: list[NodeColumn]


@dataclass(frozen=True)
class _Selections:
    """What Strawberry's `convert_selections` reads of a resolver's info."""

    fragments: dict[str, Any]
    variable_values: dict[str, Any]


async def bind_stats(
    binder: "Binder",
    plan: StatsPlan,
    fragments: dict[str, FragmentDetails],
    company_frame: Callable[[int], Any],
) -> BoundStats:
    """The stats statement for this request's arguments, as the resolver builds it; any
    problem the arguments have is the general path's to report."""
    kwargs = binder.arguments(plan.field_def, plan.details)
    args = StatsArguments(
        kwargs.get("filter"),
        kwargs.get("group_by") or [],
        kwargs.get("interval"),
        kwargs["order_by"],
        kwargs.get("first"),
    )
    company = single_company(getattr(args.filter, "companies", None)) if args.filter else None
    frame = await binder.frame(args.filter, company, company_frame)
    info = _Selections({n: f.definition for n, f in fragments.items()}, binder.variables.coerced)
    selected = convert_selections(info, [d.node for d in plan.details])  # type: ignore[arg-type]
    try:
        planned = plan_stats(
            plan.kind,
            args,
            frame,
            [],
            selected,
            max_page_size=binder.max_page_size,
            max_cost=binder.max_cost,
        )
    except (UserInputError, QueryTooComplexError) as exc:
        raise NotCompilable(str(exc)) from exc
    grouped = {plan.kind.spec.dimensions[dim].field for dim in planned.query.dimensions}
    columns = [column for column in plan.nodes if column.dimension in grouped]
    sql = binder.where.select(statement(plan.kind.spec, planned.query))
    return BoundStats(planned, sql, columns)


@dataclass
class StatsWriter:
    """Writes a stats field's value from its statement's rows, by the field's selection."""

    schema: GraphQLSchema
    fragments: dict[str, FragmentDetails]
    variables: VariableValues
    operation: OperationDefinitionNode

    def value(self, plan: StatsPlan, bound: BoundStats, items: list[list[Any]]) -> Any:
        spec = plan.kind.spec
        grouped = [spec.dimensions[dim].field for dim in bound.planned.query.dimensions]
        metrics = [metric.field for metric in spec.metrics]
        first_node = 3 + len(grouped) + len(metrics)
        keyed_by = [grouped.index(column.dimension) for column in bound.columns]
        rows: list[StatsRow] = []
        nodes: dict[Path, dict[Any, Any]] = {column.path: {} for column in bound.columns}
        for item in items:
            keys = tuple(item[3 : 3 + len(grouped)])
            values = dict(zip(metrics, item[3 + len(grouped) : first_node], strict=True))
            rows.append(StatsRow(item[0], item[1], item[2], keys, values))
            for offset, column in enumerate(bound.columns):
                nodes[column.path][keys[keyed_by[offset]]] = item[first_node + offset]
        result = bound.planned.result(rows)
        return _Walk(self, plan, {c.path: c.dimension for c in bound.columns}, nodes).write(
            result, plan.field_def.type, plan.details, ()
        )


@dataclass
class _Walk:
    """One stats value's walk: plain attributes by the schema's types, nodes from the rows."""

    writer: StatsWriter
    plan: StatsPlan
    dimensions: dict[Path, str]  # a grouped node's path -> its dimension field
    nodes: dict[Path, dict[Any, Any]]

    def write(self, value: Any, type_: Any, details: list[FieldDetails], path: Path) -> Any:
        if isinstance(type_, GraphQLNonNull):
            type_ = type_.of_type
        if value is None:
            return None
        if isinstance(type_, GraphQLList):
            return [self.write(item, type_.of_type, details, path) for item in value]
        if isinstance(type_, GraphQLScalarType | GraphQLEnumType):
            return type_.serialize(value)
        w = self.writer
        grouped = collect_subfields(
            w.schema, w.fragments, w.variables, w.operation, type_, details
        ).grouped_field_set
        out = {}
        for response, sub in grouped.items():
            name = sub[0].node.name.value
            here = (*path, response)
            if name == "__typename":
                out[response] = type_.name
            elif here in self.dimensions:
                out[response] = self._node(value, here)
            elif self.plan.is_node(type_.name, name):
                out[response] = None  # a node the rows do not group by
            else:
                python_name = type_.fields[name].extensions["strawberry-definition"].python_name
                out[response] = self.write(
                    getattr(value, python_name), type_.fields[name].type, sub, here
                )
        return out

    def _node(self, row: Any, path: Path) -> Any:
        """The node's JSON (written by the statement), found by the row's group key."""
        pk = getattr(row, f"{self.dimensions[path]}_pk")
        return None if pk is None else self.nodes[path].get(pk)


def stats_kind(field_def: Any) -> StatsKind | None:
    """The stats a root field answers (its resolver's mark), or None."""
    definition = (field_def.extensions or {}).get("strawberry-definition")
    resolver = getattr(definition, "base_resolver", None)
    return getattr(getattr(resolver, "wrapped_func", None), "root_stats", None)


def plan_stats_field(
    planner: "Planner", kind: StatsKind, field_def: Any, details: list[FieldDetails], response: str
) -> StatsPlan:
    """The plan of a root stats field: every field it selects is a plain attribute of the
    resolver's result, or a node a row groups by (planned as the compiler plans objects)."""
    result_type = _named(field_def.type)
    row_type = _named(result_type.fields["rows"].type)
    node_fields = frozenset(d.field for d in kind.spec.dimensions.values() if d.node)
    plan = StatsPlan(kind, field_def, details, response, row_type.name, node_fields)
    _plan_selection(planner, plan, result_type, details, ())
    return plan


def _plan_selection(
    planner: "Planner",
    plan: StatsPlan,
    type_: GraphQLObjectType,
    details: list[FieldDetails],
    path: Path,
) -> None:
    grouped = collect_subfields(
        planner.schema, planner.fragments, planner.variables, planner.operation, type_, details
    ).grouped_field_set
    for response, sub in grouped.items():
        name = sub[0].node.name.value
        here = (*path, response)
        if name == "__typename":
            continue
        if name.startswith("__"):
            raise NotCompilable("introspection")
        field_def = type_.fields[name]
        target = _named(field_def.type)
        if plan.is_node(type_.name, name):
            children: list[Any] = []
            node = planner.object(
                target, sub, [plan.response, *here], under_list=True, children=children
            )
            if children:
                raise NotCompilable("a list under a stats row's node")
            plan.nodes.append(NodeColumn(here, name, node))
        elif field_def.extensions["strawberry-definition"].base_resolver is not None:
            raise NotCompilable(f"{type_.name}.{name} has a resolver")
        elif isinstance(target, GraphQLObjectType):
            _plan_selection(planner, plan, target, sub, here)


def _named(graphql_type: Any) -> Any:
    while hasattr(graphql_type, "of_type"):
        graphql_type = graphql_type.of_type
    return graphql_type
