"""Benchmark the reference queries over HTTP against their floors (hand-written SQL + orjson,
in this process and served over HTTP by a minimal Starlette app).

    .venv/bin/python scripts/bench.py                       # SQLite, 1,000,000 calls
    .venv/bin/python scripts/bench.py --calls 100000 \\
        --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/sb_bench
    .venv/bin/python scripts/bench.py --scales 100000,1000000   # Q1-Q3 latency, 1M vs 100k

Generates (or reuses) a seeded dataset, serves the real app with `switchboard serve` and the
HTTP floor (benchkit.floor_http) on loopback, drives each query with concurrent httpx clients,
and times the in-process floor the same way (same concurrency), after checking that both
floors return the API's bytes. Every --concurrency level (default 1 and 8) gets its own table."""

import argparse
import asyncio
import subprocess
import sys
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import orjson
from benchkit.dataset import Scale, dataset_url, prepare
from benchkit.driver import (
    Timing,
    api_key,
    floor_server,
    in_process,
    measure_interleaved,
    poster,
    profile,
    server,
    statement_counts,
)
from benchkit.floor import Floor
from benchkit.queries import (
    BENCH_COMPANY,
    DEFAULT_QUERIES,
    REPO,
    BenchQuery,
    bench_queries,
    refetch_ids,
)

from app.core.settings import Settings

MODES = ("api", "floor", "http floor")


@dataclass
class Result:
    """One query at one concurrency: the API over HTTP, the floor in-process and over HTTP."""

    query: BenchQuery
    api: Timing
    floor: Timing
    http_floor: Timing
    statements: int
    mismatch: str  # "" when both floors answered the API's bytes

    @property
    def rps_ratio(self) -> float:
        return self.api.rps / self.http_floor.rps

    @property
    def p50_ratio(self) -> float:
        return self.api.p50 / self.http_floor.p50


def first_difference(a: Any, b: Any, path: str = "") -> str | None:
    """Where two JSON values first differ, as a path with both values."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            found = first_difference(a.get(key, "<missing>"), b.get(key, "<missing>"), f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items vs {len(b)}"
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{path}[{index}]")
            if found:
                return found
        return None
    return None if a == b else f"{path}: {a!r} vs {b!r}"


@dataclass
class Target:
    """One scale's dataset, ready to be driven: its URL, key headers, floor and queries."""

    scale: Scale
    url: str
    headers: dict[str, str]
    floor: Floor
    queries: list[BenchQuery]
    counts: dict[str, int]


async def prepare_target(
    args: argparse.Namespace, scale: Scale, only: set[str] | None, stack: AsyncExitStack
) -> Target:
    """Dataset, API key, floor, Q2's cursor, statement counts (and a profile) for `scale`."""
    url = dataset_url(args.database_url, scale)
    await prepare(url, scale, regenerate=args.regenerate)
    headers = await api_key(url)
    floor = await Floor.open(url, account_id=1, company_id=BENCH_COMPANY)
    stack.push_async_callback(floor.close)
    cursor, page = await floor.deep_cursor(args.deep_page)
    if page != args.deep_page:
        print(f"note: the call log has {page} pages at {scale.calls:,} calls; Q2 reads page {page}")
    ids = refetch_ids(calls=scale.calls, numbers=scale.numbers, leads=scale.leads,
                      companies=scale.companies, callers=scale.callers)
    queries = [q for q in bench_queries(args.queries, deep_cursor=cursor, ids=ids)
               if only is None or q.name in only]
    async with in_process(url, headers) as client:
        counts = await statement_counts(client, queries)
        if args.profile:
            q1 = next(q for q in queries if q.name.startswith("Q1"))
            shares = await profile(client, q1, requests=args.profile)
            print(f"\nProfile of {q1.name} at {scale.calls:,} calls, in-process, {args.profile} "
                  "requests (cProfile own time, wall clock):")
            for label, share in shares:
                print(f"  {share:6.1%}  {label}")
    return Target(scale, url, headers, floor, queries, counts)


