"""EXPLAIN the stats statements of Q7 and Q8 on a benchmark database: the statement the API runs
is captured while it answers, then explained with the same parameters (EXPLAIN QUERY PLAN on
SQLite, EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL).

    .venv/bin/python scripts/explain_stats.py sqlite+aiosqlite:///var/bench/c1000000_l100000_n5000_k20_s1.db
"""

import asyncio
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchkit.driver import api_key, in_process, poster
from benchkit.queries import DEFAULT_QUERIES, bench_queries

from app.core.db import create_engine
from app.core.settings import Settings


async def main(url: str) -> None:
    headers = await api_key(url)
    queries = {q.name: q for q in bench_queries(DEFAULT_QUERIES, deep_cursor=None, ids=[])}
    captured: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        if "sb_f" in statement:
            captured.append((statement, parameters))

    async with in_process(url, headers) as client:
        engine = client._transport.app.state.engine.sync_engine  # type: ignore[attr-defined]
        event.listen(engine, "before_cursor_execute", capture)
        for name in ("Q7", "Q8"):
            await poster(client, queries[name])()
    engine = create_engine(Settings(database_url=url))
    try:
        async with engine.connect() as conn:
            for statement, parameters in captured:
                sqlite = engine.dialect.name == "sqlite"
                prefix = (
                    "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) "
                )
                result = await conn.exec_driver_sql(prefix + statement, parameters)
                print("----")
                for row in result:
                    print(" | ".join(str(v) for v in row) if sqlite else row[0])
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
