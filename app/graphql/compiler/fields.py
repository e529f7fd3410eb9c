"""What each field of the schema reads, as SQL that yields the field's JSON value.

The declarations are the ones the Strawberry types already make: a field without a resolver
is the table column of its Python name; a relation is in its Entity's `relations`, a nested
list carries its `NestedList`, a value type its `embedded_columns`, a list of vendor ids its
`VendorIdList` (app/graphql/entity.py derives the general path's column reads from the same
marks). The few pure resolvers (`id`, `enabled`, `capabilities`, `promptKeys`) have their
SQL here, held equal to the Python by the differential tests; so do the two correlated values
(`callCount`, `vendors`), whose SQL the general path's loaders run too. A field this module
does not know is not compiled: the request falls back to the general executor."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLEnumType, GraphQLList, GraphQLNonNull, GraphQLScalarType
from sqlalchemy import Column

from app.graphql.compiler.errors import NotCompilable
from app.graphql.compiler.sql import Dialect, quote
from app.graphql.entities import BY_TYPE_NAME
from app.graphql.entity import Entity
from app.models.columns import Money, UTCDateTime

BACKREF = "strawberry-definition"
INVALID = "sb:invalid-stored-value"
CAPABILITIES = (("VOICE", "has_voice"), ("SMS", "has_sms"), ("MMS", "has_mms"))

# A leaf's SQL: given the dialect and the row's alias, the JSON value expression.
LeafSql = Callable[[Dialect, str], str]


@dataclass(frozen=True)
class Leaf:
    sql: LeafSql


@dataclass(frozen=True)
class ToOne:
    fk: str
    target: Entity[Any]


@dataclass(frozen=True)
class Embedded:
    columns: dict[str, str]


@dataclass(frozen=True)
class Nested:
    spec: Any  # app.graphql.types.nested.NestedList


@dataclass(frozen=True)
class LinkList:
    spec: Any  # app.graphql.types.vendor_ids.VendorIdList


def column_ref(alias: str, column: str) -> str:
    return f"{alias}.{quote(column)}"


def scalar_sql(graphql_type: Any, column: Column[Any]) -> LeafSql:
    """How a column's value is written for a scalar or enum GraphQL type."""
    named = graphql_type.of_type if isinstance(graphql_type, GraphQLNonNull) else graphql_type
    if isinstance(named, GraphQLList):
        raise NotCompilable(f"list column {column.name}")
    if isinstance(named, GraphQLEnumType):
        names = {str(getattr(v.value, "value", v.value)): n for n, v in named.values.items()}
        if any(value != name for value, name in names.items()):
            raise NotCompilable(f"enum {named.name} stores values other than its names")
        known = ", ".join(f"'{value}'" for value in names)

        def enum_sql(d: Dialect, a: str) -> str:
            # A stored value the enum lacks is an error on the general path: mark it, so the
            # request falls back there (reads.py looks for the mark).
            ref = column_ref(a, column.name)
            return f"CASE WHEN {ref} IS NULL OR {ref} IN ({known}) THEN {ref} ELSE '{INVALID}' END"

        return enum_sql
    if not isinstance(named, GraphQLScalarType):
        raise NotCompilable(f"{column.name} is not a scalar")
    kind = named.name
    if kind == "DateTime" and isinstance(column.type, UTCDateTime):
        return lambda d, a: d.datetime(column_ref(a, column.name))
    if kind == "Decimal" and isinstance(column.type, Money):
        return lambda d, a: d.money(column_ref(a, column.name))
    if kind == "Boolean":
        return lambda d, a: d.boolean(column_ref(a, column.name))
    if kind == "JSON":
        return lambda d, a: d.json_value(column_ref(a, column.name))
    if kind in ("String", "Int", "PhoneNumber", "ID"):
        return lambda d, a: column_ref(a, column.name)
    raise NotCompilable(f"scalar {kind} of {column.name}")


def _call_count(d: Dialect, alias: str, account: str) -> str:
    return (
        f'(SELECT count(*) FROM "call" AS cc WHERE cc.caller_id = {alias}.id '
        f"AND cc.account_id = {account})"
    )


def _vendors(d: Dialect, alias: str, account: str) -> str:
    # Sorted by stored value, as split_vendors sorts (values are the enum names).
    rows = (
        f"SELECT DISTINCT nl.vendor FROM number_link AS nl WHERE nl.number_id = {alias}.id "
        f"AND nl.account_id = {account}"
    )
    if d.name == "sqlite":
        return f"(SELECT json_group_array(v.vendor) FROM ({rows} ORDER BY nl.vendor) AS v)"
    return f"(SELECT COALESCE(json_agg(v.vendor ORDER BY v.vendor), '[]'::json) FROM ({rows}) AS v)"


# Fields whose SQL needs the request's account (correlated counts and lists).
ACCOUNT_SCOPED: dict[tuple[str, str], Callable[[Dialect, str, str], str]] = {
    ("Caller", "callCount"): _call_count,
    ("Number", "vendors"): _vendors,
}

PURE: dict[tuple[str, str], LeafSql] = {
    ("Source", "enabled"): lambda d, a: d.boolean(f"{column_ref(a, 'disabled_at')} IS NULL"),
    ("Number", "capabilities"): lambda d, a: d.enum_list(
        [(name, column_ref(a, column)) for name, column in CAPABILITIES]
    ),
    ("Call", "promptKeys"): lambda d, a: d.comma_list(column_ref(a, "prompt_keys")),
}


def definition_of(field_def: Any) -> Any:
    definition = (field_def.extensions or {}).get(BACKREF)
    if definition is None:
        raise NotCompilable("a field without a Strawberry definition")
    return definition


def _marks(definition: Any) -> Any:
    resolver = definition.base_resolver
    return None if resolver is None else resolver.wrapped_func


def classify(type_name: str, name: str, field_def: Any) -> Any:
    """What an entity type's field reads: a Leaf, ToOne, Embedded, Nested or LinkList; or
    NotCompilable."""
    entity = BY_TYPE_NAME[type_name]
    definition = definition_of(field_def)
    if name == "id":
        return Leaf(lambda d, a, t=type_name: d.global_id(t, f"{a}.id"))  # type: ignore[misc]  # mypy cannot infer a lambda with a default argument
    function = _marks(definition)
    if function is None:
        column = entity.table.c.get(definition.python_name)
        if column is None:
            raise NotCompilable(f"{type_name}.{name} has no column")
        return Leaf(scalar_sql(field_def.type, column))
    if getattr(function, "nested_list", None) is not None:
        return Nested(function.nested_list)
    if getattr(function, "embedded_columns", None) is not None:
        return Embedded(function.embedded_columns)
    if getattr(function, "vendor_id_list", None) is not None:
        return LinkList(function.vendor_id_list)
    relation = entity.relations.get(name)
    if relation is not None:
        return ToOne(relation[0], BY_TYPE_NAME[relation[1]])
    if (type_name, name) in PURE:
        return Leaf(PURE[(type_name, name)])
    if (type_name, name) in ACCOUNT_SCOPED:
        return ACCOUNT_SCOPED[(type_name, name)]
    raise NotCompilable(f"{type_name}.{name} is not declared for the compiler")
