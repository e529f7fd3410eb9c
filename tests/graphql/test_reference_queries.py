"""Every document frontends send (../shared/reference-queries.graphql) runs unchanged against
the demo data, posted over HTTP."""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event
from starlette.testclient import TestClient

from app.core.db import create_engine, create_session_factory
from app.core.settings import Settings
from app.demo.plan import plan_demo
from app.demo.run import run_demo
from app.web.app import create_app

import helpers.factories as f
from helpers.reference import reference_document

DOCUMENT = reference_document()


async def _seed_demo(settings: Settings) -> None:
    engine = create_engine(settings)
    try:
        plan = plan_demo(seed=3, calls=2_000, today=datetime.now(UTC).date())
        await run_demo(session_factory=create_session_factory(engine), account="demo", plan=plan)
    finally:
        await engine.dispose()


@contextmanager
def _demo_client(settings: Settings) -> Iterator[TestClient]:
    asyncio.run(_seed_demo(settings))
    headers = {"Authorization": f"Bearer {f.run_db(settings, f.demo_key)}"}
    with TestClient(create_app(settings), headers=headers) as test_client:
        yield test_client


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with _demo_client(settings) as test_client:
        yield test_client


def run(client: TestClient, operation: str, **variables: Any) -> dict[str, Any]:
    body = client.post(
        "/graphql",
        json={"query": DOCUMENT, "operationName": operation, "variables": variables},
    ).json()
    assert "errors" not in body, body["errors"]
    data: dict[str, Any] = body["data"]
    return data


def busiest_company(client: TestClient) -> str:
    companies = client.post(
        "/graphql", json={"query": "{ companies { nodes { id calls(first: 0) { totalCount } } } }"}
    ).json()["data"]["companies"]["nodes"]
    company_id: str = max(companies, key=lambda c: c["calls"]["totalCount"])["id"]
    return company_id


def test_every_reference_document_runs_on_the_demo_data(client: TestClient) -> None:
    company = busiest_company(client)

    log = run(client, "CallLog", company=company)["calls"]
    assert log["totalCount"] > 50 and len(log["edges"]) == 50
    page_two = run(client, "CallLog", company=company, after=log["pageInfo"]["endCursor"])["calls"]
    assert page_two["edges"][0]["node"]["startedAt"] <= log["edges"][-1]["node"]["startedAt"]

    missed = run(client, "MissedCallsThisWeek", company=company)["calls"]
    # This week may have just begun in Sydney, so the list may be empty; what it holds must match.
    assert missed["totalCount"] >= len(missed["nodes"])
    assert {n["disposition"] for n in missed["nodes"]} <= {"BUSY", "NO_ANSWER", "FAILED"}

    numbers = run(client, "Numbers")["numbers"]
    assert numbers["nodes"] and all(
        {"VOICE", "SMS"} <= set(n["capabilities"]) for n in numbers["nodes"]
    )

    leads = run(client, "LeadGrid")["leads"]["nodes"]
    assert leads

    ids = [log["edges"][0]["node"]["id"], numbers["nodes"][0]["id"], leads[0]["id"]]
    refetched = run(client, "Refetch", ids=ids)["nodes"]
    assert [n["__typename"] for n in refetched] == ["Call", "Number", "Lead"]

    overview = run(client, "Company", id=company)["node"]
    assert overview["name"] and overview["sources"]["nodes"]

    dashboard = run(client, "DailyDashboard", company=company)["callStats"]
    days = {r["bucket"]["start"] for r in dashboard["rows"]}
    assert 28 <= len(days) <= 31 and dashboard["totals"]["calls"] > 0
    assert sum(r["metrics"]["calls"] for r in dashboard["rows"]) == dashboard["totals"]["calls"]
    board = run(client, "SourceLeaderboard", company=company)
    assert board["callStats"]["rows"] and board["leadStats"]["totals"]["leads"] >= 0


@pytest.fixture
def general_client(settings: Settings) -> Iterator[TestClient]:
    with _demo_client(settings.model_copy(update={"compiled_reads": False})) as test_client:
        yield test_client


def test_each_stats_field_is_one_statement_on_the_general_path(
    general_client: TestClient,
) -> None:
    """Q7: the company's time zone, then the stats statement. Q8: the zone, one statement per
    stats field, and the grouped sources (one batch per field)."""
    client = general_client
    company = busiest_company(client)
    statements: list[str] = []
    engine = client.app.state.engine.sync_engine  # type: ignore[attr-defined]

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        run(client, "DailyDashboard", company=company)
        stats = [s for s in statements if "sb_f" in s]
        assert len(stats) == 1 and len(statements) == 2, statements
        statements.clear()
        run(client, "SourceLeaderboard", company=company)
        assert len([s for s in statements if "sb_f" in s]) == 2
        assert len(statements) <= 5, statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


@pytest.fixture
def compiled_client(settings: Settings) -> Iterator[TestClient]:
    with _demo_client(settings.model_copy(update={"compiled_reads": True})) as test_client:
        yield test_client


def test_the_compiler_answers_every_reference_document_in_one_statement(
    compiled_client: TestClient,
) -> None:
    client = compiled_client
    company = busiest_company(client)
    first = run(client, "CallLog", company=company)["calls"]
    ids = [first["edges"][0]["node"]["id"], company]
    documents = {
        "CallLog": {"company": company},
        "MissedCallsThisWeek": {"company": company},
        "Numbers": {},
        "LeadGrid": {},
        "Refetch": {"ids": ids},
        "Company": {"id": company},
        "DailyDashboard": {"company": company},
        "SourceLeaderboard": {"company": company},
    }
    statements: list[str] = []
    engine = client.app.state.engine.sync_engine  # type: ignore[attr-defined]

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        for operation, variables in [
            *documents.items(),
            ("CallLog", {"company": company, "after": first["pageInfo"]["endCursor"]}),
        ]:
            # A company's time zone is read once per process, the first time a label needs it.
            client.post(
                "/graphql",
                json={"query": DOCUMENT, "operationName": operation, "variables": variables},
            )
            statements.clear()
            response = client.post(
                "/graphql",
                json={"query": DOCUMENT, "operationName": operation, "variables": variables},
            )
            assert "errors" not in response.json(), (operation, response.json())
            assert response.headers["x-read-path"] == "compiled", operation
            assert len(statements) == 1, (operation, statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
