"""GraphQL over HTTP: application/graphql-response+json (4xx and no `data` for request errors)
beside application/json (unchanged), on both read paths; graphql-http's auditServer run with
node against a served process reports no error and no warning."""

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from app.core.settings import Settings
from app.web.app import create_app

import helpers.factories as f
from helpers.live_server import serving
from helpers.node_tools import node_tools

SPEC = "application/graphql-response+json"
JSON = "application/json"
PARSE_ERROR = "{ calls { nodes { id }"
VALIDATION_ERROR = "{ calls { nodes { noSuchField } } }"
COERCION_ERROR = ("query($first: Int) { calls(first: $first) { nodes { id } } }", {"first": "x"})


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    token = f.run_db(settings, f.demo_key)
    with TestClient(create_app(settings), headers={"X-API-Key": token}) as test_client:
        yield test_client


def post(client: TestClient, query: str, accept: str | None, variables: object = None) -> object:
    headers = {} if accept is None else {"Accept": accept}
    return client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)


@pytest.mark.parametrize(
    "document",
    [(PARSE_ERROR, None), (VALIDATION_ERROR, None), COERCION_ERROR],
    ids=["parse", "validation", "variables"],
)
def test_request_errors_are_400_without_data_in_the_spec_type(
    client: TestClient, document: tuple[str, object]
) -> None:
    response = post(client, document[0], SPEC, document[1])
    assert response.status_code == 400
    assert response.headers["content-type"] == SPEC
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize("accept", [None, JSON, "*/*", f"{JSON}, {SPEC};q=0.5"])
def test_application_json_keeps_200_with_data_null(client: TestClient, accept: str | None) -> None:
    response = post(client, PARSE_ERROR, accept)
    assert response.status_code == 200
    assert response.headers["content-type"] == JSON
    assert response.json()["data"] is None


@pytest.mark.parametrize("compiled", [True, False])
def test_both_read_paths_answer_in_the_negotiated_type(settings: Settings, compiled: bool) -> None:
    token = f.run_db(settings, f.demo_key)
    app = create_app(settings.model_copy(update={"compiled_reads": compiled}))
    with TestClient(app, headers={"X-API-Key": token}) as client:
        for accept, media in [(SPEC, SPEC), (f"{JSON};q=0.9, {SPEC}", SPEC), (JSON, JSON)]:
            response = post(client, "{ calls(first: 2) { nodes { id } } }", accept)
            assert response.status_code == 200
            assert response.headers["content-type"] == media
            assert response.headers["x-read-path"] == ("compiled" if compiled else "general")
            assert response.json() == {"data": {"calls": {"nodes": []}}}


def test_a_field_error_is_200_with_data_in_the_spec_type(client: TestClient) -> None:
    response = post(client, '{ calls(after: "not a cursor") { nodes { id } } }', SPEC)
    assert response.status_code == 200
    body = response.json()
    assert "data" in body
    assert body["errors"][0]["path"] == ["calls"]


def test_limits_are_request_errors_too(client: TestClient) -> None:
    response = post(client, "{ calls(first: 251) { nodes { id } } }", SPEC)
    assert response.status_code == 400
    assert "data" not in response.json()


def test_an_unacceptable_accept_header_is_406(client: TestClient) -> None:
    response = post(client, "{ __typename }", "text/plain")
    assert response.status_code == 406
    assert SPEC in response.json()["errors"][0]["message"]


def test_a_missing_key_is_401_in_the_negotiated_type(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        response = post(client, "{ __typename }", SPEC)
    assert response.status_code == 401
    assert response.headers["content-type"] == SPEC


def test_graphql_http_audit_reports_no_errors_or_warnings(
    tmp_path: Path, sqlite_template: Path
) -> None:
    """On SQLite only: what the audit checks is HTTP, the same on both databases."""
    tools = node_tools()
    shutil.copy(sqlite_template, tmp_path / "audit.db")
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'audit.db'}")
    token = f.run_db(settings, f.demo_key)
    with serving(settings.database_url) as base:
        audit = subprocess.run(
            ["node", "audit_http.mjs", f"{base}/graphql"],
            cwd=tools,
            env={**os.environ, "SWITCHBOARD_API_KEY": token},
            capture_output=True,
            text=True,
            timeout=60,
        )
    summary = audit.stdout.strip().splitlines()[-1] if audit.stdout.strip() else ""
    assert audit.returncode == 0, audit.stdout + audit.stderr
    assert '"warn":0' in summary and '"error":0' in summary, summary
