"""Bounded load run on loopback: two accounts, mixed valid and hostile queries, no 5xx, no leaks.

    .venv/bin/python scripts/load_test.py [--seconds 90] [--concurrency 16] [--database-url URL]

Seeds a fresh database (SQLite in a temp dir unless --database-url) with two accounts whose rows
carry distinctive names (ALPHA..., ZENITH...), mints a key for each, starts `switchboard serve`
on 127.0.0.1, and drives it for at most --seconds (capped at 120) and --max-requests. Every
response is checked: no 5xx, no body for one account containing the other's marker, and each
hostile request refused with its expected status and code. Exits non-zero on any violation.
Meanwhile a separate client asks GET /healthz every 50 ms and the run reports its latency
(p50/p99/max): the one server worker must keep answering it under the hostile requests
(issue 14: introspection floods, aliased searches, thousands of phone numbers, bad inputs)."""

import argparse
import asyncio
import base64
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.api_keys import account_id_for, create_key
from app.core.db import create_engine
from app.core.ids import encode_global_id
from app.core.migrate import upgrade
from app.core.settings import Settings
from app.models import Call, Caller, Company, Number

MARKERS = {"alpha": "ALPHA", "zenith": "ZENITH"}
T0 = datetime(2026, 1, 1, tzinfo=UTC)


async def _insert(conn: AsyncConnection, model: Any, **values: Any) -> int:
    result = await conn.execute(
        insert(model.__table__).values(**values).returning(model.__table__.c.id)
    )
    return int(result.scalar_one())


async def seed_account(conn: AsyncConnection, name: str, calls: int) -> dict[str, Any]:
    tag = MARKERS[name]
    account = await account_id_for(conn, name=name, create=True)
    assert account is not None
    companies, numbers, callers, call_ids = [], [], [], []
    for c in range(5):
        companies.append(
            await _insert(
                conn,
                Company,
                account_id=account,
                vendor="CALLRAIL",
                external_id=f"{tag}-{c}",
                name=f"{tag} Company {c}",
                time_zone="UTC",
                default_region="US",
                created_at=T0,
            )
        )
    prefix = "+1404555" if name == "alpha" else "+1770555"
    for n in range(20):
        numbers.append(
            await _insert(
                conn,
                Number,
                account_id=account,
                company_id=companies[n % 5],
                e164=f"{prefix}{n:04d}",
                number_type="LOCAL",
                friendly_name=f"{tag} Line {n}",
                created_at=T0,
                updated_at=T0,
            )
        )
    for p in range(50):
        callers.append(
            await _insert(
                conn, Caller, account_id=account, e164=f"{prefix[:-3]}777{p:04d}", created_at=T0
            )
        )
    for i in range(calls):
        call_ids.append(
            await _insert(
                conn,
                Call,
                account_id=account,
                company_id=companies[i % 5],
                number_id=numbers[i % 20],
                caller_id=callers[i % 50],
                vendor="FONE_DYNAMICS",
                external_id=f"{tag}-call-{i}",
                started_at=T0 + timedelta(minutes=i),
                duration_seconds=i % 300,
                disposition="ANSWERED",
                notes=f"{tag} note {i}",
            )
        )
    key = await create_key(conn, account_id=account, label="load-test")
    return {
        "token": key.token,
        "company": encode_global_id("Company", companies[0]),
        "calls": [encode_global_id("Call", pk) for pk in call_ids[:100]],
        "numbers": [encode_global_id("Number", pk) for pk in numbers],
    }


async def seed(settings: Settings, calls: int) -> dict[str, dict[str, Any]]:
    engine = create_engine(settings)
    try:
        async with engine.begin() as conn:
            return {name: await seed_account(conn, name, calls) for name in MARKERS}
    finally:
        await engine.dispose()


CALL_LOG = """query($company: ID!, $first: Int) { calls(first: $first, filter: { companies: [$company] }) {
  totalCount edges { cursor node { id startedAt durationSeconds notes caller { e164 callCount }
  number { e164 friendlyName company { name } } } } } }"""
