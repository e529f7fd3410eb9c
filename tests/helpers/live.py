"""graphql-transport-ws over Starlette's TestClient: connect with a key, subscribe, read events."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from starlette.testclient import TestClient
from starlette.testclient import WebSocketTestSession as Socket

CALL_EVENTS = """subscription($filter: CallFilter, $since: DateTime, $after: String) {
  callEvents(filter: $filter, since: $since, after: $after) {
    kind at cursor call { id externalId durationSeconds disposition }
  }
}"""


@contextmanager
def connected(client: TestClient, token: str | None) -> Iterator[Socket]:
    """An acknowledged graphql-transport-ws connection authenticated with `token`."""
    with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        ws.send_json({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
        ack = ws.receive_json()
        assert ack == {"type": "connection_ack"}, ack
        yield ws


def subscribe(ws: Socket, query: str = CALL_EVENTS, op: str = "1", **variables: Any) -> None:
    ws.send_json({"id": op, "type": "subscribe", "payload": {"query": query, "variables": variables}})


def next_payload(ws: Socket) -> dict[str, Any]:
    """The next operation message's payload (pings answered and skipped)."""
    while True:
        message = ws.receive_json()
        if message["type"] == "ping":
            ws.send_json({"type": "pong"})
            continue
        assert message["type"] in ("next", "error"), message
        return message
