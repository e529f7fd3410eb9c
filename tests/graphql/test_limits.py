"""Query limits: hostile documents are QUERY_TOO_COMPLEX, and no SQL runs for them."""

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from starlette.testclient import TestClient

from app.core.settings import Settings
from app.web.app import create_app

import helpers.factories as f
from helpers.reference import reference_document


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    token = f.run_db(settings, f.demo_key)
    with TestClient(create_app(settings), headers={"X-API-Key": token}) as test_client:
        test_client.post("/graphql", json={"query": "{ __typename }"})  # warm the key cache
        yield test_client


@pytest.fixture
def statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    yield seen
    event.remove(Engine, "before_cursor_execute", record)


def refused(client: TestClient, statements: list[str], query: str, **body: Any) -> str:
    """Post `query`; assert it is refused as too complex with no SQL; return the message."""
    statements.clear()
    response = client.post("/graphql", json={"query": query, **body})
    assert response.status_code == 200, response.text
    errors = response.json()["errors"]
    assert {e["extensions"]["code"] for e in errors} == {"QUERY_TOO_COMPLEX"}, errors
    assert statements == []
    return str(errors[0]["message"])


def nested(depth: int) -> str:
    """calls -> nodes -> caller -> calls -> nodes -> caller ... `depth` fields deep."""
    inner = "id"
    for level in range(depth - 1):
        inner = f"{['calls', 'nodes', 'caller'][level % 3]} {{ {inner} }}"
    return "{ %s }" % inner


def test_a_depth_bomb_is_refused(client: TestClient, statements: list[str]) -> None:
    assert "depth is 40" in refused(client, statements, nested(40))


def test_depth_up_to_the_limit_runs(client: TestClient, statements: list[str]) -> None:
    body = client.post("/graphql", json={"query": "{ calls { nodes { caller { calls { nodes { id } } } } } }"}).json()
    assert body == {"data": {"calls": {"nodes": []}}}


def test_an_alias_bomb_is_refused(client: TestClient, statements: list[str]) -> None:
    query = "{ %s }" % " ".join(f"a{i}: calls(first: 1) {{ totalCount }}" for i in range(200))
    assert "aliases is 200" in refused(client, statements, query)


def test_aliases_hidden_in_fragment_spreads_are_counted(client: TestClient, statements: list[str]) -> None:
    # Each fragment spreads the one below twice: 2^10 copies of 2 aliases from a short document.
    fragments = ["fragment F0 on Query { a: __typename b: __typename }"]
    fragments += [f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, 11)]
    query = "{ ...F10 } " + " ".join(fragments)
    assert "aliases is 2048" in refused(client, statements, query)


def test_a_huge_first_is_refused(client: TestClient, statements: list[str]) -> None:
    message = refused(client, statements, "{ calls(first: 1000000) { nodes { id } } }")
    assert message.startswith("first: at most 250 items per page")


def test_a_huge_first_in_a_variable_is_refused(client: TestClient, statements: list[str]) -> None:
    query = "query($n: Int) { calls(last: $n) { nodes { id } } }"
    assert refused(client, statements, query, variables={"n": 100000}).startswith("last:")


def test_deeply_nested_connections_are_refused_by_cost(client: TestClient, statements: list[str]) -> None:
    query = "{ companies(first: 100) { nodes { calls(first: 100) { nodes { id startedAt caller { e164 } } } } } }"
    assert "query cost is" in refused(client, statements, query)


def test_cost_counts_default_pages_and_variables(client: TestClient, statements: list[str]) -> None:
    query = "query($n: Int = 250) { companies { nodes { calls(first: $n) { nodes { id externalId } } } } }"
    # 50 companies (the default page) x 250 calls x 3 fields is far over 25,000.
    assert "query cost is" in refused(client, statements, query)
    small = client.post("/graphql", json={"query": query, "variables": {"n": 2}}).json()
    assert small == {"data": {"companies": {"nodes": []}}}


def test_too_many_tokens_are_refused(client: TestClient, statements: list[str]) -> None:
    query = "{ %s }" % " ".join(["__typename"] * 6000)
    assert "tokens" in refused(client, statements, query)


def test_the_reference_documents_stay_within_the_limits(client: TestClient) -> None:
    text = reference_document()
    for name in (
        "CallLog", "MissedCallsThisWeek", "Numbers", "LeadGrid", "Refetch", "Company",
        "DailyDashboard", "SourceLeaderboard",
    ):
        variables = {"company": "Q29tcGFueTox", "id": "Q29tcGFueTox", "ids": ["Q2FsbDox"] * 250}
        body = client.post("/graphql", json={"query": text, "operationName": name, "variables": variables}).json()
        codes = {e["extensions"]["code"] for e in body.get("errors", [])}
        assert "QUERY_TOO_COMPLEX" not in codes, (name, body["errors"])
