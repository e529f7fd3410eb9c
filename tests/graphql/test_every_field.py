"""Every field of every type, selected on demo data (the vendors' payloads through the import
path), answers without an error on both read paths. The documents are generated from the
schema: each root list with every leaf, its to-one objects two levels down, and every nested
list with its leaves; each type through node(id:) too."""

from collections.abc import Iterator

import pytest
from graphql import GraphQLObjectType, get_named_type
from sqlalchemy import select as select_rows
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.testclient import TestClient

from app.graphql.schema import schema
from app.models import SyncSchedule
from app.sync.schedules import NewSchedule, add_schedule

import helpers.factories as f
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
select_schedules = select_rows(SyncSchedule.__table__.c.id)


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


STATS_GROUPS = 4  # the most dimensions one stats field groups by


def stats_documents() -> dict[str, str]:
    """Each root stats field with every metric, the bucket and every row field, grouped by its
    dimensions four at a time, by week over last month (a row's fields for dimensions it is not
    grouped by are null)."""
    assert GRAPHQL.query_type is not None
    found = {}
    for root in ("callStats", "leadStats"):
        field_ = GRAPHQL.query_type.fields[root]
        stats = get_named_type(field_.type)
        assert isinstance(stats, GraphQLObjectType)
        dimensions = list(get_named_type(field_.args["groupBy"].type).values)  # type: ignore[union-attr]
        row = get_named_type(stats.fields["rows"].type)
        metrics = select(get_named_type(stats.fields["totals"].type), 0)  # type: ignore[arg-type]
        applied = select(get_named_type(stats.fields["appliedRanges"].type), 0)  # type: ignore[arg-type]
        time = "startedAt" if root == "callStats" else "createdAt"
        for start in range(0, len(dimensions), STATS_GROUPS):
            group = ", ".join(dimensions[start : start + STATS_GROUPS])
            found[f"{root}.{start // STATS_GROUPS}"] = (
                f"{{ {root}(filter: {{ {time}: {{ label: LAST_MONTH }} }}, interval: WEEK, "
                f"groupBy: [{group}], first: 10) {{ {select(stats, 0)} "  # type: ignore[arg-type]
                f"appliedRanges {{ {applied} }} totals {{ {metrics} }} "
                f"rows {{ {select(row, 1)} metrics {{ {metrics} }} }} }} }}"  # type: ignore[arg-type]
            )
    for root, list_field in connections(GRAPHQL.query_type):
        node = connection_node(list_field)
        for name, nested in node.fields.items():
            if get_named_type(nested.type).name in ("CallStats", "LeadStats"):
                time = "startedAt" if name == "callStats" else "createdAt"
                found[f"{root}.{name}"] = (
                    f"{{ {root}(first: 20) {{ nodes {{ id {name}(filter: {{ {time}: "
                    "{ label: LAST_MONTH } }, interval: WEEK) { totals { __typename } "
                    "rows { bucket { start } } } } } }"
                )
    return found


def sync_status_document() -> str:
    assert GRAPHQL.query_type is not None
    status = get_named_type(GRAPHQL.query_type.fields["syncStatus"].type)
    return f"{{ syncStatus {{ {select(status, 1)} }} }}"  # type: ignore[arg-type]


def test_the_documents_select_every_field_of_every_type() -> None:
    chosen = [*documents().values(), *stats_documents().values(), sync_status_document()]
    unselected = object_fields(GRAPHQL) - selected_fields(GRAPHQL, chosen)
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


@pytest.mark.parametrize("document", sorted(stats_documents()))
@pytest.mark.parametrize("path", ["compiled", "general"])
def test_every_stats_field_answers_without_error(
    clients: dict[str, TestClient], document: str, path: str
) -> None:
    response = clients[path].post("/graphql", json={"query": stats_documents()[document]})
    body = response.json()

    assert response.status_code == 200 and "errors" not in body, body.get("errors")
    root, _, nested = document.partition(".")
    # Root stats compile; stats under each node of a list are the general path's.
    assert response.headers["x-read-path"] == (path if nested.isdigit() else "general")
    if nested.isdigit():
        stats = body["data"][root]
        assert stats["rows"], f"the demo has no {document}"
    else:  # nested under each node: every bucket of the range, zeros included
        assert all(node[nested]["rows"] for node in body["data"][root]["nodes"]), document


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


@pytest.mark.parametrize("path", ["compiled", "general"])
def test_sync_status_answers_every_field(clients: dict[str, TestClient], path: str) -> None:
    settings = clients[path].app.state.settings  # type: ignore[attr-defined]
    key = {"account": "demo", "vendor": "FONE_DYNAMICS", "resource": "calls",
           "base_url": "http://vendor.test", "subtree": None, "filters": {}, "page_size": 200,
           "credentials": {"account_sid": "AC1"}}  # fmt: skip
    schedule = NewSchedule(key=key, arguments=[], credential_env={}, interval=900)

    async def scheduled(conn: AsyncConnection) -> None:
        if not (await conn.execute(select_schedules)).first():
            await add_schedule(conn, schedule)

    f.run_db(settings, scheduled)
    response = clients[path].post("/graphql", json={"query": sync_status_document()})
    body = response.json()

    assert response.status_code == 200 and "errors" not in body, body.get("errors")
    assert [s["resource"] for s in body["data"]["syncStatus"]] == ["calls"]
