"""Benchmark the reference queries over HTTP against their floor (hand-written SQL + orjson).

    .venv/bin/python scripts/bench.py                       # SQLite, 1,000,000 calls
    .venv/bin/python scripts/bench.py --calls 100000 \\
        --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/sb_bench
    .venv/bin/python scripts/bench.py --scales 100000,1000000   # Q1-Q3 latency, 1M vs 100k

Generates (or reuses) a seeded dataset, serves the real app with `switchboard serve` on
loopback, drives each query with concurrent httpx clients, and times the floor the same way
(same process, same concurrency) after checking that it returns the same JSON."""

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

from app.db import create_engine
from app.settings import Settings


@dataclass
class Result:
    query: BenchQuery
    http: Timing
    floor: Timing
    statements: int
    same_json: bool

    @property
    def ratio(self) -> float:
        return self.http.p50 / self.floor.p50

    @property
    def throughput_ratio(self) -> float:
        return self.floor.rps / self.http.rps


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
    engine = create_engine(Settings(database_url=url))
    stack.push_async_callback(engine.dispose)
    floor = Floor(engine, account_id=1, company_id=BENCH_COMPANY)
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


async def run(args: argparse.Namespace, scales: list[Scale], only: set[str] | None) -> dict[Scale, list[Result]]:
    """Serve every scale at once and time each query's HTTP round trip and floor in
    interleaved rounds, so drift on a shared machine hits all of them alike."""
    timing = {"concurrency": args.concurrency, "warmup": args.warmup,
              "requests": args.requests, "seconds": args.seconds, "rounds": args.rounds}
    # Drop idle connections before uvicorn does (its keep-alive timeout is 5 s).
    limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency,
                          keepalive_expiry=2.0)
    results: dict[Scale, list[Result]] = {scale: [] for scale in scales}
    async with AsyncExitStack() as stack:
        targets = [await prepare_target(args, scale, only, stack) for scale in scales]
        clients = []
        for target in targets:
            base = await stack.enter_async_context(server(target.url, workers=args.workers))
            clients.append(await stack.enter_async_context(
                httpx.AsyncClient(base_url=base, headers=target.headers, limits=limits, timeout=60)))
        for index, name in enumerate(q.name for q in targets[0].queries):
            runners: dict[tuple[int, str], Callable[[], Awaitable[bytes]]] = {}
            same: dict[int, bool] = {}
            for t, (target, http) in enumerate(zip(targets, clients, strict=True)):
                query = target.queries[index]
                runners[t, "http"], runners[t, "floor"] = poster(http, query), target.floor.runner(query)
                answer = orjson.loads(await runners[t, "http"]())
                difference = first_difference(answer, orjson.loads(await runners[t, "floor"]()))
                if difference:
                    print(f"{name} at {target.scale.calls:,}: floor JSON differs from the API's at {difference}")
                same[t] = not difference
            timings = await measure_interleaved(runners, **timing)
            for t, target in enumerate(targets):
                query = target.queries[index]
                result = Result(query, timings[t, "http"], timings[t, "floor"], target.counts[name], same[t])
                results[target.scale].append(result)
                print(f"  {name} at {target.scale.calls:,}: http p50 {result.http.p50:.1f} ms, "
                      f"floor p50 {result.floor.p50:.2f} ms")
    return results


def table(results: list[Result]) -> str:
    lines = [
        "| query | rps | p50 ms | p99 ms | statements | floor rps | floor p50 ms | p50 ratio | rps ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        check = "" if r.same_json else " (JSON differs!)"
        lines.append(
            f"| {r.query.name} {r.query.title}{check} | {r.http.rps:.0f} | {r.http.p50:.1f} | "
            f"{r.http.p99:.1f} | {r.statements} | {r.floor.rps:.0f} | {r.floor.p50:.2f} | "
            f"{r.ratio:.1f}x | {r.throughput_ratio:.1f}x |"
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
            a, b = by_name[small][name].http.p50, by_name[large][name].http.p50
            lines.append(f"| {name} {by_name[small][name].query.title} | {a:.1f} | {b:.1f} | {b / a:.2f}x |")
    return "\n".join(lines)


def revision() -> str:
    """The commit measured, marked dirty when the working tree has changes."""
    def git(*cmd: str) -> str:
        return subprocess.run(["git", *cmd], capture_output=True, text=True, cwd=REPO).stdout.strip()

    return git("rev-parse", "--short", "HEAD") + (" (dirty)" if git("status", "--porcelain", "app") else "")


def header(args: argparse.Namespace, scale: Scale) -> str:
    kind = "SQLite" if Settings(database_url=dataset_url(args.database_url, scale)).is_sqlite else "PostgreSQL"
    return (
        f"{kind}, {scale.calls:,} calls, {scale.leads:,} leads, {scale.numbers:,} numbers, "
        f"{scale.companies} companies; {args.workers} worker(s), concurrency {args.concurrency} "
        f"(HTTP and floor alike), {args.requests} requests or {args.seconds:g} s per query "
        f"after {args.warmup} warm-up; {revision()}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
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
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES, help="reference documents file")
    parser.add_argument("--only", help="comma-separated query names (Q1,Q1-nc,Q2,...)")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per query (at most)")
    parser.add_argument("--seconds", type=float, default=10.0, help="time limit per query")
    parser.add_argument("--rounds", type=int, default=5,
                        help="interleaved rounds: HTTP and floor, every scale, take turns")
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
    report = [f"{header(args, scale)}\n\n{table(results)}\n" for scale, results in runs.items()]
    if len(sizes) > 1:
        small, large = min(runs, key=lambda s: s.calls), max(runs, key=lambda s: s.calls)
        report.append(f"HTTP p50, {large.calls:,} vs {small.calls:,} calls:\n\n"
                      f"{scale_table(small, large, runs)}\n")
    text = "\n".join(report)
    print(f"\n{text}")
    if args.out:
        with args.out.open("a") as out:
            out.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
