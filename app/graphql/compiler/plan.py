"""Planning: an operation's selection, with its directive variables applied, becomes a tree
of plans, each of which renders the SQL for its field's JSON value.

Fields are grouped as graphql-core's executor groups them (`collect_fields`), so aliases,
fragments, `@include`/`@skip` and field merging mean what they mean there. A field the key's
scopes refuse becomes null with its FORBIDDEN error, known here; under a list the errors would
depend on the rows, so such documents are left to the general executor."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    GraphQLError,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
)
from graphql.execution.collect_fields import (
    FieldDetails,
    FragmentDetails,
    collect_fields,
    collect_subfields,
)
from graphql.execution.values import VariableValues
from sqlalchemy import Integer

from app.graphql.compiler.errors import NotCompilable
from app.graphql.compiler.fields import (
    Embedded,
    Leaf,
    LinkList,
    Nested,
    ToOne,
    classify,
    column_ref,
    definition_of,
    scalar_sql,
)
from app.graphql.compiler.sql import Dialect, Writer, quote
from app.graphql.compiler.stats import StatsPlan, plan_stats_field, stats_kind
from app.graphql.entities import BY_TYPE_NAME
from app.graphql.entity import Entity
from app.graphql.errors import ForbiddenError, format_error
from app.graphql.key_scopes import RequireScope
from app.models.columns import Money, UTCDateTime

PAGE_INFO = ("hasNextPage", "hasPreviousPage", "startCursor", "endCursor")
APPLIED_RANGE = ("field", "from", "to", "label", "timeZone")


@dataclass
class Render:
    """One request's rendering: the dialect, the statement being written, bound arguments."""

    dialect: Dialect
    writer: Writer
    bound: dict[int, Any]
    account_id: int
    _account: str | None = None
    # The LEFT JOINs of to-one relations, per row source being rendered (a page, a node).
    joins: list[list[str]] = field(default_factory=list)

    def rows(self, source: str, render: Any) -> tuple[Any, str]:
        """`source` with the joins `render()` asks for; returns FROM text after the source."""
        self.joins.append([])
        try:
            body = render()
        finally:
            joins = self.joins.pop()
        return body, " ".join(joins)

    def account(self) -> str:
        if self._account is None:
            self._account = self.writer.param(self.account_id, "bigint")
        return self._account

    def param(self, value: Any, pg_type: str) -> str:
        return self.writer.param(value, pg_type)


@dataclass
class ObjectPlan:
    type_name: str
    fields: list[tuple[str, Any]] = field(default_factory=list)

    def json(self, r: Render, alias: str) -> str:
        return r.dialect.object([(name, part.json(r, alias)) for name, part in self.fields])


@dataclass(frozen=True)
class LeafPart:
    leaf: Leaf

    def json(self, r: Render, alias: str) -> str:
        return self.leaf.sql(r.dialect, alias)


@dataclass(frozen=True)
class AccountLeafPart:
    sql: Any

    def json(self, r: Render, alias: str) -> str:
        return r.dialect.json_value(self.sql(r.dialect, alias, r.account()))


@dataclass(frozen=True)
class ConstantPart:
    sql: str

    def json(self, r: Render, alias: str) -> str:
        return self.sql


@dataclass
class ToOnePart:
    """A to-one relation: LEFT JOINed to its row source (a left-deep chain, which also keeps
    deep selections within SQLite's parser stack), its object null when no row matched."""

    fk: str
    target: Entity[Any]
    plan: ObjectPlan

    def json(self, r: Render, alias: str) -> str:
        inner = r.writer.alias()
        table = quote(self.target.table.name)
        if not r.dialect.joins_to_one:
            value, joins = r.rows(inner, lambda: self.plan.json(r, inner))
            return (
                f"(SELECT {value} FROM {table} AS {inner} {joins} WHERE {inner}.id = "
                f"{column_ref(alias, self.fk)} AND {inner}.account_id = {r.account()})"
            )
        r.joins[-1].append(
            f"LEFT JOIN {table} AS {inner} ON {inner}.id = {column_ref(alias, self.fk)} "
            f"AND {inner}.account_id = {r.account()}"
        )
        return f"CASE WHEN {inner}.id IS NULL THEN NULL ELSE {self.plan.json(r, inner)} END"


