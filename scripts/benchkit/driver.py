"""Serving and driving: the app and the HTTP floor under uvicorn in subprocesses, concurrent
timing, SQL statement counts and a profile of one query in-process."""

import asyncio
import cProfile
import os
import pstats
import socket
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any

import aiosqlite
import asyncpg
import httpx
import orjson
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.core.db import create_engine
from app.core.settings import Settings
from app.web.app import create_app

from .queries import REPO, BenchQuery


@dataclass
class Timing:
    """Latencies of one timed run (seconds) and its wall time."""

    latencies: list[float]
    wall: float

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.wall if self.wall else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

    @property
    def p50(self) -> float:
        return self.percentile(50)

    @property
    def p99(self) -> float:
        return self.percentile(99)


async def measure(
    fn: Callable[[], Awaitable[Any]], *, concurrency: int, warmup: int, requests: int, seconds: float
) -> Timing:
    """Run `fn` from `concurrency` tasks: `warmup` calls untimed, then `requests` calls or
    `seconds`, whichever ends first."""
    for start in range(0, warmup, concurrency):
        await asyncio.gather(*(fn() for _ in range(min(concurrency, warmup - start))))
    latencies: list[float] = []
    started = time.perf_counter()
    deadline = started + seconds

    async def worker() -> None:
        while len(latencies) < requests and time.perf_counter() < deadline:
            t0 = time.perf_counter()
            await fn()
            latencies.append(time.perf_counter() - t0)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return Timing(latencies, time.perf_counter() - started)


