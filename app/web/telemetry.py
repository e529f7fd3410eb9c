"""Each request observed once, around the whole app: a GraphQL operation's count and latency
by operation name, outcome and read path; one JSON access-log line per request (method, path
without its query string, status, duration; never the document, variables or query string,
which may hold phone numbers); and, with tracing on, a span of its own."""

import logging
import re
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core import metrics

access_log = logging.getLogger("switchboard.access")

GRAPHQL_PATH = "/graphql"
# Operation names come from clients: bound what a label may hold and how many there are.
MAX_OPERATION_NAMES = 100
MAX_OPERATION_NAME_LENGTH = 64
ANONYMOUS = "anonymous"
OTHER = "other"
_NAME = r"([_A-Za-z][_0-9A-Za-z]*)"
# The document's first operation: at its start (after comments), else after a fragment's `}`.
_LEADING = re.compile(rf"\A(?:\s|,|#[^\n]*)*(?:query|mutation|subscription)\s+{_NAME}")
_AFTER_FRAGMENT = re.compile(rf"\}}(?:\s|,|#[^\n]*)*(?:query|mutation|subscription)\s+{_NAME}")
# What a client's body may be read for: larger bodies are the body limit's 413 anyway.
MAX_OBSERVED_BODY = 1_000_000

SpanFactory = Callable[[str], AbstractContextManager[Any]]


def operation_from_document(query: str) -> str | None:
    """The name of a document's first operation, without parsing it (None when unnamed)."""
    found = _LEADING.match(query) or _AFTER_FRAGMENT.search(query)
    return found.group(1) if found else None


class OperationNames:
    """The label for a request's operation: its name, bounded to MAX_OPERATION_NAMES per
    process (later new names are `other`)."""

    def __init__(self, limit: int = MAX_OPERATION_NAMES) -> None:
        self.limit = limit
        self.seen: set[str] = set()

    def label(self, name: str | None) -> str:
        if not name:
            return ANONYMOUS
        if name in self.seen:
            return name
        if len(name) > MAX_OPERATION_NAME_LENGTH or len(self.seen) >= self.limit:
            return OTHER
        self.seen.add(name)
        return name


def operation_name(method: str, query_string: bytes, body: bytes) -> str | None:
    """operationName as the request gives it, else its document's first operation's name."""
    fields: Any = None
    if method == "GET":
        from urllib.parse import parse_qs

        params = parse_qs(query_string.decode("latin-1"))
        fields = {k: v[0] for k, v in params.items() if k in ("operationName", "query")}
    elif body:
        try:
            fields = orjson.loads(body)
        except orjson.JSONDecodeError:
            return None
    if not isinstance(fields, dict):
        return None
    named = fields.get("operationName")
    if isinstance(named, str) and named:
        return named
    query = fields.get("query")
    return operation_from_document(query) if isinstance(query, str) else None


def outcome_of(status: int, body: bytes) -> str:
    """ok, graphql_error (answered with errors), client_error (4xx) or server_error (5xx)."""
    if status >= 500:
        return "server_error"
    if status >= 400:
        return "client_error"
    if b'"errors"' in body:
        try:
            decoded = orjson.loads(body)
        except orjson.JSONDecodeError:
            return "ok"
        if isinstance(decoded, dict) and decoded.get("errors"):
            return "graphql_error"
    return "ok"


class TelemetryMiddleware:
    """Outermost middleware: sees every request and the response as it leaves."""

    def __init__(self, app: ASGIApp, *, span: SpanFactory | None = None) -> None:
        self.app = app
        self.span = span
        self.names = OperationNames()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        seen = _Seen(graphql=scope["path"] == GRAPHQL_PATH)

        async def observed_receive() -> Message:
            message = await receive()
            if seen.graphql and message["type"] == "http.request":
                seen.add_request(message.get("body", b""))
            return message

        async def observed_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen.start(message)
            elif message["type"] == "http.response.body" and seen.graphql:
                seen.add_response(message.get("body", b""))
            await send(message)

        span = self.span(f"{scope['method']} {scope['path']}") if self.span else nullcontext()
        with span as current:
            try:
                await self.app(scope, observed_receive, observed_send)
            finally:
                seconds = time.perf_counter() - started
                self._record(scope, seen, seconds, current)

    def _record(self, scope: Scope, seen: "_Seen", seconds: float, span: Any) -> None:
        state = scope.get("state") or {}
        entry: dict[str, Any] = {
            "method": scope["method"],
            "path": scope["path"],
            "status": seen.status,
            "duration_ms": round(seconds * 1000, 3),
            "request_id": state.get("request_id"),
        }
        principal = state.get("principal")
        if principal is not None:
            entry["account_id"] = principal.account_id
        if seen.graphql and seen.is_operation():
            name = operation_name(scope["method"], scope.get("query_string", b""), seen.request)
            labels = (
                self.names.label(name),
                outcome_of(seen.status, seen.response),
                seen.read_path,
            )
            metrics.GRAPHQL_REQUESTS.labels(*labels).inc()
            metrics.GRAPHQL_LATENCY.labels(*labels).observe(seconds)
            entry.update(operation=labels[0], outcome=labels[1], read_path=labels[2])
        entry = {k: v for k, v in entry.items() if v is not None}
        if span is not None and hasattr(span, "set_attributes"):
            span.set_attributes(entry)
        access_log.info("%s %s %s", scope["method"], scope["path"], seen.status, extra=entry)


class _Seen:
    """What the middleware saw of one exchange."""

    def __init__(self, *, graphql: bool) -> None:
        self.graphql = graphql
        self.status = 500  # until the app starts a response (an exception escaping it)
        self.content_type = ""
        self.read_path = "general"
        self.request = b""
        self.response = b""

    def add_request(self, chunk: bytes) -> None:
        if len(self.request) + len(chunk) <= MAX_OBSERVED_BODY:
            self.request += chunk

    def add_response(self, chunk: bytes) -> None:
        self.response += chunk

    def start(self, message: Message) -> None:
        self.status = message["status"]
        for key, value in message.get("headers", ()):
            if key == b"content-type":
                self.content_type = value.decode("latin-1")
            elif key == b"x-read-path":
                self.read_path = value.decode("latin-1")

    def is_operation(self) -> bool:
        """A GraphQL answer (any JSON), not the GraphiQL page."""
        return not self.content_type.startswith("text/html")
