"""Live-data test kit: `switchboard serve` as a process on a free port, and a graphql-transport-ws
client (the `websockets` package uvicorn[standard] brings) whose every wait has a deadline."""

import asyncio
import json
import os
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

import httpx
import websockets

from app.core.api_keys import ALL_SCOPES
from app.core.settings import Settings
from app.core.webhooks import create_endpoint
from app.models.enums import Vendor

import helpers.factories as f
from helpers.imports import SWITCHBOARD

CALL_EVENTS = """subscription($filter: CallFilter, $since: DateTime, $after: String) {
  callEvents(filter: $filter, since: $since, after: $after) {
    kind at cursor call { id externalId durationSeconds disposition }
  }
}"""
LEAD_EVENTS = """subscription($since: DateTime) {
  leadEvents(since: $since) { kind lead { externalId name } }
}"""
WAIT = 15.0  # seconds any single expected message may take on a loaded machine


def seed(
    settings: Settings, *accounts: str, scopes: tuple[str, ...] = ALL_SCOPES
) -> dict[str, tuple[str, str]]:
    """Per account: (API key, webhook path for Fone Dynamics calls)."""

    async def work(conn: Any) -> dict[str, tuple[str, str]]:
        made = {}
        for name in accounts:
            account = await f.account(conn, name)
            hook = await create_endpoint(
                conn,
                account_id=account,
                vendor=Vendor.FONE_DYNAMICS,
                resource="calls",
                company=None,
            )
            made[name] = (await f.api_key(conn, account, scopes), f"/webhooks/{hook.token}")
        return made

    return f.run_db(settings, work)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served(database_url: str, *args: str, **env: str) -> Iterator[str]:
    """`switchboard serve` on a free loopback port until the block ends; yields its base URL."""
    port = free_port()
    command = [SWITCHBOARD, "--database-url", database_url, "serve", "--port", str(port),
               "--log-level", "warning", *args]  # fmt: skip
    environ = {**os.environ, **{k.upper(): v for k, v in env.items()}}
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, env=environ, stdout=subprocess.DEVNULL, stderr=log)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(base, process, log)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_healthy(base: str, process: subprocess.Popen[bytes], log: IO[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise AssertionError(f"serve exited: {log.read().decode()}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("serve did not come up within 60 s")


class Subscriber:
    """One graphql-transport-ws connection: connect with a key, subscribe, read operation messages."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws

    @classmethod
    async def connect(cls, base: str, token: str | None) -> "Subscriber":
        ws = await websockets.connect(
            base.replace("http", "ws", 1) + "/graphql", subprotocols=["graphql-transport-ws"]
        )
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
        )
        subscriber = cls(ws)
        ack = await subscriber.message()
        assert ack["type"] == "connection_ack", ack
        return subscriber

    async def subscribe(self, query: str = CALL_EVENTS, op: str = "1", **variables: Any) -> None:
        payload = {"query": query, "variables": variables}
        await self.ws.send(json.dumps({"id": op, "type": "subscribe", "payload": payload}))

    async def message(self, wait: float = WAIT) -> dict[str, Any]:
        """The next message other than a ping (pings are answered)."""
        while True:
            message = json.loads(await asyncio.wait_for(self.ws.recv(), wait))
            if message["type"] != "ping":
                return message  # type: ignore[no-any-return]
            await self.ws.send(json.dumps({"type": "pong"}))

    async def event(self, wait: float = WAIT) -> dict[str, Any]:
        """The next `next` message's data (fails on anything else)."""
        message = await self.message(wait)
        assert message["type"] == "next" and "errors" not in message["payload"], message
        return message["payload"]["data"]  # type: ignore[no-any-return]

    async def close(self) -> None:
        await self.ws.close()
