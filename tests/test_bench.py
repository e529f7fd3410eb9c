"""scripts/bench.py's floor builds exactly the API's JSON for Q1-Q6 (on a tiny dataset)."""

import sys
from pathlib import Path

import orjson
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from benchkit.dataset import Scale, load
from benchkit.driver import api_key, in_process, poster
from benchkit.floor import Floor
from benchkit.queries import (
    BENCH_COMPANY,
    DEFAULT_QUERIES,
    BenchQuery,
    bench_queries,
    refetch_ids,
)

from app.db import create_engine
from app.ids import encode_global_id
from app.settings import Settings

TINY = Scale(calls=2_000, leads=300, numbers=200, companies=4)
pytestmark = pytest.mark.skipif(not DEFAULT_QUERIES.exists(), reason="no reference-queries.graphql")


async def test_floor_json_equals_api_json(settings: Settings) -> None:
    engine = create_engine(settings)
    try:
        await load(engine, TINY, bulk=False)
        headers = await api_key(settings.database_url)
        floor = Floor(engine, account_id=1, company_id=BENCH_COMPANY)
        cursor, page = await floor.deep_cursor(5)
        assert page == 5
        ids = refetch_ids(calls=TINY.calls, numbers=TINY.numbers, leads=TINY.leads,
                          companies=TINY.companies, callers=TINY.callers)
        queries = bench_queries(DEFAULT_QUERIES, deep_cursor=cursor, ids=ids)
        async with in_process(settings.database_url, headers) as client:
            # The computed cursor is where walking four pages through the API ends.
            walked = None
            company = encode_global_id("Company", BENCH_COMPANY)
            for _ in range(4):
                walk = BenchQuery("walk", "", queries[0].document, {"company": company, "after": walked})
                walked = orjson.loads(await poster(client, walk)())["data"]["calls"]["pageInfo"]["endCursor"]
            assert walked == cursor
            for query in queries:
                answer = orjson.loads(await poster(client, query)())
                assert "errors" not in answer, (query.name, answer["errors"])
                assert answer == orjson.loads(await floor.runner(query)()), query.name
    finally:
        await engine.dispose()