async def measure_interleaved(
    runners: dict[Any, Callable[[], Awaitable[Any]]],
    *, concurrency: int, warmup: int, requests: int, seconds: float, rounds: int,
) -> dict[Any, Timing]:
    """Time several runners in turns: each round gives every runner 1/rounds of its
    requests and seconds, so a busy spell on the machine is shared among them."""
    timings = {key: Timing([], 0.0) for key in runners}
    for fn in runners.values():
        await measure(fn, concurrency=concurrency, warmup=warmup, requests=0, seconds=0)
    for _ in range(rounds):
        for key, fn in runners.items():
            part = await measure(fn, concurrency=concurrency, warmup=0,
                                 requests=max(concurrency, requests // rounds), seconds=seconds / rounds)
            timings[key].latencies += part.latencies
            timings[key].wall += part.wall
    return timings


async def api_key(url: str) -> dict[str, str]:
    """Headers for the bench account: a fresh API key labelled "bench" (none for commits that
    had no API keys; app/keys.py before app/core/api_keys.py)."""
    try:
        from app.core import api_keys as keys
    except ImportError:
        try:
            from app import keys  # type: ignore[no-redef]
        except ImportError:
            return {}
    engine = create_engine(Settings(database_url=url))
    try:
        async with engine.begin() as conn:
            account = await keys.account_id_for(conn, name="demo", create=False)
            assert account is not None, "the bench database has no demo account"
            await keys.revoke_labelled(conn, account_id=account, label="bench")
            new = await keys.create_key(conn, account_id=account, label="bench")
    finally:
        await engine.dispose()
    return {"Authorization": f"Bearer {new.token}"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def _serving(
    name: str, command: list[str], port: int, env: dict[str, str] | None = None
) -> AsyncIterator[str]:
    """Runs `command`, a server on `port`, from the repository; yields its base URL once
    /healthz answers, and stops it after."""
    proc = await asyncio.create_subprocess_exec(*command, cwd=REPO, env=env, stdout=asyncio.subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base) as client:
            for _ in range(300):
                if proc.returncode is not None:
                    raise RuntimeError(f"{name} exited with {proc.returncode}")
                try:
                    if (await client.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
            else:
                raise RuntimeError(f"{name} did not answer /healthz within 30 s")
        yield base
    finally:
        if proc.returncode is None:
            proc.terminate()
            try:
                await asyncio.wait_for(proc.wait(), timeout=15)
            except TimeoutError:
                proc.kill()
                await proc.wait()


def server(url: str, *, workers: int, env: dict[str, str] | None = None) -> AbstractAsyncContextManager[str]:
    """`switchboard serve` on a free loopback port; yields its base URL."""
    port = _free_port()
    command = [sys.executable, "-m", "app.cli", "--database-url", url, "serve",
               "--port", str(port), "--log-level", "warning"]
    if workers > 1:
        command += ["--workers", str(workers)]
    return _serving("server", command, port, env)


def floor_server(url: str) -> AbstractAsyncContextManager[str]:
    """The HTTP floor (benchkit.floor_http) on a free loopback port, one worker; yields its base URL."""
    port = _free_port()
    command = [sys.executable, "-m", "benchkit.floor_http", "--database-url", url, "--port", str(port)]
    path = os.pathsep.join(p for p in (str(REPO / "scripts"), os.environ.get("PYTHONPATH")) if p)
    return _serving("HTTP floor", command, port, {**os.environ, "PYTHONPATH": path})


def poster(client: httpx.AsyncClient, query: BenchQuery) -> Callable[[], Awaitable[bytes]]:
    """A call that posts `query` and returns the body, failing on a non-200 answer."""
    body = orjson.dumps(query.body())
    headers = {"content-type": "application/json"}

    async def post() -> bytes:
        response = await client.post("/graphql", content=body, headers=headers)
        if response.status_code != 200:
            raise RuntimeError(f"{query.name}: HTTP {response.status_code}: {response.text[:300]}")
        return response.content

    return post


# Methods that send SQL on a driver connection itself, past SQLAlchemy (the compiled read path
# does). SQLAlchemy's own statements go through aiosqlite cursors and asyncpg prepared
# statements, so they are not seen twice; its BEGIN, ROLLBACK and pings are housekeeping.
DRIVER_METHODS = [
    (aiosqlite.Connection, ("execute", "execute_fetchall", "executemany")),
    (asyncpg.Connection, ("execute", "executemany", "fetch", "fetchrow", "fetchval")),
]
HOUSEKEEPING = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "PRAGMA", ";")


@contextmanager
def counting_statements() -> Iterator[list[str]]:
    """Collects every SQL statement this process sends while the block runs, through
    SQLAlchemy or on a driver connection directly."""
    seen: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    def counted(method: Callable[..., Any]) -> Callable[..., Any]:
        def send(self: Any, statement: str, *args: Any, **kwargs: Any) -> Any:
            if not statement.lstrip().upper().startswith(HOUSEKEEPING):
                seen.append(statement)
            return method(self, statement, *args, **kwargs)

        return send

    originals = [(cls, name, getattr(cls, name)) for cls, names in DRIVER_METHODS for name in names]
    for cls, name, method in originals:
        setattr(cls, name, counted(method))
    event.listen(Engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", before)
        for cls, name, method in originals:
            setattr(cls, name, method)


@asynccontextmanager
async def in_process(url: str, headers: dict[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    """A client on the app in this process (lifespan run by hand; ASGITransport does not)."""
    app = create_app(Settings(database_url=url))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench", headers=headers) as client:
            yield client


async def statement_counts(client: httpx.AsyncClient, queries: list[BenchQuery]) -> dict[str, int]:
    """SQL statements one request of each query runs (after a warm-up request)."""
    counts = {}
    for query in queries:
        post = poster(client, query)
        await post()
        with counting_statements() as seen:
            await post()
        counts[query.name] = len(seen)
    return counts


PACKAGES = [
    ("GraphQL execution (graphql-core, strawberry)", ("/graphql/", "/strawberry/")),
    ("app resolvers, loaders, filters", ("/app/",)),
    ("SQL: SQLAlchemy, driver (asyncpg; aiosqlite thread hand-off)",
     ("/sqlalchemy/", "/aiosqlite/", "/asyncpg/", "sqlite3", "greenlet", "SimpleQueue", "_thread.lock")),
    ("waiting in epoll (database threads, sockets)", ("select.epoll",)),
    ("asyncio scheduling (a task per async field)", ("/asyncio/", "_contextvars")),
    ("aiodataloader", ("/aiodataloader/",)),
    ("JSON (orjson/json)", ("orjson", "/json/")),
    ("HTTP (starlette, httpx, h11)", ("/starlette/", "/httpx/", "/httpcore/", "/h11/", "/anyio/")),
]


def _category(filename: str, function: str) -> str:
    where = f"{filename}:{function}"
    for label, needles in PACKAGES:
        if any(n in where for n in needles):
            return label
    return "other (builtins: isinstance, base64, ...)"


async def profile(client: httpx.AsyncClient, query: BenchQuery, *, requests: int) -> list[tuple[str, float]]:
    """Share of own time (cProfile, wall clock) per package while running `query` in-process `requests` times."""
    post = poster(client, query)
    await post()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        await post()
    profiler.disable()
    stats = pstats.Stats(profiler)
    shares: dict[str, float] = {}
    for (filename, _line, function), row in stats.stats.items():  # type: ignore[attr-defined]
        category = _category(filename, function)
        shares[category] = shares.get(category, 0.0) + row[2]
    total = sum(shares.values()) or 1.0
    return sorted(((k, v / total) for k, v in shares.items()), key=lambda kv: -kv[1])
