"""Operations: /metrics counts GraphQL requests by operation, outcome and read path and shows
the pool and import counters; access logs are JSON without documents, variables or query
strings; `/` leads to GraphiQL; `serve --workers 2` reports both workers' requests."""

import asyncio
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from app.core.db import create_engine, create_session_factory
from app.core.settings import Settings
from app.ingest import ImportSummary, import_payload
from app.models.enums import Vendor
from app.web.app import create_app
from app.web.logs import JsonFormatter
from app.web.telemetry import OperationNames, operation_from_document

import helpers.factories as f
from helpers.imports import load

PHONE = "+14045550123"


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a /metrics page, keyed by name and sorted labels."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def requests_count(page: str, operation: str, outcome: str, read_path: str) -> float:
    labels = (("operation", operation), ("outcome", outcome), ("read_path", read_path))
    return samples(page).get(("switchboard_graphql_requests_total", labels), 0.0)


@pytest.fixture
def app_client(settings: Settings) -> Iterator[TestClient]:
    headers = {"Authorization": f"Bearer {f.run_db(settings, f.demo_key)}"}
    with TestClient(create_app(settings), headers=headers) as client:
        yield client


def test_metrics_count_requests_by_operation_outcome_and_read_path(
    app_client: TestClient,
) -> None:
    before = app_client.get("/metrics").text
    named = "query MetricsCallLog { calls(first: 2) { nodes { id } } }"
    for _ in range(3):
        response = app_client.post("/graphql", json={"query": named})
        assert response.headers["x-read-path"] == "compiled"
    broken = "query MetricsBroken { calls(first: 2) { nodes { nope } } }"
    assert app_client.post("/graphql", json={"query": broken}).json()["errors"]
    picked = "query A { __typename } query MetricsPicked { __typename }"
    app_client.post("/graphql", json={"query": picked, "operationName": "MetricsPicked"})
    unauthenticated = app_client.post(
        "/graphql", json={"query": named}, headers={"Authorization": "Bearer nope"}
    )
    assert unauthenticated.status_code == 401
    after = app_client.get("/metrics")

    assert after.headers["content-type"].startswith("text/plain")
    page = after.text
    assert requests_count(page, "MetricsCallLog", "ok", "compiled") == 3 + requests_count(
        before, "MetricsCallLog", "ok", "compiled"
    )
    assert requests_count(page, "MetricsBroken", "graphql_error", "general") >= 1
    assert sum(requests_count(page, "MetricsPicked", "ok", p) for p in ("compiled", "general"))
    # refused before its body is read: the operation is not known
    assert requests_count(page, "anonymous", "client_error", "general") >= 1
    latency = samples(page)[
        (
            "switchboard_graphql_request_duration_seconds_count",
            (("operation", "MetricsCallLog"), ("outcome", "ok"), ("read_path", "compiled")),
        )
    ]
    assert latency == requests_count(page, "MetricsCallLog", "ok", "compiled")
    pool = {name: value for (name, _), value in samples(page).items() if "_db_" in name}
    assert pool["switchboard_db_connections_open"] >= 1
    assert pool["switchboard_db_pool_capacity"] >= 1
    assert 0 <= pool["switchboard_db_connections_in_use"] <= pool["switchboard_db_connections_open"]


def test_the_graphiql_page_and_other_routes_are_not_operations(app_client: TestClient) -> None:
    app_client.get("/graphql", headers={"Accept": "text/html"})
    app_client.get("/healthz")
    page = app_client.get("/metrics").text
    assert not any(
        dict(labels).get("operation") is None
        for (name, labels) in samples(page)
        if name == "switchboard_graphql_requests_total"
    )
    assert 'read_path="general",operation="anonymous"' not in page  # label order is fixed


def test_an_import_in_the_serving_process_is_counted(settings: Settings) -> None:
    key = (
        "switchboard_import_records_total",
        (("outcome", "created"), ("resource", "sources"), ("vendor", "CALLRAIL")),
    )

    async def import_sources() -> ImportSummary:
        engine = create_engine(settings)
        try:
            return await import_payload(
                session_factory=create_session_factory(engine), account="demo",
                vendor=Vendor.CALLRAIL, resource="sources", payload=load("callrail/sources.json"),
            )  # fmt: skip
        finally:
            await engine.dispose()

    with TestClient(create_app(settings)) as client:
        before = samples(client.get("/metrics").text)
        summary = asyncio.run(import_sources())
        after = samples(client.get("/metrics").text)
    assert summary.created > 0
    assert after[key] == before.get(key, 0.0) + summary.created
    committed = ("switchboard_imports_total",
                 (("resource", "sources"), ("result", "committed"), ("vendor", "CALLRAIL")))  # fmt: skip
    assert after[committed] == before.get(committed, 0.0) + 1


