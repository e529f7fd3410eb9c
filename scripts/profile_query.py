"""Python CPU per request for one reference query, in process (no HTTP socket): the ASGI app
driven by httpx, time.process_time over N requests, and a cProfile of them.

    .venv/bin/python scripts/profile_query.py --database-url sqlite+aiosqlite:///var/bench/...db \
        [--compiled | --general] [--query Q1] [--requests 300]
"""

import argparse
import asyncio
import cProfile
import pstats
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchkit.driver import api_key
from benchkit.queries import DEFAULT_QUERIES, bench_queries

from app.core.settings import Settings
from app.web.app import create_app


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--query", default="Q1")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--general", action="store_true", help="without the compiler")
    parser.add_argument("--top", type=int, default=0, help="print the N costliest functions")
    args = parser.parse_args()
    headers = await api_key(args.database_url)
    settings = Settings(database_url=args.database_url, compiled_reads=not args.general)
    query = next(q for q in bench_queries(DEFAULT_QUERIES, deep_cursor=None, ids=[]) if q.name == args.query)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench", headers=headers) as client:
            for _ in range(20):
                response = await client.post("/graphql", json=query.body())
            path = response.headers.get("x-read-path")
            start = time.process_time()
            for _ in range(args.requests):
                await client.post("/graphql", json=query.body())
            cpu = (time.process_time() - start) / args.requests * 1000
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.requests if args.top else 0):
                await client.post("/graphql", json=query.body())
            profiler.disable()
    # process_time includes the database's work on SQLite (same process) and httpx's client side.
    print(f"{args.query} ({path}): {cpu:.2f} ms CPU per request in this process")
    if args.top:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)


asyncio.run(main())
