"""Automatic persisted queries: hash only -> not found; query + hash -> remembered; hash only
again -> runs; a wrong hash or version is refused."""

import hashlib
from typing import Any

from starlette.testclient import TestClient

QUERY = "{ calls(first: 1) { totalCount } }"
DIGEST = hashlib.sha256(QUERY.encode()).hexdigest()


def persisted(digest: str = DIGEST, version: int = 1) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": digest}}


def test_hash_only_is_not_found_until_the_query_is_sent(client: TestClient) -> None:
    miss = client.post("/graphql", json={"extensions": persisted()}).json()
    assert miss["errors"][0]["message"] == "PersistedQueryNotFound"
    assert miss["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"

    registered = client.post("/graphql", json={"query": QUERY, "extensions": persisted()}).json()
    by_hash = client.post("/graphql", json={"extensions": persisted()}).json()

    assert registered == by_hash == {"data": {"calls": {"totalCount": 0}}}


def test_hash_only_works_over_get(client: TestClient) -> None:
    client.post("/graphql", json={"query": QUERY, "extensions": persisted()})
    response = client.get(
        "/graphql",
        params={"extensions": '{"persistedQuery":{"version":1,"sha256Hash":"%s"}}' % DIGEST},
    )
    assert response.json() == {"data": {"calls": {"totalCount": 0}}}


def test_persisted_and_get_queries_are_compiled(client: TestClient) -> None:
    """The compiler answers them too (a client using persisted queries or GET is not sent to
    the slower general path)."""
    registered = client.post("/graphql", json={"query": QUERY, "extensions": persisted()})
    by_hash = client.post("/graphql", json={"extensions": persisted()})
    by_get = client.get("/graphql", params={"query": QUERY})
    missing = client.post("/graphql", json={"extensions": persisted("1" * 64)})
    assert [r.headers["x-read-path"] for r in (registered, by_hash, by_get)] == ["compiled"] * 3
    assert by_get.json() == by_hash.json() == {"data": {"calls": {"totalCount": 0}}}
    # An error to report is the general path's, which reports it as it always has.
    assert missing.headers["x-read-path"] == "general"


def test_a_hash_that_does_not_match_the_query_is_refused(client: TestClient) -> None:
    body = client.post("/graphql", json={"query": QUERY, "extensions": persisted("0" * 64)}).json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "sha256Hash" in body["errors"][0]["message"]
    # and nothing was remembered under the wrong hash
    miss = client.post("/graphql", json={"extensions": persisted("0" * 64)}).json()
    assert miss["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


def test_malformed_requests_are_refused(client: TestClient) -> None:
    wrong_version = client.post("/graphql", json={"extensions": persisted(version=2)}).json()
    bad_hash = client.post("/graphql", json={"extensions": persisted("xyz")}).json()
    assert wrong_version["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_SUPPORTED"
    assert bad_hash["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
