"""CPU seconds the API server process spends per request under load: `switchboard serve` (one
worker) on a free port, N requests of one reference query at a concurrency, and the process's
user+system time (/proc) before and after. The database's own work is in its own processes.

    .venv/bin/python scripts/server_cpu.py --database-url URL [--query Q1] [--requests 2000]
        [--concurrency 8] [--general]
"""

import argparse
import asyncio
import os
import sys
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchkit.driver import api_key, server
from benchkit.queries import DEFAULT_QUERIES, bench_queries

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / TICKS


def server_pid(port: str) -> int:
    """The process listening on `port` (the uvicorn worker)."""
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        parts = line.split()
        if int(parts[1].split(":")[1], 16) == int(port) and parts[3] == "0A":
            inode = parts[9]
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                if os.readlink(f"/proc/{pid}/fd/{fd}") == f"socket:[{inode}]":
                    return int(pid)
        except OSError:
            continue
    raise RuntimeError("no server process found")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--query", default="Q1")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--general", action="store_true", help="COMPILED_READS=false")
    parser.add_argument("--py-spy", metavar="FILE", help="also record the server with py-spy")
    args = parser.parse_args()
    headers = await api_key(args.database_url)
    query = next(
        q for q in bench_queries(DEFAULT_QUERIES, deep_cursor=None, ids=[]) if q.name == args.query
    )
    env = {**os.environ, "COMPILED_READS": "false" if args.general else "true"}
    async with server(args.database_url, workers=1, env=env) as base:
        pid = server_pid(base.rsplit(":", 1)[1])
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as client:
            for _ in range(50):
                response = await client.post("/graphql", json=query.body())
            path = response.headers.get("x-read-path")
            remaining = args.requests

            async def worker() -> None:
                nonlocal remaining
                while remaining > 0:
                    remaining -= 1
                    await client.post("/graphql", json=query.body())

            spy = None
            if args.py_spy:
                spy = await asyncio.create_subprocess_exec(
                    "py-spy", "record", "--pid", str(pid), "--format", "raw", "-o", args.py_spy,
                    "--nonblocking", stdout=asyncio.subprocess.DEVNULL,
                    stderr=asyncio.subprocess.DEVNULL,
                )
                await asyncio.sleep(1)
            before = cpu_seconds(pid)
            await asyncio.gather(*(worker() for _ in range(args.concurrency)))
            used = cpu_seconds(pid) - before
            if spy is not None:
                spy.send_signal(2)
                await spy.wait()
    per = used / args.requests * 1000
    print(f"{args.query} ({path}): {per:.2f} ms server CPU per request, concurrency {args.concurrency}")


asyncio.run(main())
