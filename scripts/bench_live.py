"""Benchmark: webhook-to-subscriber latency. Seeds accounts (an API key and a Fone Dynamics
calls webhook each), starts `switchboard serve` processes, opens subscribers spread over the
accounts and servers, POSTs one call per webhook request at a steady rate to the servers in
turn, and reports latency from each POST's start to each subscriber's receipt (p50, p99, max),
events lost (an account's call a subscriber of that account never got) and misdelivered (a
call of another account), and the webhook requests that failed.

    .venv/bin/python scripts/bench_live.py                                    # SQLite, 1 server
    .venv/bin/python scripts/bench_live.py --servers 2 \
        --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/sb_live   # an empty database

The issue's scale is the default: 50 subscribers over 4 accounts, 200 events/s for 30 s.
"""

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import websockets

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from app.core.migrate import upgrade
from app.core.settings import Settings
from app.core.webhooks import create_endpoint
from app.models.enums import Vendor

from helpers import factories as f
from helpers.imports import call
from helpers.live import served

QUERY = "subscription { callEvents { kind call { externalId } } }"


def seed(settings: Settings, accounts: int) -> list[tuple[str, str]]:
    async def work(conn: Any) -> list[tuple[str, str]]:
        made = []
        for n in range(accounts):
            account = await f.account(conn, f"bench-live-{n}")
            hook = await create_endpoint(
                conn,
                account_id=account,
                vendor=Vendor.FONE_DYNAMICS,
                resource="calls",
                company=None,
            )
            made.append((await f.api_key(conn, account), f"/webhooks/{hook.token}"))
        return made

    return f.run_db(settings, work)


class Listener:
    def __init__(self, account: int) -> None:
        self.account = account
        self.received: dict[str, float] = {}
        self.duplicates = 0

    async def run(self, base: str, token: str, ready: asyncio.Event) -> None:
        url = base.replace("http", "ws", 1) + "/graphql"
        async with websockets.connect(
            url, subprotocols=["graphql-transport-ws"], max_queue=None
        ) as ws:
            await ws.send(json.dumps({"type": "connection_init", "payload": {"apiKey": token}}))
            assert json.loads(await ws.recv())["type"] == "connection_ack"
            await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": QUERY}}))
            ready.set()
            async for raw in ws:
                now = time.monotonic()
                message = json.loads(raw)
                if message["type"] == "ping":
                    await ws.send(json.dumps({"type": "pong"}))
                    continue
                assert message["type"] == "next", message
                sid = message["payload"]["data"]["callEvents"]["call"]["externalId"]
                if sid in self.received:
                    self.duplicates += 1
                self.received.setdefault(sid, now)


async def drive(
    args: argparse.Namespace, bases: list[str], accounts: list[tuple[str, str]]
) -> dict[str, Any]:
    listeners = [Listener(n % len(accounts)) for n in range(args.subscribers)]
    ready = [asyncio.Event() for _ in listeners]
    tasks = [
        asyncio.create_task(
            listener.run(bases[n % len(bases)], accounts[listener.account][0], ready[n])
        )
        for n, listener in enumerate(listeners)
    ]
    await asyncio.gather(*(event.wait() for event in ready))
    await asyncio.sleep(1.0)  # every subscription registered on its server
    sent: dict[str, tuple[int, float]] = {}
    failed: Counter[str] = Counter()
    limits = httpx.Limits(max_connections=64)
    async with httpx.AsyncClient(limits=limits, timeout=30) as http:

        async def post(seq: int) -> None:
            account = seq % len(accounts)
            sid = f"CA-bench-{os.getpid()}-{account}-{seq}"
            body = call(sid, 1717221600 + seq, f"+614{seq % 100_000_000:08}")
            sent[sid] = (account, time.monotonic())
            try:
                response = await http.post(
                    bases[seq % len(bases)] + accounts[account][1], json=body
                )
                if response.status_code != 200 or response.json()["created"] != 1:
                    failed[f"{response.status_code}: {response.text[:120]}"] += 1
                    del sent[sid]  # not stored: no subscriber can receive it
            except httpx.HTTPError as exc:
                failed[type(exc).__name__] += 1
                del sent[sid]

        start = time.monotonic()
        posts = []
        for seq in range(int(args.rate * args.seconds)):
            delay = start + seq / args.rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            posts.append(asyncio.create_task(post(seq)))
        await asyncio.gather(*posts)
        elapsed = time.monotonic() - start
    deadline = time.monotonic() + args.drain
    while time.monotonic() < deadline and any(_missing(listener, sent) for listener in listeners):  # noqa: ASYNC110
        await asyncio.sleep(0.2)
    for task in tasks:
        task.cancel()
    latencies, lost, misdelivered = [], 0, 0
    for listener in listeners:
        for sid, received in listener.received.items():
            account, at = sent.get(sid, (-1, received))
            if account != listener.account:
                misdelivered += 1
            else:
                latencies.append(received - at)
        lost += _missing(listener, sent)
    latencies.sort()
    return {
        "events_stored": len(sent),
        "elapsed": elapsed,
        "failed_posts": dict(failed),
        "deliveries": len(latencies),
        "lost": lost,
        "misdelivered": misdelivered,
        "duplicates": sum(listener.duplicates for listener in listeners),
        "p50_ms": 1000 * statistics.median(latencies) if latencies else None,
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))] if latencies else None,
        "max_ms": 1000 * latencies[-1] if latencies else None,
    }


def _missing(listener: Listener, sent: dict[str, tuple[int, float]]) -> int:
    return sum(
        1
        for sid, (account, _) in sent.items()
        if account == listener.account and sid not in listener.received
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default="sqlite+aiosqlite:///var/bench/live.db")
    parser.add_argument("--servers", type=int, default=1, help="server processes (PostgreSQL: 2)")
    parser.add_argument("--subscribers", type=int, default=50)
    parser.add_argument("--accounts", type=int, default=4)
    parser.add_argument("--rate", type=float, default=200.0, help="webhook events per second")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--drain", type=float, default=15.0, help="seconds to wait for stragglers")
    args = parser.parse_args()
    settings = Settings(database_url=args.database_url)
    if settings.is_sqlite:
        Path(settings.database_url.split("///", 1)[1]).unlink(missing_ok=True)
    upgrade(settings)
    accounts = seed(settings, args.accounts)
    env = {"max_subscriptions_per_key": str(args.subscribers)}
    with ExitStack() as stack:
        bases = [
            stack.enter_context(served(settings.database_url, **env)) for _ in range(args.servers)
        ]
        result = asyncio.run(drive(args, bases, accounts))
    database = "SQLite" if settings.is_sqlite else "PostgreSQL"
    print(f"{database}, {args.servers} server(s), {args.subscribers} subscribers over {args.accounts} accounts, "
          f"{args.rate:g} events/s for {args.seconds:g} s")  # fmt: skip
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
