"""scripts/bench.py's floors build exactly the API's JSON bytes for Q1-Q8 and QC (on a tiny dataset):
the floor's handlers in this process and served by the HTTP floor's app."""

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from benchkit.dataset import Scale, load
from benchkit.driver import api_key, in_process, poster
from benchkit.floor import Floor
from benchkit.floor_http import create_floor_app
from benchkit.queries import (
    BENCH_COMPANY,
    DEFAULT_QUERIES,
    BenchQuery,
    bench_queries,
    refetch_ids,
)

from app.core.db import create_engine
from app.core.ids import encode_global_id
from app.core.settings import Settings

TINY = Scale(calls=2_000, leads=300, numbers=200, companies=4)


@asynccontextmanager
async def http_floor(url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client on the HTTP floor's app in this process (lifespan run by hand, as in_process)."""
    app = create_floor_app(url)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://floor") as client:
            yield client


async def test_floor_bytes_equal_api_bytes(settings: Settings) -> None:
    engine = create_engine(settings)
    try:
        await load(engine, TINY, bulk=False)
    finally:
        await engine.dispose()
    headers = await api_key(settings.database_url)
    floor = await Floor.open(settings.database_url, account_id=1, company_id=BENCH_COMPANY)
    try:
        cursor, page = await floor.deep_cursor(5)
        assert page == 5
        ids = refetch_ids(calls=TINY.calls, numbers=TINY.numbers, leads=TINY.leads,
                          companies=TINY.companies, callers=TINY.callers)
        queries = bench_queries(DEFAULT_QUERIES, deep_cursor=cursor, ids=ids)
        assert {"Q7", "Q8", "QC"} <= {q.name for q in queries}
        async with in_process(settings.database_url, headers) as client, \
                http_floor(settings.database_url) as floor_client:
            # The computed cursor is where walking four pages through the API ends.
            walked = None
            company = encode_global_id("Company", BENCH_COMPANY)
            for _ in range(4):
                walk = BenchQuery("walk", "", queries[0].document, {"company": company, "after": walked})
                walked = orjson.loads(await poster(client, walk)())["data"]["calls"]["pageInfo"]["endCursor"]
            assert walked == cursor
            for query in queries:
                answer = await poster(client, query)()
                assert "errors" not in orjson.loads(answer), (query.name, orjson.loads(answer)["errors"])
                assert orjson.loads(await floor.runner(query)()) == orjson.loads(answer), query.name
                assert await floor.runner(query)() == answer, query.name
                assert await poster(floor_client, query)() == answer, query.name
    finally:
        await floor.close()
