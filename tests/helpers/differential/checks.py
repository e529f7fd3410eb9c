"""Helpers for the compiled-reads differential test: cases, posting one case to two apps,
comparing the answers, and walking the GraphQL schema the documents are generated from."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    get_named_type,
    is_leaf_type,
    is_required_argument,
)
from starlette.testclient import TestClient

PAGE_INFO = "pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"
APPLIED = "appliedRanges { field from to label timeZone }"


@dataclass
class Case:
    """One request: a document (or a raw body) sent with one of the dataset's keys.

    `follow` makes more cases from the reference answer's body (cursors, ids it returned)."""

    name: str
    query: str | None
    variables: dict[str, Any] | None = None
    operation: str | None = None
    key: str = "full"
    method: str = "POST"
    internal_ok: bool = False  # an INTERNAL_SERVER_ERROR on both paths is expected (bad rows)
    refusal_ok: bool = False  # the whole request may be refused (bad input on purpose)
    extensions: dict[str, Any] | None = None
    follow: Callable[[dict[str, Any]], list[Case]] | None = field(default=None, repr=False)

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {}
        if self.query is not None:
            body["query"] = self.query
        if self.variables is not None:
            body["variables"] = self.variables
        if self.operation is not None:
            body["operationName"] = self.operation
        if self.extensions is not None:
            body["extensions"] = self.extensions
        return body

    def describe(self) -> str:
        parts = [f"case {self.name} (key {self.key}, {self.method})", f"  document: {self.query}"]
        if self.variables is not None:
            parts.append(f"  variables: {json.dumps(self.variables)}")
        if self.operation is not None:
            parts.append(f"  operationName: {self.operation}")
        if self.extensions is not None:
            parts.append(f"  extensions: {json.dumps(self.extensions)}")
        return "\n".join(parts)


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    path: str = "general"  # which path answered (x-read-path)


def normalize(body: Any) -> Any:
    """The body without what differs per request (`extensions.requestId`), errors in a fixed
    order (GraphQL leaves their order open, and the general executor's depends on which batch
    finished first)."""
    if not isinstance(body, dict) or not isinstance(body.get("errors"), list):
        return body
    errors = []
    for error in body["errors"]:
        if isinstance(error, dict) and isinstance(error.get("extensions"), dict):
            extensions = {k: v for k, v in error["extensions"].items() if k != "requestId"}
            error = {**error, "extensions": extensions}
        errors.append(error)
    errors.sort(key=lambda e: json.dumps(e, sort_keys=True))
    return {key: (errors if key == "errors" else value) for key, value in body.items()}


def send(client: TestClient, case: Case, headers: dict[str, str]) -> Answer:
    if case.method == "GET":
        params = {k: v if isinstance(v, str) else json.dumps(v) for k, v in case.body().items()}
        response = client.get("/graphql", params=params, headers=headers)
    else:
        response = client.post("/graphql", json=case.body(), headers=headers)
    try:
        body = response.json()
    except ValueError:
        body = {"undecodable body": response.text}
    return Answer(
        response.status_code, normalize(body), response.headers.get("x-read-path", "general")
    )


