"""Introspection: the standard queries (graphql-js's, GraphiQL's, graphql-core's) pass the
default limits and describe the served schema exactly; hostile introspection stays bounded."""

from pathlib import Path
from typing import Any

import pytest
from graphql import (
    build_client_schema,
    build_schema,
    get_introspection_query,
    lexicographic_sort_schema,
    print_schema,
)
from starlette.testclient import TestClient

from app.graphql.schema import schema

# Printed by scripts/node/introspection_query.mjs (graphql 16.15.0, the version GraphiQL 3 and
# graphql-codegen run): default options, GraphiQL's, and every option.
FIXTURES = Path(__file__).parent.parent / "fixtures" / "introspection"
GRAPHQL_JS = sorted(FIXTURES.glob("graphql-js-*.graphql"))
GRAPHQL_CORE = {
    "default": get_introspection_query(),
    "full": get_introspection_query(
        descriptions=True,
        specified_by_url=True,
        directive_is_repeatable=True,
        schema_description=True,
        input_value_deprecation=True,
        one_of=True,
    ),
}
QUERIES = {f"graphql-core-{k}": v for k, v in GRAPHQL_CORE.items()} | {
    p.stem: p.read_text() for p in GRAPHQL_JS
}


def post(client: TestClient, query: str) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def printed(built: Any) -> str:
    return print_schema(lexicographic_sort_schema(built))


def test_the_graphql_js_fixtures_are_there() -> None:
    assert [p.stem.rsplit("-", 1)[1] for p in GRAPHQL_JS] == ["default", "full", "graphiql"]


def fields_of(built: Any) -> set[tuple[str, str]]:
    return {
        (name, field)
        for name, named in built.type_map.items()
        for field in getattr(named, "fields", {})
    }


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_standard_introspection_describes_the_schema(client: TestClient, name: str) -> None:
    body = post(client, QUERIES[name])
    assert "errors" not in body, body["errors"]
    introspected = build_client_schema(body["data"])
    served = build_schema(schema.as_str())  # the SDL `switchboard schema` prints
    assert fields_of(introspected) == fields_of(served)
    if name.endswith("full"):  # with specifiedByURL and deprecations: the whole SDL
        assert printed(introspected) == printed(served)


def refused(client: TestClient, query: str) -> str:
    body = post(client, query)
    assert body["data"] is None
    codes = {e["extensions"]["code"] for e in body["errors"]}
    assert codes == {"QUERY_TOO_COMPLEX"}, body["errors"]
    return str(body["errors"][0]["message"])


def of_type_chain(depth: int) -> str:
    return '{ __type(name: "Call") { %s name %s } }' % ("ofType { " * depth, "}" * depth)


def test_a_deep_of_type_chain_is_refused(client: TestClient) -> None:
    assert "errors" not in post(client, of_type_chain(18))  # __type + 18 ofType + name = 20
    assert (
        refused(client, of_type_chain(19)) == "query introspection depth is 21; the maximum is 20"
    )


def test_recursive_type_lists_are_refused(client: TestClient) -> None:
    query = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"
    assert "lists 3 deep" in refused(client, query)


def test_recursion_through_fragments_is_refused(client: TestClient) -> None:
    query = """{ __schema { types { ...T } } }
    fragment T on __Type { fields { type { ...U } } }
    fragment U on __Type { interfaces { ...V } }
    fragment V on __Type { possibleTypes { name } }"""
    assert "lists 3 deep" in refused(client, query)


def test_an_introspection_flood_is_refused(client: TestClient) -> None:
    three = " ".join(f"s{i}: __schema {{ types {{ name }} }}" for i in range(3))
    assert "errors" not in post(client, "{ %s }" % three)
    flood = " ".join(f"s{i}: __schema {{ types {{ name }} }}" for i in range(30))
    assert refused(client, "{ %s }" % flood) == (
        "query introspection fields is 30; the maximum is 3"
    )


def test_introspection_spread_through_fragments_counts_each_copy(client: TestClient) -> None:
    query = """{ ...A ...B }
    fragment A on Query { a: __type(name: "Call") { name } b: __type(name: "Lead") { name } }
    fragment B on Query { c: __schema { queryType { name } } d: __type(name: "Number") { name } }"""
    assert refused(client, query) == "query introspection fields is 4; the maximum is 3"


def test_data_depth_is_still_limited_beside_introspection(client: TestClient) -> None:
    deep = "e164"
    for level in range(12):  # calls -> nodes -> caller, four times, then e164: depth 13
        deep = f"{['caller', 'nodes', 'calls'][level % 3]} {{ {deep} }}"
    message = refused(client, "{ __schema { queryType { name } } %s }" % deep)
    assert message == "query depth is 13; the maximum is 12"
