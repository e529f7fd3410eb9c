"""Connection settings every engine applies."""

import asyncio

from sqlalchemy import text

from app.db import create_engine
from app.settings import Settings


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
