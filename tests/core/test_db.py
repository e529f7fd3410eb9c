"""Connection settings every engine applies."""

import asyncio

from sqlalchemy import text

from app.core.db import create_engine
from app.core.settings import Settings


async def _show(settings: Settings, sql: str) -> object:
    engine = create_engine(settings)
    try:
        async with engine.connect() as conn:
            return (await conn.execute(text(sql))).scalar()
    finally:
        await engine.dispose()


def test_connections_get_their_settings(settings: Settings) -> None:
    if settings.is_sqlite:
        assert asyncio.run(_show(settings, "PRAGMA journal_mode")) == "wal"
        assert asyncio.run(_show(settings, "PRAGMA foreign_keys")) == 1
    else:
        assert asyncio.run(_show(settings, "SHOW plan_cache_mode")) == "force_custom_plan"


def test_enum_members_and_bools_bind_as_their_values_on_sqlite() -> None:
    import sqlite3

    import app.core.db  # noqa: F401  (registers the adapters)
    from app.models.enums import CallDisposition, TrafficType, Vendor

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (a, b, c, d, e)")
    conn.execute(
        "INSERT INTO t VALUES (?, ?, ?, ?, ?)",
        (Vendor.FONE_DYNAMICS, CallDisposition.NO_ANSWER, TrafficType.CAMPAIGN, True, False),
    )
    row = conn.execute("SELECT a, b, c, d, e, typeof(a), typeof(d) FROM t").fetchone()
    assert row == ("FONE_DYNAMICS", "NO_ANSWER", "CAMPAIGN", 1, 0, "text", "integer")


def test_none_binds_as_null_through_a_registered_adapter_on_sqlite() -> None:
    import sqlite3

    import app.core.db  # noqa: F401  (registers the adapters)

    # Registered, so the sqlite3 module skips its adaptation-protocol search for each NULL.
    assert (type(None), sqlite3.PrepareProtocol) in sqlite3.adapters
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (a, b)")
    conn.executemany("INSERT INTO t VALUES (?, ?)", [(None, 1), (None, None)])
    rows = conn.execute("SELECT a IS NULL, typeof(b) FROM t ORDER BY rowid").fetchall()
    assert rows == [(1, "integer"), (1, "null")]
