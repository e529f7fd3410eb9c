"""TRACING=true: a server span per request with its operation, outcome and read path, and on the
general path Strawberry's spans under it; no span carries the document or argument values."""

from collections.abc import Iterator

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from starlette.testclient import TestClient

from app.core.settings import Settings
from app.graphql.schema import schema
from app.web.app import create_app

import helpers.factories as f

PHONE = "+14045550123"
_EXPORTER = InMemorySpanExporter()


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    """The process's tracer provider (set once per process), its spans in memory."""
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(_EXPORTER))
        trace.set_tracer_provider(provider)
    _EXPORTER.clear()
    yield _EXPORTER
    _EXPORTER.clear()


def test_requests_are_traced_on_both_read_paths(
    settings: Settings, spans: InMemorySpanExporter
) -> None:
    token = f.run_db(settings, f.demo_key)
    traced = settings.model_copy(update={"tracing": True})
    compiled = "query Traced { calls(first: 1) { totalCount } }"
    general = "query Slow($n: [PhoneNumber!]) { calls(filter: { dialled: $n }) { nodes { nope } } }"
    with TestClient(create_app(traced), headers={"Authorization": f"Bearer {token}"}) as client:
        assert (
            client.post("/graphql", json={"query": compiled}).headers["x-read-path"] == "compiled"
        )
        client.post("/graphql", json={"query": general, "variables": {"n": [PHONE]}})
    general_only = traced.model_copy(update={"compiled_reads": False})
    with TestClient(create_app(general_only), headers={"Authorization": f"Bearer {token}"}) as c:
        literal = '{ calls(filter: { dialled: ["%s"] }) { totalCount } }' % PHONE
        assert "errors" not in c.post("/graphql", json={"query": literal}).json()
    finished = spans.get_finished_spans()
    requests = [s for s in finished if s.name == "POST /graphql"]
    assert [s.attributes["operation"] for s in requests[:2]] == ["Traced", "Slow"]
    assert requests[0].attributes["read_path"] == "compiled"
    assert requests[1].attributes["outcome"] == "graphql_error"
    assert all(s.kind is trace.SpanKind.SERVER for s in requests)
    strawberry_spans = [s for s in finished if s.name.startswith("GraphQL")]
    assert strawberry_spans, [s.name for s in finished]
    ids = {s.context.span_id for s in requests}
    operations = [s for s in strawberry_spans if s.name.startswith("GraphQL Query")]
    assert operations and all(s.parent is not None and s.parent.span_id in ids for s in operations)
    resolvers = [s for s in strawberry_spans if s.name == "GraphQL Resolving: calls"]
    assert resolvers and resolvers[0].attributes["graphql.path"] == "calls"
    for span in finished:
        assert PHONE not in str(dict(span.attributes or {})), span.name


def test_tracing_is_off_by_default(settings: Settings, spans: InMemorySpanExporter) -> None:
    token = f.run_db(settings, f.demo_key)
    with TestClient(create_app(settings), headers={"Authorization": f"Bearer {token}"}) as client:
        client.post("/graphql", json={"query": "{ calls(first: 1) { nodes { nope } } }"})
    assert spans.get_finished_spans() == ()
    assert not any(getattr(e, "_switchboard_tracing", False) for e in schema.extensions)