@dataclass
class ConnectionPlan:
    """A list field: its rows, page and count as one subquery (correlated when nested)."""

    index: int
    entity: Entity[Any]
    kind: Any  # ListKind
    nested: Any  # NestedList or None at the root
    field_def: Any
    details: list[FieldDetails]
    parts: list[tuple[str, Any]] = field(default_factory=list)
    parent_node: "NodePlan | None" = None  # set when the parent is the object node(id:) names

    def json(self, r: Render, parent: str | None) -> str:
        bound = r.bound[id(self)]
        d, table = r.dialect, quote(self.entity.table.name)
        link = ""
        if self.nested is not None:
            spec = self.nested
            link = f"{table}.{quote(spec.parent_column)} = {column_ref(parent or '', spec.parent_key)} AND "
        p = r.writer.alias()
        direction = " DESC" if bound.page.backward else ""
        context = _ConnectionRender(r, self, bound, p, f"{p}.sb_rn{direction}", link, table)
        pairs, joins = r.rows(p, lambda: [(name, part(context)) for name, part in self.parts])
        # count(*) makes it an aggregate query: one row even when the page is empty.
        value = f"CASE WHEN count(*) >= 0 THEN {d.object(pairs)} END"
        # Only the columns the selection reads (the vendors' `columns`, the GraphQL way).
        used = re.findall(rf'\b{p}\."(\w+)"', value + joins)
        read = dict.fromkeys(["id", bound.ordering.column, *used])
        columns = ", ".join(f"{table}.{quote(c)}" for c in read)
        fetched = r.param(bound.page.limit + 1, "integer")
        where = bound.page_where.render(r)
        rows = (
            f"SELECT {columns} FROM {table} WHERE {link}{where} "
            f"ORDER BY {bound.order_sql(table)} LIMIT {fetched}"
        )
        windowed = (
            f"SELECT w.*, row_number() OVER (ORDER BY {bound.order_sql('w')}) AS sb_rn, "
            f"count(*) OVER () AS sb_n FROM ({rows}) AS w ORDER BY sb_rn{direction}"
        )
        return d.json_value(f"(SELECT {value} FROM ({windowed}) AS {p} {joins})")


@dataclass
class _ConnectionRender:
    """What a connection's parts render against: the page alias and its bound arguments."""

    r: Render
    plan: ConnectionPlan
    bound: Any
    alias: str
    order: str
    link: str
    table: str
    _limit: str | None = None

    @property
    def limit(self) -> str:
        # Bound only when used: PostgreSQL cannot type a parameter the text never names.
        if self._limit is None:
            self._limit = self.r.param(self.bound.page.limit, "integer")
        return self._limit

    @property
    def in_page(self) -> str:
        return f"{self.alias}.sb_rn <= {self.limit}"

    def cursor(self) -> str:
        column = self.plan.entity.table.c[self.bound.ordering.column]
        kind = (
            "t"
            if isinstance(column.type, UTCDateTime)
            else "d"
            if isinstance(column.type, Money)
            else ""
            if isinstance(column.type, Integer)
            else "s"
        )
        issuer = self.bound.issuer
        return self.r.dialect.cursor(
            issuer, kind, column_ref(self.alias, column.name), f"{self.alias}.id"
        )

    def cursor_at(self, position: str) -> str:
        return (
            f"max(CASE WHEN {self.in_page} AND {self.alias}.sb_rn = {position} "
            f"THEN {self.cursor()} END)"
        )


def _total_count(page: _ConnectionRender) -> str:
    where = page.bound.count_where.render(page.r)
    return f"(SELECT count(*) FROM {page.table} WHERE {page.link}{where})"


def _page_info(names: list[tuple[str, str]]) -> Any:
    def render(page: _ConnectionRender) -> str:
        d, r, bound = page.r.dialect, page.r, page.bound
        backward = bound.page.backward

        def more() -> str:
            return d.boolean(f"count(*) > {page.limit}")

        def given(cursor: Any) -> str:
            return d.boolean(r.param(cursor is not None, "boolean"))

        def last() -> str:
            return d.least(f"{page.alias}.sb_n", page.limit)

        # Built only for the selected fields: every parameter bound must appear in the text.
        values: dict[str, Callable[[], str]] = {
            "hasNextPage": lambda: given(bound.page.before) if backward else more(),
            "hasPreviousPage": lambda: more() if backward else given(bound.page.after),
            "startCursor": lambda: page.cursor_at(last() if backward else "1"),
            "endCursor": lambda: page.cursor_at("1" if backward else last()),
            "__typename": lambda: "'PageInfo'",
        }
        return d.object([(response, values[name]()) for response, name in names])

    return render