def test_root_leads_to_graphiql(app_client: TestClient) -> None:
    response = app_client.get("/", follow_redirects=False)
    assert response.status_code == 307 and response.headers["location"] == "/graphql"
    page = app_client.get("/", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()


def test_metrics_can_be_turned_off(settings: Settings) -> None:
    with TestClient(create_app(settings.model_copy(update={"metrics": False}))) as client:
        assert client.get("/metrics").status_code == 404


def test_access_log_is_json_without_documents_variables_or_query_strings(
    app_client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    query = "query Dialled($n: [PhoneNumber!]) { calls(filter: { dialled: $n }) { totalCount } }"
    literal = '{ calls(filter: { dialled: ["%s"] }) { totalCount } }' % PHONE
    with caplog.at_level(logging.INFO, logger="switchboard.access"):
        app_client.post("/graphql", json={"query": query, "variables": {"n": [PHONE]}})
        app_client.get("/graphql", params={"query": literal})
    lines = [JsonFormatter().format(r) for r in caplog.records if r.name == "switchboard.access"]
    assert len(lines) == 2
    assert all(PHONE not in line and "dialled" not in line for line in lines)
    first, second = (json.loads(line) for line in lines)
    assert first["operation"] == "Dialled" and first["method"] == "POST"
    assert second["path"] == "/graphql" and second["method"] == "GET"
    for entry in (first, second):
        assert entry["status"] == 200 and entry["outcome"] == "ok"
        assert entry["read_path"] in ("compiled", "general") and entry["duration_ms"] > 0
        assert entry["request_id"] and entry["account_id"]


def test_operation_names_come_from_the_document_when_not_given() -> None:
    assert operation_from_document("query CallLog($a: ID) { calls { totalCount } }") == "CallLog"
    assert operation_from_document("# a comment\n  query  Q1 { a }") == "Q1"
    assert operation_from_document("fragment F on Call { id } query Q2 { calls { ...F } }") == "Q2"
    assert operation_from_document("{ calls { totalCount } }") is None
    assert operation_from_document('{ calls(filter: {notes: "query X"}) { id } }') is None


def test_operation_labels_are_bounded() -> None:
    names = OperationNames(limit=2)
    assert [names.label(n) for n in ("A", "B", "C", "A", None, "x" * 65)] == [
        "A", "B", "other", "A", "anonymous", "other",
    ]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_with_two_workers_reports_every_workers_requests(
    sqlite_template: Path, tmp_path: Path
) -> None:
    """One database is enough: this is about the processes (about 3 s on an idle machine,
    most of it the workers starting)."""
    shutil.copy(sqlite_template, tmp_path / "test.db")
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'test.db'}")
    token = f.run_db(settings, f.demo_key)
    port = _free_port()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics")}
    command = [sys.executable, "-m", "app.cli", "--database-url", settings.database_url,
               "serve", "--port", str(port), "--workers", "2", "--log-level", "warning"]  # fmt: skip
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen(command, env=env, stdout=output, stderr=output)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120  # a loaded machine starts workers slowly
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            assert server.poll() is None, log.read_text()
            time.sleep(0.2)
        headers = {"Authorization": f"Bearer {token}"}
        sent = 12
        for _ in range(sent):  # new connections, so both workers get some
            response = httpx.post(f"{base}/graphql", headers=headers,
                                  json={"query": "query TwoWorkers { calls { totalCount } }"})  # fmt: skip
            assert response.status_code == 200
        # Whichever worker answers /metrics reports the sum of both.
        for _ in range(3):
            page = httpx.get(f"{base}/metrics").text
            total = sum(
                value
                for (name, labels), value in samples(page).items()
                if name == "switchboard_graphql_requests_total"
                and dict(labels)["operation"] == "TwoWorkers"
            )
            assert total == sent
        assert list((tmp_path / "metrics").glob("*.db"))
    finally:
        server.terminate()
        server.wait(timeout=20)
