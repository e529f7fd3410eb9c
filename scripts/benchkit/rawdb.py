"""The floor's database access: the drivers themselves, no SQLAlchemy. asyncpg's pool on
PostgreSQL, a few aiosqlite connections on SQLite; both take SQL with `:name` parameters.

No transaction is opened around a read and nothing is reset or pinged when a connection goes
back to its pool: the floor pays for its statements and nothing else."""

import asyncio
import re
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path
from typing import Any

import aiosqlite
import asyncpg
from sqlalchemy.engine import make_url

from app.core.settings import Settings

Row = Any  # asyncpg.Record or sqlite3.Row: both read by column name
PARAMETER = re.compile(r"(?<![:\w]):([a-z_]\w*)")


@cache
def positional(sql: str) -> tuple[str, tuple[str, ...]]:
    """`:name` parameters as asyncpg's `$1, $2, ...`, and the names in that order."""
    names: list[str] = []

    def number(match: re.Match[str]) -> str:
        if match[1] not in names:
            names.append(match[1])
        return f"${names.index(match[1]) + 1}"

    return PARAMETER.sub(number, sql), tuple(names)


class _PostgresConnection:
    def __init__(self, raw: asyncpg.Connection) -> None:
        self.raw = raw

    async def fetch(self, sql: str, params: dict[str, Any]) -> Sequence[Row]:
        text, names = positional(sql)
        return await self.raw.fetch(text, *[params[name] for name in names])  # type: ignore[no-any-return]


class _SqliteConnection:
    def __init__(self, raw: aiosqlite.Connection) -> None:
        self.raw = raw

    async def fetch(self, sql: str, params: dict[str, Any]) -> Sequence[Row]:
        return await self.raw.execute_fetchall(sql, params)  # type: ignore[return-value]


async def _nothing_to_reset(_conn: asyncpg.Connection) -> None:
    """The floor leaves no session state behind (asyncpg's default reset is a round trip)."""


class Database:
    """A pool of `size` connections to one database; `dialect` is "postgresql" or "sqlite"."""

    def __init__(self, dialect: str, pool: Any) -> None:
        self.dialect, self.pool = dialect, pool

    @classmethod
    async def open(cls, url: str, *, size: int = 10) -> "Database":
        parsed = make_url(Settings(database_url=url).database_url)
        if parsed.get_backend_name() == "sqlite":
            idle: asyncio.LifoQueue[_SqliteConnection] = asyncio.LifoQueue()
            for _ in range(size):
                raw = await aiosqlite.connect(Path(parsed.database or ""))
                raw.row_factory = sqlite3.Row
                await raw.execute("PRAGMA busy_timeout=5000")
                idle.put_nowait(_SqliteConnection(raw))
            return cls("sqlite", idle)
        dsn = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
        # As app.core.db: plan each execution with its values (see create_engine).
        pool = await asyncpg.create_pool(dsn, min_size=1, max_size=size, reset=_nothing_to_reset,
                                         server_settings={"plan_cache_mode": "force_custom_plan"})
        return cls("postgresql", pool)

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[_PostgresConnection | _SqliteConnection]:
        if self.dialect == "postgresql":
            async with self.pool.acquire() as raw:
                yield _PostgresConnection(raw)
            return
        conn = await self.pool.get()
        try:
            yield conn
        finally:
            self.pool.put_nowait(conn)

    async def close(self) -> None:
        if self.dialect == "postgresql":
            await self.pool.close()
            return
        while not self.pool.empty():
            await self.pool.get_nowait().raw.close()
