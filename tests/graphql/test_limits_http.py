"""The endpoint's own guards: body size, CORS, GraphiQL and introspection switches, no mutations
over GET, statement timeouts, and internal errors masked with a request id that is logged."""

import asyncio
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.testclient import TestClient

from app.core.db import create_engine
from app.core.settings import Settings
from app.core.timeouts import install_statement_timeout, is_statement_timeout
from app.graphql.loaders import Reader
from app.web.app import create_app
from app.web.logs import JsonFormatter

import helpers.factories as f

ONE_MB = 1_000_000


def client_for(settings: Settings, **overrides: Any) -> TestClient:
    token = f.run_db(settings, f.demo_key)
    app = create_app(settings.model_copy(update=overrides))
    return TestClient(app, headers={"X-API-Key": token})


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with client_for(settings) as test_client:
        yield test_client


def test_a_one_megabyte_document_is_413(client: TestClient) -> None:
    query = "{ calls { nodes { id } } }" + " " * ONE_MB
    response = client.post("/graphql", json={"query": query})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"


def test_a_streamed_body_without_length_is_cut_off_at_the_limit(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"query": "'
        for _ in range(20):
            yield b" " * 100_000

    response = client.post("/graphql", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413


def test_mutations_are_refused_over_get(client: TestClient) -> None:
    response = client.get("/graphql", params={"query": "mutation { __typename }"})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["message"] == "mutations are not allowed when using GET"
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


def test_introspection_can_be_switched_off(settings: Settings) -> None:
    query = {"query": "{ __schema { types { name } } }"}
    with client_for(settings) as on, client_for(settings, introspection=False) as off:
        assert "errors" not in on.post("/graphql", json=query).json()
        refused = off.post("/graphql", json=query).json()
    assert "introspection" in refused["errors"][0]["message"].lower()
    assert refused["data"] is None


def test_graphiql_can_be_switched_off(settings: Settings) -> None:
    with client_for(settings, graphiql=False) as client:
        assert client.get("/graphql", headers={"Accept": "text/html"}).status_code == 404


def test_cors_allows_only_listed_origins(settings: Settings) -> None:
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"}
    with client_for(settings, cors_origins=["https://app.example"]) as client:
        allowed = client.options("/graphql", headers={"Origin": "https://app.example", **preflight})
        denied = client.options("/graphql", headers={"Origin": "https://evil.example", **preflight})
    assert allowed.headers["access-control-allow-origin"] == "https://app.example"
    assert "access-control-allow-origin" not in denied.headers


def test_internal_errors_are_masked_and_logged_with_the_request_id(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(self: Reader, statement: Any) -> Any:
        raise RuntimeError("secret detail at /srv/app.py line 3")

    async def broken_statement(self: Any, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret detail at /srv/app.py line 3")

    monkeypatch.setattr(Reader, "rows", broken)
    # The compiled path's statement fails too: it hands the request to the general path.
    monkeypatch.setattr(AsyncConnection, "exec_driver_sql", broken_statement)
    with caplog.at_level(logging.ERROR, logger="switchboard"):
        response = client.post("/graphql", json={"query": "{ calls { nodes { id } } }"})
    error = response.json()["errors"][0]
    assert response.status_code == 200
    assert error["message"] == "Internal server error"
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "secret" not in response.text and "Traceback" not in response.text
    request_id = error["extensions"]["requestId"]
    assert response.headers["x-request-id"] == request_id
    logged = [json.loads(JsonFormatter().format(r)) for r in caplog.records]
    assert any(entry.get("request_id") == request_id and "secret" in entry["traceback"] for entry in logged)


def test_failures_outside_execution_are_500_with_a_request_id(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(self: Any, request: Any, response: Any) -> Any:
        raise RuntimeError("secret context failure")

    monkeypatch.setattr("app.web.view.SwitchboardGraphQL.get_context", broken)
    monkeypatch.setattr("app.web.view.SwitchboardGraphQL.compiled", broken)
    with caplog.at_level(logging.ERROR, logger="switchboard"):
        response = client.post("/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 500
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "secret" not in response.text
    assert any(getattr(r, "request_id", None) == error["extensions"]["requestId"] for r in caplog.records)


def test_a_statement_past_the_timeout_is_cancelled(settings: Settings) -> None:
    slow = (
        "SELECT pg_sleep(2)" if not settings.is_sqlite else
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000000) SELECT count(*) FROM n"
    )

    async def run() -> BaseException | None:
        engine = create_engine(settings)
        install_statement_timeout(engine, milliseconds=100)
        try:
            async with engine.connect() as conn:
                await conn.execute(text(slow))
        except Exception as exc:
            return exc
        finally:
            await engine.dispose()
        return None

    error = asyncio.run(run())
    assert is_statement_timeout(error), error