COMPANIES = (
    "{ companies { nodes { id name calls(first: 5) { totalCount nodes { externalId notes } } } } }"
)
NUMBERS = "{ numbers(first: 100) { totalCount nodes { e164 friendlyName company { name } } } }"
REFETCH = "query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Call { notes } ... on Number { friendlyName } } }"
FOREIGN_FILTER = (
    "query($c: ID!) { calls(filter: { companies: [$c] }) { totalCount nodes { notes } } }"
)
DEPTH_BOMB = "{ " + "calls { nodes { caller { " * 8 + "id" + " } } }" * 8 + " }"
ALIAS_BOMB = "{ " + " ".join(f"a{i}: calls(first: 1) {{ totalCount }}" for i in range(500)) + " }"
FRAGMENT_BOMB = "{ ...F12 } fragment F0 on Query { a: __typename } " + " ".join(
    f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, 13)
)
COST_BOMB = "{ companies(first: 250) { nodes { calls(first: 250) { nodes { id notes caller { e164 } } } } } }"
INTROSPECTION = (
    "__schema { types { name kind description fields { name description args { name "
    "description type { name kind ofType { name kind } } } type { name kind ofType { name kind "
    "ofType { name kind } } } } inputFields { name type { name kind ofType { name } } } "
    "enumValues { name description } } }"
)
INTROSPECTION_FLOOD = "{ " + " ".join(f"a{i}: {INTROSPECTION}" for i in range(30)) + " }"
SEARCH_FLOOD = (
    "{ "
    + " ".join(
        f'a{i}: calls(first: 0, filter: {{search: "zz{i}"}}) {{ totalCount }}' for i in range(29)
    )
    + " }"
)
SEARCH_FEW = '{ a: calls(first: 0, filter: {search: "zz"}) { totalCount } }'
DIALLED = (
    "query($d: [PhoneNumber!]) { calls(filter: {dialled: $d, endpoints: $d}) { nodes { id } } }"
)
CALLS_AFTER = "query($a: String) { calls(after: $a) { nodes { id } } }"
TZ = "query($z: String) { calls(filter: {startedAt: {label: TODAY, timeZone: $z}}) { nodes { id } } }"
_phones = itertools.count()


