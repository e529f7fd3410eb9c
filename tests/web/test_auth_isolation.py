"""Nothing crosses accounts: with one account's key, every root field, every nested connection
and node refetch, given the other account's global IDs, matches nothing and shows none of it.

The walk is driven by the schema, so a connection or ID filter added later is covered too."""

from typing import Any

import pytest
from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType, get_named_type
from starlette.testclient import TestClient

from app.core.ids import encode_global_id
from app.core.settings import Settings
from app.graphql.schema import schema
from app.web.app import create_app

import helpers.factories as f

TYPE_OF_FILTER = {"companies": "Company", "sources": "Source", "numbers": "Number", "callers": "Caller"}


async def seed_account(conn: Any, name: str, tag: str, phone: str) -> dict[str, list[str]]:
    """One of everything, every name carrying `tag` so leaks are visible in the raw body."""
    account = await f.account(conn, name)
    company = await f.company(conn, account, f"{tag} Company", external_id=f"{tag}-co")
    source = await f.source(conn, account, company, f"{tag} Source", external_id=f"{tag}-src")
    number = await f.number(conn, account, company, phone, source_id=source, friendly_name=f"{tag} Line")
    caller = await f.caller(conn, account, phone.replace("555", "777"))
    call = await f.call(conn, account, company, f"{tag}-call", number_id=number, source_id=source,
                        caller_id=caller, notes=f"{tag} notes")
    lead = await f.lead(conn, account, company, f"{tag}-lead", source_id=source, caller_id=caller,
                        name=f"{tag} Lead")
    pks = {"Company": company, "Source": source, "Number": number, "Caller": caller, "Call": call, "Lead": lead}
    return {type_name: [encode_global_id(type_name, pk)] for type_name, pk in pks.items()}


async def seed(conn: Any) -> tuple[str, dict[str, list[str]]]:
    await seed_account(conn, "demo", "ALPHA", "+14045550100")
    other = await seed_account(conn, "zenith", "ZENITH", "+61298765432")
    return await f.demo_key(conn), other


@pytest.fixture
def walk(settings: Settings) -> Any:
    token, other = f.run_db(settings, seed)
    with TestClient(create_app(settings), headers={"X-API-Key": token}) as client:
        yield client, other


def unwrap(type_: Any) -> Any:
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        type_ = type_.of_type
    return type_


def connections(parent: GraphQLObjectType) -> list[tuple[str, Any]]:
    """Connection fields of `parent` with the ID filters their filter input accepts."""
    found = []
    for name, field in parent.fields.items():
        # Connections (stats fields take filter and first too, but return no nodes).
        if "first" in field.args and "filter" in field.args and "nodes" in unwrap(field.type).fields:
            filter_type = get_named_type(field.args["filter"].type)
            id_filters = [n for n in filter_type.fields if n in TYPE_OF_FILTER]
            found.append((name, id_filters))
    return found


def node_type(field: Any) -> GraphQLObjectType:
    connection = unwrap(field.type)
    return unwrap(connection.fields["nodes"].type)


def check(client: TestClient, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200
    assert "ZENITH" not in response.text, (query, response.text)
    body: dict[str, Any] = response.json()
    assert "errors" not in body, (query, body["errors"])
    return body["data"]


def test_root_and_nested_connections_with_another_accounts_ids_match_nothing(walk: Any) -> None:
    client, other = walk
    graphql_schema = schema._schema
    query_type = graphql_schema.query_type
    checked = 0
    for root, id_filters in connections(query_type):
        # Unfiltered, the root list shows only this account's rows.
        data = check(client, "{ %s { totalCount nodes { id } } }" % root, {})
        assert data[root]["totalCount"] == 1
        child_type = node_type(query_type.fields[root])
        for key in id_filters:
            filtered = check(
                client, "query($ids: [ID!]) { %s(filter: { %s: $ids }) { totalCount nodes { id } } }" % (root, key),
                {"ids": other[TYPE_OF_FILTER[key]]},
            )
            assert filtered[root] == {"totalCount": 0, "nodes": []}, (root, key)
            checked += 1
        for nested, nested_filters in connections(child_type):
            for key in nested_filters:
                document = (
                    "query($ids: [ID!]) { %s { nodes { %s(filter: { %s: $ids }) { totalCount nodes { id } } } } }"
                    % (root, nested, key)
                )
                result = check(client, document, {"ids": other[TYPE_OF_FILTER[key]]})
                assert result[root]["nodes"][0][nested] == {"totalCount": 0, "nodes": []}, (root, nested, key)
                checked += 1
            unfiltered = check(client, "{ %s { nodes { %s { totalCount } } } }" % (root, nested), {})
            assert unfiltered[root]["nodes"][0][nested]["totalCount"] <= 1
            checked += 1
    assert checked > 30  # the walk really covered the schema


def test_node_and_nodes_with_another_accounts_ids_are_null(walk: Any) -> None:
    client, other = walk
    ids = [global_id for values in other.values() for global_id in values]
    for global_id in ids:
        assert check(client, 'query($id: ID!) { node(id: $id) { id } }', {"id": global_id}) == {"node": None}
    refetched = check(client, "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ids})
    assert refetched == {"nodes": [None] * len(ids)}