def difference(answers: dict[str, bytes]) -> tuple[str, str] | None:
    """How and where a floor's answer first differs from the API's (None if all are the same
    bytes): ("JSON differs!", path and values) or ("bytes differ", the bytes around it)."""
    api = answers["api"]
    for mode in MODES[1:]:
        other = answers[mode]
        if other != api:
            where = first_difference(orjson.loads(api), orjson.loads(other))
            if where:
                return "JSON differs!", f"{mode} at {where}"[:400]
            at = next((i for i, (a, b) in enumerate(zip(api, other, strict=False)) if a != b), len(api))
            around = slice(max(at - 20, 0), at + 40)
            return "bytes differ", f"{mode}, the same JSON: API {api[around]!r}, {mode} {other[around]!r}"
    return None


Results = dict[tuple[Scale, int], list[Result]]


async def run(args: argparse.Namespace, scales: list[Scale], only: set[str] | None) -> Results:
    """Serve every scale at once and time each query through the API, the floor and the HTTP
    floor in interleaved rounds at each concurrency, so drift on a shared machine hits all of
    them alike."""
    timing = {"warmup": args.warmup, "requests": args.requests, "seconds": args.seconds, "rounds": args.rounds}
    # Drop idle connections before uvicorn does (its keep-alive timeout is 5 s).
    most = max(args.concurrency)
    limits = httpx.Limits(max_connections=most, max_keepalive_connections=most, keepalive_expiry=2.0)
    results: Results = {(scale, c): [] for scale in scales for c in args.concurrency}
    async with AsyncExitStack() as stack:
        targets = [await prepare_target(args, scale, only, stack) for scale in scales]
        clients = []
        for target in targets:
            pair = []
            for serving in (server(target.url, workers=args.workers), floor_server(target.url)):
                base = await stack.enter_async_context(serving)
                pair.append(await stack.enter_async_context(
                    httpx.AsyncClient(base_url=base, headers=target.headers, limits=limits, timeout=60)))
            clients.append(pair)
        for index, name in enumerate(q.name for q in targets[0].queries):
            runners: dict[tuple[int, str], Callable[[], Awaitable[bytes]]] = {}
            mismatch: dict[int, str] = {}
            for t, (target, (api, http_floor)) in enumerate(zip(targets, clients, strict=True)):
                query = target.queries[index]
                runners[t, "api"] = poster(api, query)
                runners[t, "floor"] = target.floor.runner(query)
                runners[t, "http floor"] = poster(http_floor, query)
                differs = difference({mode: await runners[t, mode]() for mode in MODES})
                if differs:
                    print(f"{name} at {target.scale.calls:,}: {differs[0]} ({differs[1]})")
                mismatch[t] = differs[0] if differs else ""
            for concurrency in args.concurrency:
                timings = await measure_interleaved(runners, concurrency=concurrency, **timing)
                for t, target in enumerate(targets):
                    api_t, floor_t, http_t = (timings[t, mode] for mode in MODES)
                    result = Result(target.queries[index], api_t, floor_t, http_t, target.counts[name], mismatch[t])
                    results[target.scale, concurrency].append(result)
                    print(f"  {name} at {target.scale.calls:,}, concurrency {concurrency}: API p50 "
                          f"{api_t.p50:.1f} ms, floor {floor_t.p50:.2f} ms, HTTP floor {http_t.p50:.2f} ms")
    return results


