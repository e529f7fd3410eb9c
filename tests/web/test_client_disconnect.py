"""A client that goes away mid-request is an info line, not an unhandled error with a traceback."""

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from app.core.settings import Settings
from app.web.app import create_app

import helpers.factories as f


async def seed(conn: Any) -> str:
    account = await f.account(conn, "acme")
    return await f.api_key(conn, account)


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def logged() -> Iterator[Records]:
    handler, logger = Records(), logging.getLogger("switchboard.graphql")
    level, logger.level = logger.level, logging.DEBUG
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_a_client_that_disconnects_mid_body_is_logged_quietly(
    settings: Settings, logged: Records
) -> None:
    token = f.run_db(settings, seed)
    app = create_app(settings)
    body = b'{"query": "{ companies { nodes { name } } }"}'
    sent: list[dict[str, Any]] = []
    messages = [
        {"type": "http.request", "body": body[:10], "more_body": True},
        {"type": "http.disconnect"},
    ]

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"authorization", f"Bearer {token}".encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    with TestClient(app) as client:  # runs the app's lifespan
        client.portal.call(app, scope, receive, send)

    assert not [r for r in logged.records if r.levelno >= logging.WARNING], [
        r.getMessage() for r in logged.records
    ]
    assert any("client disconnected" in r.getMessage() for r in logged.records)
    assert not any(m.get("status") == 500 for m in sent)