def _items(node: ObjectPlan, edge_names: list[tuple[str, str]] | None, edge_type: str) -> Any:
    def render(page: _ConnectionRender) -> str:
        d = page.r.dialect
        if edge_names is None:
            item = node.json(page.r, page.alias)
        else:
            values: dict[str, Callable[[], str]] = {
                "cursor": page.cursor,
                "node": lambda: node.json(page.r, page.alias),
                "__typename": lambda: f"'{edge_type}'",
            }
            item = d.object([(response, values[name]()) for response, name in edge_names])
        return d.array_agg(item, page.order, page.in_page)

    return render


def _applied(names: list[tuple[str, str]]) -> Any:
    def render(page: _ConnectionRender) -> str:
        text = page.bound.applied_json(names)
        return page.r.dialect.json_text_param(page.r.param(text, "json"))

    return render


@dataclass
class NodePlan:
    """node(id:) or nodes(ids:): one object plan per type an ID can name."""

    index: int
    many: bool
    by_type: dict[str, ObjectPlan]

    def json(self, r: Render, alias: str) -> str:
        ids: list[tuple[str, int]] = r.bound[id(self)]
        if self.many:
            return r.dialect.id_list(r.writer, ids, lambda t, pk: self.case(r, t, pk))
        type_name, pk = ids[0]
        return self.case(r, r.param(type_name, "text"), r.param(pk, "bigint"))

    def case(self, r: Render, type_expr: str, pk_expr: str) -> str:
        d, branches = r.dialect, []
        for type_name, plan in self.by_type.items():
            inner = r.writer.alias()
            table = quote(BY_TYPE_NAME[type_name].table.name)
            value, joins = r.rows(inner, lambda p=plan, a=inner: p.json(r, a))
            row = (
                f"(SELECT {value} FROM {table} AS {inner} {joins} "
                f"WHERE {inner}.id = {pk_expr} AND {inner}.account_id = {r.account()})"
            )
            branches.append(f"WHEN '{type_name}' THEN {d.json_value(row)}")
        return d.json_value(f"CASE {type_expr} {' '.join(branches)} ELSE NULL END")