def table(results: list[Result]) -> str:
    lines = [
        "| query | rps | p50 ms | p99 ms | statements | floor rps | floor p50 ms | HTTP floor rps "
        "| HTTP floor p50 ms | rps / HTTP floor | p50 / HTTP floor |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        check = f" ({r.mismatch})" if r.mismatch else ""
        lines.append(
            f"| {r.query.name} {r.query.title}{check} | {r.api.rps:.0f} | {r.api.p50:.1f} | "
            f"{r.api.p99:.1f} | {r.statements} | {r.floor.rps:.0f} | {r.floor.p50:.2f} | "
            f"{r.http_floor.rps:.0f} | {r.http_floor.p50:.2f} | {r.rps_ratio:.2f}x | {r.p50_ratio:.1f}x |"
        )
    return "\n".join(lines)


def scale_table(small: Scale, large: Scale, runs: dict[Scale, list[Result]]) -> str:
    by_name = {s: {r.query.name: r for r in rs} for s, rs in runs.items()}
    lines = [
        f"| query | p50 ms at {small.calls:,} | p50 ms at {large.calls:,} | ratio |",
        "|---|---:|---:|---:|",
    ]
    for name in by_name[small]:
        if name in by_name[large]:
            a, b = by_name[small][name].api.p50, by_name[large][name].api.p50
            lines.append(f"| {name} {by_name[small][name].query.title} | {a:.1f} | {b:.1f} | {b / a:.2f}x |")
    return "\n".join(lines)


def revision() -> str:
    """The commit measured, marked dirty when the working tree has changes."""
    def git(*cmd: str) -> str:
        return subprocess.run(["git", *cmd], capture_output=True, text=True, cwd=REPO).stdout.strip()

    return git("rev-parse", "--short", "HEAD") + (" (dirty)" if git("status", "--porcelain", "app") else "")


def header(args: argparse.Namespace, scale: Scale, concurrency: int) -> str:
    kind = "SQLite" if Settings(database_url=dataset_url(args.database_url, scale)).is_sqlite else "PostgreSQL"
    return (
        f"{kind}, {scale.calls:,} calls, {scale.leads:,} leads, {scale.numbers:,} numbers, "
        f"{scale.companies} companies; API {args.workers} worker(s), HTTP floor 1; concurrency "
        f"{concurrency} (API and floors alike), {args.requests} requests or {args.seconds:g} s per "
        f"query after {args.warmup} warm-up, {args.rounds} rounds; {revision()}, "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="SQLite or PostgreSQL URL; the scale is appended to "
                        "the file or database name (default: a SQLite file under var/bench/)")
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--numbers", type=int, default=5_000)
    parser.add_argument("--companies", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scales", help="comma-separated call counts: Q1-Q3 latency ratio between them")
    parser.add_argument("--regenerate", action="store_true", help="regenerate a cached dataset")
    parser.add_argument(
        "--queries", type=Path, nargs="+", default=list(DEFAULT_QUERIES), help="reference documents files"
    )
    parser.add_argument("--only", help="comma-separated query names (Q1,Q1-nc,Q2,...)")
    parser.add_argument("--concurrency", type=lambda s: [int(c) for c in s.split(",")], default="1,8",
                        help="comma-separated client counts, each measured on its own (default 1,8)")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per query (at most)")
    parser.add_argument("--seconds", type=float, default=10.0, help="time limit per query")
    parser.add_argument("--rounds", type=int, default=5,
                        help="interleaved rounds: API, floors and every scale take turns")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--deep-page", type=int, default=200, help="the page Q2 reads")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="profile N in-process requests of Q1 and print where CPU time goes")
    parser.add_argument("--out", type=Path, help="append the markdown results to this file")
    return parser.parse_args(argv)


async def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    base = Scale(calls=args.calls, leads=args.leads, numbers=args.numbers,
                 companies=args.companies, seed=args.seed)
    only = set(args.only.split(",")) if args.only else None
    sizes = [int(s) for s in args.scales.split(",")] if args.scales else [args.calls]
    runs = await run(args, [replace(base, calls=calls) for calls in sizes], only)
    report = [f"{header(args, scale, c)}\n\n{table(results)}\n" for (scale, c), results in runs.items()]
    if len(sizes) > 1:
        for concurrency in args.concurrency:
            at = {scale: results for (scale, c), results in runs.items() if c == concurrency}
            small, large = min(at, key=lambda s: s.calls), max(at, key=lambda s: s.calls)
            report.append(f"API p50, {large.calls:,} vs {small.calls:,} calls, concurrency {concurrency}:\n\n"
                          f"{scale_table(small, large, at)}\n")
    text = "\n".join(report)
    print(f"\n{text}")
    if args.out:
        with args.out.open("a") as out:
            out.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
