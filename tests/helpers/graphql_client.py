"""What GraphQL tests share: the `gql` fixture's type, and `post` (a document to /graphql)."""

from collections.abc import Callable
from typing import Any

from starlette.testclient import TestClient

Gql = Callable[..., dict[str, Any]]


def post(
    client: TestClient, query: str, variables: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    """POST a GraphQL document and return the decoded JSON body (any status)."""
    response = client.post("/graphql", json={"query": query, "variables": variables or {}, **extra})
    body: dict[str, Any] = response.json()
    return body