class Planner:
    """Builds the plan of one operation for one set of directive variable values."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDetails],
        operation: OperationDefinitionNode,
        variables: VariableValues,
        scopes: frozenset[str],
    ) -> None:
        self.schema, self.fragments, self.operation = schema, fragments, operation
        self.variables, self.scopes = variables, scopes
        self.connections: list[ConnectionPlan] = []
        self.node_plans: list[NodePlan] = []
        self.stats: list[StatsPlan] = []
        self.errors: list[dict[str, Any]] = []

    def root(self) -> ObjectPlan:
        if self.operation.operation.value != "query":
            raise NotCompilable("only queries are compiled")
        query = self.schema.query_type
        assert query is not None
        grouped = collect_fields(
            self.schema, self.fragments, self.variables, query, self.operation
        ).grouped_field_set
        plan = ObjectPlan("Query")
        for response, details in grouped.items():
            plan.fields.append((response, self.root_field(query, response, details)))
        return plan

    def root_field(
        self, query: GraphQLObjectType, response: str, details: list[FieldDetails]
    ) -> Any:
        name = details[0].node.name.value
        if name == "__typename":
            return ConstantPart("'Query'")
        if name.startswith("__"):
            raise NotCompilable("introspection")
        field_def = query.fields[name]
        forbidden = self.forbidden(field_def, details, [response], under_list=False)
        if forbidden is not None:
            return forbidden
        if name in ("node", "nodes"):
            return self.node_plan(field_def, details, response, many=name == "nodes")
        stats = stats_kind(field_def)
        if stats is not None:
            plan = plan_stats_field(self, stats, field_def, details, response)
            self.stats.append(plan)
            return plan
        definition = definition_of(field_def)
        kind = getattr(definition.base_resolver.wrapped_func, "root_list", None)
        if kind is None:
            raise NotCompilable(f"root field {name}")
        connection = self.connection(kind, None, field_def, details, [response], under_list=False)
        return _RootConnection(connection)

    def forbidden(
        self, field_def: Any, details: list[FieldDetails], path: list[Any], *, under_list: bool
    ) -> ConstantPart | None:
        """Null and its FORBIDDEN error when the key may not read the field."""
        definition = definition_of(field_def)
        for extension in definition.extensions:
            if isinstance(extension, RequireScope) and extension.scope not in self.scopes:
                if under_list:
                    raise NotCompilable("a refused field under a list")
                message = f"this API key lacks the {extension.scope} scope"
                error = GraphQLError(
                    message,
                    nodes=[d.node for d in details],
                    path=path,
                    original_error=ForbiddenError(message),
                )
                self.errors.append(format_error(error, request_id="-"))
                return ConstantPart("NULL")
        return None

    def node_plan(
        self, field_def: Any, details: list[FieldDetails], response: str, *, many: bool
    ) -> NodePlan:
        by_type = {}
        errors = len(self.errors)
        children: list[ConnectionPlan] = []
        for type_name in BY_TYPE_NAME:
            object_type = self.schema.get_type(type_name)
            assert isinstance(object_type, GraphQLObjectType)
            by_type[type_name] = self.object(
                object_type, details, [response], under_list=many, children=children
            )
        if len(self.errors) > errors:
            # Which refused fields run depends on the type each ID names: the rows decide.
            raise NotCompilable("a refused field under node")
        plan = NodePlan(len(self.node_plans), many, by_type)
        for child in children:
            child.parent_node = plan
        plan.field_def, plan.details = field_def, details  # type: ignore[attr-defined]
        self.node_plans.append(plan)
        return plan

    def object(
        self,
        object_type: GraphQLObjectType,
        details: list[FieldDetails],
        path: list[Any],
        *,
        under_list: bool,
        embedded: dict[str, str] | None = None,
        table: Any = None,
        children: list[ConnectionPlan] | None = None,
    ) -> ObjectPlan:
        """`children` collects the object's own nested lists (for node(id:)'s object)."""
        grouped = collect_subfields(
            self.schema, self.fragments, self.variables, self.operation, object_type, details
        ).grouped_field_set
        plan = ObjectPlan(object_type.name)
        for response, sub in grouped.items():
            name = sub[0].node.name.value
            here = [*path, response]
            if name == "__typename":
                plan.fields.append((response, ConstantPart(f"'{object_type.name}'")))
                continue
            if name.startswith("__"):
                raise NotCompilable("introspection")
            field_def = object_type.fields[name]
            if embedded is not None:
                python_name = definition_of(field_def).python_name
                column = table.c[embedded[python_name]]
                plan.fields.append((response, LeafPart(Leaf(scalar_sql(field_def.type, column)))))
                continue
            forbidden = self.forbidden(field_def, sub, here, under_list=under_list)
            if forbidden is not None:
                plan.fields.append((response, forbidden))
                continue
            part = self.entity_field(object_type, name, field_def, sub, here, under_list)
            if children is not None and isinstance(part, _NestedConnection):
                children.append(part.connection)
            plan.fields.append((response, part))
        return plan

    def entity_field(
        self,
        object_type: GraphQLObjectType,
        name: str,
        field_def: Any,
        details: list[FieldDetails],
        path: list[Any],
        under_list: bool,
    ) -> Any:
        found = classify(object_type.name, name, field_def)
        if isinstance(found, Leaf):
            return LeafPart(found)
        if isinstance(found, ToOne):
            target = self.schema.get_type(found.target.type_name)
            assert isinstance(target, GraphQLObjectType)
            plan = self.object(target, details, path, under_list=under_list)
            return ToOnePart(found.fk, found.target, plan)
        if isinstance(found, Embedded):
            value_type = _named(field_def.type)
            plan = self.object(
                value_type,
                details,
                path,
                under_list=under_list,
                embedded=found.columns,
                table=BY_TYPE_NAME[object_type.name].table,
            )
            return _EmbeddedPart(plan)
        if isinstance(found, LinkList):
            plan = self.object(
                _named(field_def.type),
                details,
                path,
                under_list=True,
                embedded=dict(found.spec.columns),
                table=found.spec.table,
            )
            return _LinkListPart(plan, found.spec)
        if isinstance(found, Nested):
            return _NestedConnection(
                self.connection(found.spec.kind, found.spec, field_def, details, path, under_list)
            )
        return AccountLeafPart(found)

    def connection(
        self,
        kind: Any,
        nested: Any,
        field_def: Any,
        details: list[FieldDetails],
        path: list[Any],
        under_list: bool,
    ) -> ConnectionPlan:
        connection_type = _named(field_def.type)
        plan = ConnectionPlan(len(self.connections), kind.entity, kind, nested, field_def, details)
        self.connections.append(plan)
        grouped = collect_subfields(
            self.schema, self.fragments, self.variables, self.operation, connection_type, details
        ).grouped_field_set
        node_type = self.schema.get_type(kind.entity.type_name)
        assert isinstance(node_type, GraphQLObjectType)
        for response, sub in grouped.items():
            name = sub[0].node.name.value
            here = [*path, response]
            if name == "__typename":
                plan.parts.append((response, lambda page, t=connection_type.name: f"'{t}'"))
            elif name == "totalCount":
                plan.parts.append((response, _total_count))
            elif name == "pageInfo":
                names = self.names(_named(connection_type.fields[name].type), sub)
                plan.parts.append((response, _page_info(names)))
            elif name == "nodes":
                node = self.object(node_type, sub, here, under_list=True)
                plan.parts.append((response, _items(node, None, "")))
            elif name == "edges":
                edge_type = _named(connection_type.fields[name].type)
                edge_names = self.names(edge_type, sub)
                if [n for _, n in edge_names].count("node") > 1:
                    raise NotCompilable("edges select node under two names")
                node_details = self.subfield_details(edge_type, sub, "node")
                node = self.object(node_type, node_details, here, under_list=True)
                plan.parts.append((response, _items(node, edge_names, edge_type.name)))
            elif name == "appliedRanges":
                names = self.names(_named(connection_type.fields[name].type), sub)
                plan.parts.append((response, _applied(names)))
            else:
                raise NotCompilable(f"connection field {name}")
        return plan

    def names(
        self, object_type: GraphQLObjectType, details: list[FieldDetails]
    ) -> list[tuple[str, str]]:
        """(response name, field name) of a selection of leaves."""
        grouped = collect_subfields(
            self.schema, self.fragments, self.variables, self.operation, object_type, details
        ).grouped_field_set
        return [(response, sub[0].node.name.value) for response, sub in grouped.items()]

    def subfield_details(
        self, object_type: GraphQLObjectType, details: list[FieldDetails], name: str
    ) -> list[FieldDetails]:
        """Every field node selecting `name` below `details` (merged, as the executor merges)."""
        grouped = collect_subfields(
            self.schema, self.fragments, self.variables, self.operation, object_type, details
        ).grouped_field_set
        found: list[FieldDetails] = []
        for sub in grouped.values():
            if sub[0].node.name.value == name:
                found.extend(sub)
        return found


@dataclass
class _RootConnection:
    connection: ConnectionPlan

    def json(self, r: Render, alias: str) -> str:
        return self.connection.json(r, None)


@dataclass
class _NestedConnection:
    connection: ConnectionPlan

    def json(self, r: Render, alias: str) -> str:
        return self.connection.json(r, alias)


@dataclass
class _EmbeddedPart:
    plan: ObjectPlan

    def json(self, r: Render, alias: str) -> str:
        return self.plan.json(r, alias)


@dataclass
class _LinkListPart:
    """A parent's rows of a link table (its vendor ids) as a JSON array of value objects,
    ordered by vendor and external id in code point order (the general path sorts alike)."""

    plan: ObjectPlan
    spec: Any  # VendorIdList

    def json(self, r: Render, alias: str) -> str:
        inner = r.writer.alias()
        table = quote(self.spec.table.name)
        where = (
            f"{inner}.{quote(self.spec.parent_column)} = {column_ref(alias, 'id')} "
            f"AND {inner}.account_id = {r.account()}"
        )
        item = self.plan.json(r, inner)
        if r.dialect.name == "sqlite":  # BINARY: UTF-8 byte order is code point order
            rows = (
                f"SELECT * FROM {table} AS {inner} WHERE {where} "
                f"ORDER BY {inner}.vendor, {inner}.external_id"
            )
            return r.dialect.json_value(
                f"(SELECT json_group_array({item}) FROM ({rows}) AS {inner})"
            )
        order = f'{inner}.vendor COLLATE "C", {inner}.external_id COLLATE "C"'
        return (
            f"(SELECT COALESCE(json_agg({item} ORDER BY {order}), '[]'::json) "
            f"FROM {table} AS {inner} WHERE {where})"
        )


def _named(graphql_type: Any) -> Any:
    while isinstance(graphql_type, GraphQLNonNull) or hasattr(graphql_type, "of_type"):
        graphql_type = graphql_type.of_type
    return graphql_type