def _short(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 200 else text[:200] + "..."


def first_difference(expected: Any, actual: Any, path: str = "$") -> str | None:
    """Where two decoded JSON values first differ (key order counts: GraphQL orders a response
    as its selection set), or None when they are equal."""
    if type(expected) is not type(actual):
        return f"{path}: {_short(expected)} != {_short(actual)}"
    if isinstance(expected, dict):
        if list(expected) != list(actual):
            return f"{path}: keys {list(expected)} != {list(actual)}"
        for key, value in expected.items():
            found = first_difference(value, actual[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(expected, list):
        for index, (left, right) in enumerate(zip(expected, actual, strict=False)):
            found = first_difference(left, right, f"{path}[{index}]")
            if found:
                return found
        if len(expected) != len(actual):
            return f"{path}: {len(expected)} items != {len(actual)} items"
        return None
    return None if expected == actual else f"{path}: {_short(expected)} != {_short(actual)}"


def compare(reference: Answer, compiled: Answer) -> str | None:
    """The first difference between the reference and the compiled answer, or None."""
    if reference.status != compiled.status:
        return f"HTTP status {reference.status} (reference) != {compiled.status} (compiled)"
    found = first_difference(reference.body, compiled.body)
    return None if found is None else f"first difference (reference != compiled) at {found}"


def refused(answer: Answer) -> bool:
    """No data at all and only errors about the request itself (syntax, validation, limits,
    variables): a generated document that is refused tests nothing but the refusal."""
    body = answer.body
    errors = body.get("errors") if isinstance(body, dict) else None
    return bool(errors) and body.get("data") is None and not any(e.get("path") for e in errors)


def internal_errors(body: Any) -> list[Any]:
    errors = body.get("errors") if isinstance(body, dict) else None
    return [
        e
        for e in errors or []
        if isinstance(e, dict)
        and (e.get("extensions") or {}).get("code") == "INTERNAL_SERVER_ERROR"
    ]


@dataclass
class Report:
    sent: int = 0
    compiled: int = 0  # answers the compiler gave (the rest fell back to the general path)
    failures: list[str] = field(default_factory=list)

    def message(self, shown: int = 25) -> str:
        head = f"{len(self.failures)} of {self.sent} documents differ or failed:\n\n"
        more = len(self.failures) - shown
        tail = f"\n\n... and {more} more" if more > 0 else ""
        return head + "\n\n".join(self.failures[:shown]) + tail


def run_cases(
    *,
    reference: TestClient,
    compiled: TestClient,
    headers: dict[str, dict[str, str]],
    cases: Iterable[Case],
) -> Report:
    """Send every case (and the cases its reference answer leads to) to both apps.

    An answer both paths agree on still fails when the reference refused a document the
    generator meant to be valid, or answered with an internal error the case does not expect:
    agreeing with a broken reference proves nothing."""
    report = Report()
    queue = deque(cases)
    while queue:
        case = queue.popleft()
        expected = send(reference, case, headers[case.key])
        actual = send(compiled, case, headers[case.key])
        report.sent += 1
        report.compiled += actual.path == "compiled"
        difference = compare(expected, actual)
        if difference:
            report.failures.append(f"{case.describe()}\n  {difference}")
        elif not case.refusal_ok and refused(expected):
            report.failures.append(
                f"{case.describe()}\n  the reference refused the request: {_short(expected.body)}"
            )
        elif not case.internal_ok and internal_errors(expected.body):
            report.failures.append(
                f"{case.describe()}\n  both paths answered INTERNAL_SERVER_ERROR: "
                f"{_short(internal_errors(expected.body))}"
            )
        if case.follow and isinstance(expected.body, dict) and expected.body.get("data"):
            queue.extend(case.follow(expected.body))
    return report


# --- the schema, walked ------------------------------------------------------------------


def unwrap(type_: Any) -> Any:
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        type_ = type_.of_type
    return type_


def nullable(type_: Any) -> Any:
    return type_.of_type if isinstance(type_, GraphQLNonNull) else type_


def is_connection(field_: GraphQLField) -> bool:
    # Stats fields take filter and first too, but return no nodes: not connections.
    return (
        "first" in field_.args and "filter" in field_.args and "nodes" in unwrap(field_.type).fields
    )


def connection_node(field_: GraphQLField) -> GraphQLObjectType:
    node: GraphQLObjectType = unwrap(unwrap(field_.type).fields["nodes"].type)
    return node


def leaves(type_: GraphQLObjectType) -> list[str]:
    """Scalar and enum fields (and lists of them) that need no arguments."""
    return [
        name
        for name, field_ in type_.fields.items()
        if is_leaf_type(unwrap(field_.type))
        and not any(is_required_argument(a) for a in field_.args.values())
    ]


def is_stats(field_: GraphQLField) -> bool:
    """callStats / leadStats (answered by the general path; the `stats` family covers them)."""
    return "groupBy" in field_.args


def to_ones(type_: GraphQLObjectType) -> list[tuple[str, GraphQLObjectType]]:
    """Fields that return one object (not a list, not a connection, not stats)."""
    return [
        (name, nullable(field_.type))
        for name, field_ in type_.fields.items()
        if isinstance(nullable(field_.type), GraphQLObjectType)
        and not is_connection(field_)
        and not is_stats(field_)
    ]


def value_lists(type_: GraphQLObjectType) -> list[tuple[str, GraphQLObjectType]]:
    """Fields that return a list of small value objects, all of whose fields are leaves
    (`vendorIds`), selected with every leaf wherever their parent is."""
    found = []
    for name, field_ in type_.fields.items():
        item = unwrap(field_.type)
        if (
            isinstance(nullable(field_.type), GraphQLList)
            and isinstance(item, GraphQLObjectType)
            and not field_.args
            and len(leaves(item)) == len(item.fields)
        ):
            found.append((name, item))
    return found


def stats_selection(type_: GraphQLObjectType) -> str:
    """Everything a stats field returns: its leaves and objects, and every field of its rows."""
    parts = [select(type_, 2)]
    for name, field_ in type_.fields.items():
        item = unwrap(field_.type)
        if isinstance(nullable(field_.type), GraphQLList) and isinstance(item, GraphQLObjectType):
            parts.append(f"{name} {{ {select(item, 2)} }}")
    return " ".join(parts)


def connections(type_: GraphQLObjectType) -> list[tuple[str, GraphQLField]]:
    return [(name, f) for name, f in type_.fields.items() if is_connection(f)]


def order_values(field_: GraphQLField) -> list[str]:
    enum = get_named_type(field_.args["orderBy"].type)
    assert isinstance(enum, GraphQLEnumType)
    return list(enum.values)


def select(type_: GraphQLObjectType, depth: int, *, typename: bool = False) -> str:
    """Every leaf of `type_`, and its to-one objects `depth` levels down, each with its leaves."""
    parts = ["__typename"] if typename else []
    parts += leaves(type_)
    parts += [f"{name} {{ {select(item, 0)} }}" for name, item in value_lists(type_)]
    if depth > 0:
        parts += [f"{name} {{ {select(target, depth - 1)} }}" for name, target in to_ones(type_)]
    return " ".join(parts)


def connection_selection(nodes: str, *, typename: bool = False) -> str:
    """Everything a connection has: count, page info, applied ranges, edges and nodes."""
    kind = "__typename " if typename else ""
    return (
        f"{kind}totalCount {PAGE_INFO} {APPLIED} "
        f"edges {{ {kind}cursor node {{ {nodes} }} }} nodes {{ {nodes} }}"
    )


def literal(value: Any, type_: Any) -> str:
    """`value` written as a GraphQL literal of input type `type_` (enum values unquoted)."""
    type_ = nullable(type_)
    if value is None:
        return "null"
    if isinstance(type_, GraphQLList):
        items = value if isinstance(value, list) else [value]
        return "[" + ", ".join(literal(item, type_.of_type) for item in items) + "]"
    if isinstance(type_, GraphQLInputObjectType):
        fields = ", ".join(f"{k}: {literal(v, type_.fields[k].type)}" for k, v in value.items())
        return "{" + fields + "}"
    if isinstance(type_, GraphQLEnumType):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


def quote(value: Any) -> str:
    """A string (or list of strings) as a GraphQL literal."""
    return json.dumps(value)


def arguments(**values: Any) -> str:
    """`(first: 3, orderBy: NAME_ASC)` from keyword values that are already literals."""
    given = [f"{name}: {value}" for name, value in values.items() if value is not None]
    return f"({', '.join(given)})" if given else ""
