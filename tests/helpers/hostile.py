"""Hostile inputs for the fuzzing suite: every argument and input field of the schema, found by
walking graphql-core's schema (so a new field is fuzzed with no test code of its own), and
hypothesis strategies of adversarial values for each input type."""

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    get_named_type,
)
from hypothesis import strategies as st

from app.graphql.enums import (
    CallerOrder,
    CallOrder,
    CompanyOrder,
    LeadOrder,
    NumberOrder,
    SourceOrder,
)

# What a hostile request may get back: never INTERNAL_SERVER_ERROR.
ALLOWED_CODES = {"BAD_USER_INPUT", "QUERY_TOO_COMPLEX", "FORBIDDEN"}
ALLOWED_STATUSES = {200, 400, 413}
TYPE_NAMES = ("Company", "Source", "Number", "Call", "Lead", "Caller")
ORDERS = {
    "Company": CompanyOrder,
    "Source": SourceOrder,
    "Number": NumberOrder,
    "Call": CallOrder,
    "Lead": LeadOrder,
    "Caller": CallerOrder,
}
BIG_KEYS = [0, -1, 2**31 - 1, 2**31, 2**53, 2**63 - 1, 2**63, 2**64, 10**30]


def global_id(type_name: str, key: Any) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{key}".encode()).decode().rstrip("=")


def cursor(issuer: str, value: Any, key: Any) -> str:
    raw = json.dumps([issuer, value, key]).encode()  # json, not orjson: keys beyond 64 bits
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# Sort values of every type in the wrong place, out of range or not numbers at all.
CURSOR_VALUES = [
    "x",
    "a\x00b",
    "",
    1,
    -1,
    2**31,
    2**63,
    2**70,
    1.5,
    True,
    None,
    [1],
    {"x": 1},
    {"t": "x"},
    {"t": "0001-01-01T00:00:00+05:00"},
    {"t": "9999-12-31T23:59:59-05:00"},
    {"t": "2020-01-01T00:00:00"},
    {"t": "2020-01-01T00:00:00+00:00"},
    {"t": 5},
    {"d": "NaN"},
    {"d": "-Infinity"},
    {"d": "1e999999"},
    {"d": "99999999999999999999"},
    {"d": "1.5"},
    {"d": "x"},
]
CURSOR_KEYS = [1, 0, -1, 2**31, 2**63, 2**70, "1", 1.5, None, True]


def tampered_cursors() -> list[str]:
    """A cursor of every list and ordering with each wrong value and key, and some garbage."""
    found = ["", "x", "!!!", "=" * 10, "A" * 3000, base64.urlsafe_b64encode(b"[1,2]").decode()]
    for type_name, order in ORDERS.items():
        for member in order:
            issuer = f"{type_name}:{member.name}"
            found += [cursor(issuer, value, 1) for value in CURSOR_VALUES]
            found += [cursor(issuer, "x", key) for key in CURSOR_KEYS]
    return found


TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfff",
    "%",
    "_",
    "\\",
    "'; DROP TABLE call; --",
    "x" * 201,
    "x" * 1001,
    "x" * 50_000,
    "A" * 300,
    "../../etc/passwd",
    "UTC\x00",
    "Not/AZone",
    "Australia/Sydney",
    "0001-01-01T00:00:00+05:00",
    "9999-12-31T23:59:59-05:00",
    "10000-01-01T00:00:00Z",
    "2026-13-45",
    "2026-01-01T00:00:00+25:00",
    "2026-01-01T00:00:00",
    "NaN",
    "Infinity",
    "1e999999",
    "-0.00001",
    "+1" + "9" * 100,
    "anonymous",
    "(770) 111-2222",
    "+61 2 9999 0000",
]


def ids() -> list[str]:
    found = [global_id(t, k) for t in (*TYPE_NAMES, "Nope", "") for k in BIG_KEYS]
    return [*found, global_id("Call", "x"), global_id("Call", "1" * 5000), "Q2FsbDox" * 100]


WRONG_SHAPES = [None, 42, -1, 1.5, "x", True, [], {}, [None], {"x": 1}]
INTS = [0, 1, -1, 250, 251, 2**31 - 1, 2**31, -(2**31) - 1, 2**53, 2**63, 2**64]


def text_values() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from(TEXT + ids() + tampered_cursors()),
        st.text(max_size=30),
    )


def value_for(kind: GraphQLInputType, depth: int = 0) -> st.SearchStrategy[Any]:
    """Adversarial JSON values for an input type: right and wrong shapes alike."""
    if isinstance(kind, GraphQLNonNull):
        return value_for(kind.of_type, depth)
    wrong = st.sampled_from(WRONG_SHAPES)
    if isinstance(kind, GraphQLList):
        item = value_for(kind.of_type, depth + 1)
        small = small_value(kind.of_type)
        long = st.just([small] * 1001)
        return st.one_of(st.lists(item, max_size=3), long, item, wrong)
    if isinstance(kind, GraphQLInputObjectType):
        if depth > 3:
            return wrong
        fields = {name: value_for(f.type, depth + 1) for name, f in kind.fields.items()}
        return st.one_of(st.fixed_dictionaries({}, optional=fields), wrong)
    if isinstance(kind, GraphQLEnumType):
        return st.one_of(st.sampled_from([*kind.values, "NOT_A_VALUE", "\x00"]), wrong)
    if isinstance(kind, GraphQLScalarType) and kind.name == "Int":
        return st.one_of(st.sampled_from(INTS), st.integers(), wrong)
    if isinstance(kind, GraphQLScalarType) and kind.name == "Boolean":
        return st.one_of(st.booleans(), wrong)
    if isinstance(kind, GraphQLScalarType) and kind.name == "Float":
        return st.one_of(st.floats(allow_nan=False, allow_infinity=False), wrong)
    return st.one_of(text_values(), wrong)


