"""Every field of every type, selected on demo data (the vendors' payloads through the import
path), answers without an error on both read paths. The documents are generated from the
schema: each root list with every leaf, its to-one objects two levels down, and every nested
list with its leaves; each type through node(id:) too."""

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from app.graphql.schema import schema

from helpers.demo_db import BACKENDS, demo_clients
from helpers.differential.checks import (
    connection_node,
    connection_selection,
    connections,
    select,
)
from helpers.differential.dataset import DEMO_TODAY
from helpers.differential.documents import object_fields, selected_fields

GRAPHQL = schema._schema


@pytest.fixture(scope="module", params=BACKENDS)
def clients(request: pytest.FixtureRequest) -> Iterator[dict[str, TestClient]]:
    with demo_clients(request, request.param, seed_value=5, calls=450, today=DEMO_TODAY) as c:
        yield c


def documents() -> dict[str, str]:
    """Per root list: every leaf and to-one object of its nodes (each with its leaves), and
    each nested list with its nodes' leaves (small enough for the compiler on SQLite too)."""
    assert GRAPHQL.query_type is not None
    found = {}
    for root, field_ in connections(GRAPHQL.query_type):
        node = connection_node(field_)
        found[root] = f"{{ {root}(first: 5) {{ {connection_selection(select(node, 1))} }} }}"
        for name, nested in connections(node):
            inner = (
                f"{name}(first: 2) {{ {connection_selection(select(connection_node(nested), 0))} }}"
            )
            found[f"{root}.{name}"] = f"{{ {root}(first: 50) {{ nodes {{ id {inner} }} }} }}"
    return found


def test_the_documents_select_every_field_of_every_type() -> None:
    unselected = object_fields(GRAPHQL) - selected_fields(GRAPHQL, list(documents().values()))
    unselected = {
        (t, name)
        for t, name in unselected
        if t not in ("Query", "Node") and not name.startswith("__")
    }
    assert not unselected, sorted(unselected)


@pytest.mark.parametrize("document", sorted(documents()))
@pytest.mark.parametrize("path", ["compiled", "general"])
def test_every_field_answers_without_error(
    clients: dict[str, TestClient], document: str, path: str
) -> None:
    response = clients[path].post("/graphql", json={"query": documents()[document]})
    body = response.json()

    assert response.status_code == 200 and "errors" not in body, body.get("errors")
    assert response.headers["x-read-path"] == path
    nodes = body["data"][document.split(".")[0]]["nodes"]
    assert nodes, f"the demo has no {document}"
    if "." in document:  # some parent has items in the nested list
        assert any(node[document.split(".")[1]]["nodes"] for node in nodes), document


def test_node_refetches_every_type(clients: dict[str, TestClient]) -> None:
    ids = {}
    for root, document in documents().items():
        if "." not in root:
            ids[root] = clients["general"].post("/graphql", json={"query": document}).json()
    refetch = []
    for root, body in ids.items():
        node = connection_node(GRAPHQL.query_type.fields[root])  # type: ignore[union-attr]
        first = body["data"][root]["nodes"][0]["id"]
        refetch.append(
            f'{root}: node(id: "{first}") {{ ... on {node.name} {{ {select(node, 1)} }} }}'
        )
    for path, client in clients.items():
        body = client.post("/graphql", json={"query": "{ " + " ".join(refetch) + " }"}).json()
        assert "errors" not in body, (path, body["errors"])
        assert all(body["data"].values()), path
