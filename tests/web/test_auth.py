"""API keys over HTTP: no key or a bad one is 401; a key reads its own account, within its scopes."""

from typing import Any

import pytest
from starlette.testclient import TestClient

from app.core.api_keys import ALL_SCOPES
from app.core.ids import encode_global_id
from app.core.settings import Settings
from app.web.app import create_app

import helpers.factories as f

COMPANIES = "{ companies { nodes { name } } }"


async def seed(conn: Any, scopes: tuple[str, ...] = ALL_SCOPES) -> str:
    account = await f.account(conn, "acme")
    company = await f.company(conn, account, "Acme Plumbing")
    await f.call(conn, account, company, "CA1")
    return await f.api_key(conn, account, scopes)


def post(client: TestClient, query: str, headers: dict[str, str] | None = None) -> Any:
    return client.post("/graphql", json={"query": query}, headers=headers or {})


@pytest.fixture
def token(settings: Settings) -> str:
    return f.run_db(settings, seed)


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer sb_000000000000_" + "x" * 43}, {"X-API-Key": "nonsense"},
     {"Authorization": "Basic dXNlcjpwYXNz"}],
    ids=["none", "unknown", "malformed", "basic"],
)
def test_missing_or_bad_keys_are_401_unauthenticated(
    settings: Settings, token: str, headers: dict[str, str]
) -> None:
    with TestClient(create_app(settings)) as client:
        response = post(client, COMPANIES, headers)
    assert response.status_code == 401
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert "data" not in response.json()


@pytest.mark.parametrize("header", ["Authorization", "X-API-Key"])
def test_a_key_in_either_header_reads_its_account(settings: Settings, token: str, header: str) -> None:
    value = f"Bearer {token}" if header == "Authorization" else token
    with TestClient(create_app(settings)) as client:
        response = post(client, COMPANIES, {header: value})
    assert response.status_code == 200
    assert response.json() == {"data": {"companies": {"nodes": [{"name": "Acme Plumbing"}]}}}


def test_a_revoked_key_is_refused(settings: Settings, token: str) -> None:
    async def revoke(conn: Any) -> None:
        from app.core.api_keys import prefix_of, revoke_key

        prefix = prefix_of(token)
        assert prefix and await revoke_key(conn, prefix=prefix)

    f.run_db(settings, revoke)
    with TestClient(create_app(settings)) as client:
        assert post(client, COMPANIES, {"X-API-Key": token}).status_code == 401


def test_only_a_hash_of_the_key_is_stored(settings: Settings, token: str) -> None:
    async def stored(conn: Any) -> list[Any]:
        from sqlalchemy import text

        return list((await conn.execute(text("SELECT * FROM api_key"))).all())

    rows = f.run_db(settings, stored)
    assert len(rows) == 1
    assert not any(token in str(value) for value in rows[0])
    assert not any(token.split("_", 2)[2] in str(value) for value in rows[0])


def test_a_missing_scope_fails_only_that_field(settings: Settings) -> None:
    token = f.run_db(settings, lambda conn: seed(conn, ("companies:read",)))
    query = "{ companies { nodes { name calls { nodes { externalId } } } } calls { totalCount } }"
    with TestClient(create_app(settings)) as client:
        body = post(client, query, {"X-API-Key": token}).json()
    assert body["data"] == {"companies": {"nodes": [{"name": "Acme Plumbing", "calls": None}]}, "calls": None}
    forbidden = {tuple(e["path"]): e["extensions"]["code"] for e in body["errors"]}
    assert forbidden == {("companies", "nodes", 0, "calls"): "FORBIDDEN", ("calls",): "FORBIDDEN"}


def test_node_refetch_needs_the_scope_of_the_type_it_names(settings: Settings) -> None:
    token = f.run_db(settings, lambda conn: seed(conn, ("calls:read",)))
    company_id, call_id = encode_global_id("Company", 1), encode_global_id("Call", 1)
    query = '{ company: node(id: "%s") { id } call: node(id: "%s") { id } }' % (company_id, call_id)
    with TestClient(create_app(settings)) as client:
        body = post(client, query, {"X-API-Key": token}).json()
    assert body["data"] == {"company": None, "call": {"id": call_id}}
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [(["company"], "FORBIDDEN")]


def test_the_ide_page_needs_no_key_but_queries_over_get_do(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        page = client.get("/graphql", headers={"Accept": "text/html"})
        query = client.get("/graphql", params={"query": COMPANIES})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    assert query.status_code == 401