def small_value(kind: GraphQLInputType) -> Any:
    """A short value of the right type, to make long lists of (whatever they are long of)."""
    if isinstance(kind, GraphQLNonNull):
        return small_value(kind.of_type)
    if isinstance(kind, GraphQLList):
        return [small_value(kind.of_type)]
    if isinstance(kind, GraphQLInputObjectType):
        return {}
    if isinstance(kind, GraphQLEnumType):
        return next(iter(kind.values))
    if isinstance(kind, GraphQLScalarType) and kind.name in ("Int", "Float"):
        return 1
    if isinstance(kind, GraphQLScalarType) and kind.name == "Boolean":
        return True
    return "(770) 111-2222"  # text of every kind: parses as a phone number too


@dataclass(frozen=True)
class Target:
    """One argument, or one input field inside an argument, of one field of the schema."""

    parent: str  # the type declaring the field ("Query", "Company", ...)
    field: str
    argument: str
    path: tuple[str, ...]  # input fields from the argument down to the fuzzed one
    kind: GraphQLInputType  # the argument's type
    leaf: GraphQLInputType  # the fuzzed field's type

    @property
    def id(self) -> str:
        return ".".join((self.parent, self.field, self.argument, *self.path))


def _input_paths(
    kind: GraphQLInputType, path: tuple[str, ...], seen: frozenset[str]
) -> Iterator[tuple[tuple[str, ...], GraphQLInputType]]:
    yield path, kind
    named = get_named_type(kind)
    if isinstance(named, GraphQLInputObjectType) and named.name not in seen:
        for name, field in named.fields.items():
            yield from _input_paths(field.type, (*path, name), seen | {named.name})


def targets(schema: GraphQLSchema) -> list[Target]:
    """Every argument and input field of every field of every object type."""
    found = []
    for type_name, kind in sorted(schema.type_map.items()):
        if type_name.startswith("__") or not isinstance(
            kind, GraphQLObjectType | GraphQLInterfaceType
        ):
            continue
        if isinstance(kind, GraphQLInterfaceType):
            continue  # their fields are fuzzed on the object types implementing them
        if kind is schema.subscription_type:
            # Over HTTP a subscription is refused before its arguments are read; its filters
            # are the CallFilter/LeadFilter the query fields take (fuzzed there), and a bad
            # `since`/`after` over WebSocket is tested in tests/web/test_subscriptions.py.
            continue
        for field_name, field in kind.fields.items():
            for arg_name, argument in field.args.items():
                for path, leaf in _input_paths(argument.type, (), frozenset()):
                    found.append(Target(type_name, field_name, arg_name, path, argument.type, leaf))
    return found


def wrap(path: tuple[str, ...], value: Any) -> Any:
    """The argument value whose field at `path` is `value`."""
    for name in reversed(path):
        value = {name: value}
    return value


def type_text(kind: GraphQLInputType) -> str:
    return str(kind)


def selection_for(kind: Any) -> str:
    """A selection set that makes a field run its SQL: count and ids of a connection, the id of
    a node, nothing for a leaf."""
    named = get_named_type(kind)
    if not isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
        return ""
    if "totalCount" in named.fields:
        return "{ __typename totalCount nodes { id } pageInfo { endCursor } }"
    if "id" in named.fields:
        return "{ __typename id }"
    return "{ __typename }"


def document_for(schema: GraphQLSchema, target: Target, root_lists: dict[str, str]) -> str:
    """A query that passes the target's argument as `$v`."""
    declared = f"$v: {type_text(target.kind)}"
    return _document(
        schema, target.parent, target.field, declared, f"{target.argument}: $v", root_lists
    )


def all_arguments_document(
    schema: GraphQLSchema, parent: str, field: str, root_lists: dict[str, str]
) -> str:
    """A query that passes each of the field's arguments as a variable of the same name."""
    args = schema.type_map[parent].fields[field].args  # type: ignore[union-attr]
    declared = ", ".join(f"${name}: {type_text(a.type)}" for name, a in args.items())
    passed = ", ".join(f"{name}: ${name}" for name in args)
    return _document(schema, parent, field, declared, passed, root_lists)


def _document(
    schema: GraphQLSchema,
    parent: str,
    field: str,
    declared: str,
    passed: str,
    root_lists: dict[str, str],
) -> str:
    """A nested field is reached through its type's root list (first: 2)."""
    definition = schema.type_map[parent].fields[field]  # type: ignore[union-attr]
    inner = f"{field}({passed}) {selection_for(definition.type)}"
    if parent != "Query":
        inner = f"{root_lists[parent]}(first: 2) {{ nodes {{ id {inner} }} }}"
    return f"query Fuzz({declared}) {{ {inner} }}"


def root_lists(schema: GraphQLSchema) -> dict[str, str]:
    """Each node type's root list field (`calls` for Call, ...)."""
    found = {}
    for name, field in schema.query_type.fields.items():  # type: ignore[union-attr]
        named = get_named_type(field.type)
        nodes = getattr(named, "fields", {}).get("nodes")
        if nodes is not None and field.args.get("first") is not None:
            found[get_named_type(nodes.type).name] = name
    return found