def _cursor(value: Any) -> str:
    raw = json.dumps(["Call:STARTED_AT_DESC", value, 1]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _distinct_phones(count: int) -> list[str]:
    """Numbers never sent before in this run, so the server's parse cache does not help."""
    start = next(_phones) * count
    return [f"+1404{(start + i) % 10_000_000:07d}" for i in range(count)]


def scenarios(
    me: dict[str, Any], other: dict[str, Any]
) -> list[tuple[str, dict[str, Any], int, str | None]]:
    """(kind, request, expected status, expected error code or None for clean data)."""
    auth = {"Authorization": f"Bearer {me['token']}"}

    def gql(
        query: str, variables: dict[str, Any] | None = None, headers: dict[str, str] = auth
    ) -> dict[str, Any]:
        return {
            "method": "POST",
            "json": {"query": query, "variables": variables or {}},
            "headers": headers,
        }

    return [
        ("call_log", gql(CALL_LOG, {"company": me["company"], "first": 50}), 200, None),
        ("call_log_250", gql(CALL_LOG, {"company": me["company"], "first": 250}), 200, None),
        ("companies_nested", gql(COMPANIES), 200, None),
        ("numbers", gql(NUMBERS), 200, None),
        ("refetch_own", gql(REFETCH, {"ids": me["calls"][:50] + me["numbers"]}), 200, None),
        (
            "refetch_foreign",
            gql(REFETCH, {"ids": other["calls"][:50] + other["numbers"]}),
            200,
            None,
        ),
        ("filter_foreign", gql(FOREIGN_FILTER, {"c": other["company"]}), 200, None),
        ("depth_bomb", gql(DEPTH_BOMB), 200, "QUERY_TOO_COMPLEX"),
        ("alias_bomb", gql(ALIAS_BOMB), 200, "QUERY_TOO_COMPLEX"),
        ("fragment_bomb", gql(FRAGMENT_BOMB), 200, "QUERY_TOO_COMPLEX"),
        ("cost_bomb", gql(COST_BOMB), 200, "QUERY_TOO_COMPLEX"),
        (
            "huge_first",
            gql("{ calls(first: 100000000) { nodes { id } } }"),
            200,
            "QUERY_TOO_COMPLEX",
        ),
        (
            "one_mb_body",
            gql("{ calls { nodes { id } } }" + " " * 1_100_000),
            413,
            "QUERY_TOO_COMPLEX",
        ),
        ("no_key", gql(COMPANIES, headers={}), 401, "UNAUTHENTICATED"),
        (
            "bad_key",
            gql(COMPANIES, headers={"X-API-Key": me["token"][:-4] + "AAAA"}),
            401,
            "UNAUTHENTICATED",
        ),
        (
            "mutation_get",
            {"method": "GET", "params": {"query": "mutation { __typename }"}, "headers": auth},
            400,
            "BAD_USER_INPUT",
        ),
        # Issue 14: what used to be a 500, or to stall every other request.
        ("introspection_flood", gql(INTROSPECTION_FLOOD), 200, "QUERY_TOO_COMPLEX"),
        ("search_flood", gql(SEARCH_FLOOD), 200, "QUERY_TOO_COMPLEX"),
        ("search_few", gql(SEARCH_FEW), 200, None),
        (
            "phones_60000",
            gql(DIALLED, {"d": [f"+1770{i:07d}" for i in range(60_000)]}),
            200,
            "BAD_USER_INPUT",
        ),
        ("phones_500_distinct", lambda: gql(DIALLED, {"d": _distinct_phones(500)}), 200, None),
        (
            "phones_1000x2",
            lambda: gql(DIALLED, {"d": _distinct_phones(1000)}),
            200,
            "QUERY_TOO_COMPLEX",
        ),
        (
            "nul_search",
            gql('{ calls(filter: {search: "a\\u0000"}) { nodes { id } } }'),
            200,
            "BAD_USER_INPUT",
        ),
        ("cursor_nan", gql(CALLS_AFTER, {"a": _cursor({"d": "NaN"})}), 200, "BAD_USER_INPUT"),
        ("cursor_string_date", gql(CALLS_AFTER, {"a": _cursor("x")}), 200, "BAD_USER_INPUT"),
        (
            "id_beyond_int64",
            gql("query($i: ID!) { node(id: $i) { id } }", {"i": encode_global_id("Call", 2**64)}),
            200,
            "BAD_USER_INPUT",
        ),
        ("tz_300", gql(TZ, {"z": "A" * 300}), 200, "BAD_USER_INPUT"),
        (
            "date_overflow",
            gql(
                '{ calls(filter: {startedAt: {from: "0001-01-01T00:00:00+05:00"}}) '
                "{ nodes { id } } }"
            ),
            200,
            "BAD_USER_INPUT",
        ),
        (
            "two_operations",
            gql("query A { __typename } query B { __typename }"),
            200,
            "BAD_USER_INPUT",
        ),
        (
            "body_null",
            {
                "method": "POST",
                "content": b"null",
                "headers": {**auth, "Content-Type": "application/json"},
            },
            400,
            "BAD_USER_INPUT",
        ),
    ]


class Tally:
    def __init__(self) -> None:
        self.status: Counter[int] = Counter()
        self.kinds: Counter[str] = Counter()
        self.violations: list[str] = []
        self.latencies: list[float] = []
        self.health: list[float] = []
        self.by_kind: dict[str, list[float]] = {}


async def one(client: httpx.AsyncClient, tally: Tally, account: str, scenario: Any) -> None:
    kind, request, status, code = scenario
    if callable(request):
        request = request()
    started = time.perf_counter()
    response = await client.request(url="/graphql", **request)
    tally.latencies.append(time.perf_counter() - started)
    tally.by_kind.setdefault(kind, []).append(tally.latencies[-1])
    tally.status[response.status_code] += 1
    tally.kinds[kind] += 1
    foreign = next(m for name, m in MARKERS.items() if name != account)
    problems = []
    if response.status_code >= 500:
        problems.append("5xx")
    if foreign in response.text:
        problems.append(f"LEAK of {foreign}")
    if response.status_code != status:
        problems.append(f"status {response.status_code} != {status}")
    body = response.json()
    codes = {e.get("extensions", {}).get("code") for e in body.get("errors", [])}
    if code is None and codes:
        problems.append(f"unexpected errors {codes}")
    if code is not None and code not in codes:
        problems.append(f"expected {code}, got {codes}")
    if problems:
        tally.violations.append(f"{account}/{kind}: {', '.join(problems)}")


async def drive(
    base_url: str,
    keys: dict[str, dict[str, Any]],
    *,
    seconds: float,
    concurrency: int,
    max_requests: int,
) -> tuple[Tally, float]:
    plans = {name: scenarios(keys[name], keys[next(n for n in keys if n != name)]) for name in keys}
    work = [(name, s) for name in plans for s in plans[name]]
    # Weighted towards valid traffic: each valid scenario three times per hostile one.
    weighted = [w for w in work for _ in range(3 if w[1][3] is None else 1)]
    tally, counter = Tally(), itertools.count()
    deadline = time.monotonic() + seconds
    rng = random.Random(7)

    async def worker(client: httpx.AsyncClient) -> None:
        while time.monotonic() < deadline and next(counter) < max_requests:
            account, scenario = rng.choice(weighted)
            await one(client, tally, account, scenario)

    async def health(client: httpx.AsyncClient) -> None:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            response = await client.get("/healthz")
            tally.health.append(time.perf_counter() - started)
            if response.status_code != 200:
                tally.violations.append(f"healthz {response.status_code}")
            await asyncio.sleep(0.05)

    started = time.monotonic()
    limits = httpx.Limits(max_connections=concurrency)
    async with (
        httpx.AsyncClient(base_url=base_url, timeout=30, limits=limits) as client,
        httpx.AsyncClient(base_url=base_url, timeout=30) as prober,
    ):
        await asyncio.gather(health(prober), *(worker(client) for _ in range(concurrency)))
    return tally, time.monotonic() - started


def wait_ready(base_url: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(100):
        if process.poll() is not None:
            raise SystemExit("server exited early")
        try:
            if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit("server did not become ready")


def report(tally: Tally, elapsed: float) -> None:
    total = sum(tally.status.values())
    lat = sorted(tally.latencies)
    print(f"requests {total} in {elapsed:.1f} s = {total / elapsed:.0f} req/s")
    print("status   " + ", ".join(f"{k}: {v}" for k, v in sorted(tally.status.items())))
    print(
        f"latency  p50 {statistics.median(lat) * 1000:.1f} ms, p95 {lat[int(len(lat) * 0.95)] * 1000:.1f} ms, "
        f"max {lat[-1] * 1000:.1f} ms"
    )
    print("kinds    " + ", ".join(f"{k}: {v}" for k, v in sorted(tally.kinds.items())))
    health = sorted(tally.health)
    if health:
        print(
            f"healthz  {len(health)} probes: p50 {statistics.median(health) * 1000:.1f} ms, "
            f"p99 {health[int(len(health) * 0.99)] * 1000:.1f} ms, max {health[-1] * 1000:.1f} ms"
        )
    slowest = sorted(tally.by_kind.items(), key=lambda item: -max(item[1]))[:8]
    print(
        "slowest  "
        + ", ".join(
            f"{k} p50 {statistics.median(v) * 1000:.0f} max {max(v) * 1000:.0f} ms"
            for k, v in slowest
        )
    )
    leaks = sum("LEAK" in v for v in tally.violations)
    fives = sum(s for code, s in tally.status.items() if code >= 500)
    print(f"5xx {fives}; cross-account leaks {leaks}; violations {len(tally.violations)}")
    for violation in Counter(tally.violations).most_common(10):
        print("  ", violation)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=90)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--calls", type=int, default=3000, help="calls per account")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database-url")
    parser.add_argument("--server-log", type=Path, help="keep the server's output in this file")
    args = parser.parse_args()
    seconds = min(args.seconds, 120)  # bounded by design: this is a check, not a soak
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'load.db'}"
        settings = Settings(database_url=url)
        upgrade(settings)
        keys = asyncio.run(seed(settings, args.calls))
        env = {**os.environ, "DATABASE_URL": url}
        command = [
            str(Path(sys.executable).parent / "switchboard"),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(args.port),
            "--log-level",
            "warning",
        ]
        # The server logs every refused document; this run checks responses, not logs (unless
        # --server-log keeps them, e.g. with PYTHONASYNCIODEBUG=1 to see slow callbacks).
        log = open(args.server_log, "wb") if args.server_log else subprocess.DEVNULL  # noqa: SIM115
        process = subprocess.Popen(command, env=env, stdout=log, stderr=log)
        base_url = f"http://127.0.0.1:{args.port}"
        try:
            wait_ready(base_url, process)
            tally, elapsed = asyncio.run(
                drive(
                    base_url,
                    keys,
                    seconds=seconds,
                    concurrency=args.concurrency,
                    max_requests=args.max_requests,
                )
            )
        finally:
            process.terminate()
            process.wait(timeout=10)
    report(tally, elapsed)
    return 1 if tally.violations else 0


if __name__ == "__main__":
    sys.exit(main())
