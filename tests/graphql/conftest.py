"""A client on the real app over a fresh database, and `gql` to post a document to /graphql."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from app.core.settings import Settings
from app.web.app import create_app

import helpers.factories as f
from helpers.graphql_client import Gql, post


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """Authenticated as the "demo" account with every scope (seed that account's rows)."""
    headers = {"Authorization": f"Bearer {f.run_db(settings, f.demo_key)}"}
    with TestClient(create_app(settings), headers=headers) as test_client:
        yield test_client


@pytest.fixture
def gql(client: TestClient) -> Gql:
    """Post a document; return `data`, failing the test if the response carries errors."""

    def run(query: str, variables: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
        body = post(client, query, variables, **extra)
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    return run


@pytest.fixture
def gql_errors(client: TestClient) -> Callable[..., list[dict[str, Any]]]:
    """Post a document that must fail; return its errors."""

    def run(query: str, variables: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        body = post(client, query, variables)
        assert body.get("errors"), body
        errors: list[dict[str, Any]] = body["errors"]
        return errors

    return run
