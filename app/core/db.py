"""Engine and session factory; SQLite gets WAL, busy_timeout and foreign keys on every connection."""

import enum
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from app.core.settings import Settings
from app.models import enums


def _register_sqlite_adapters() -> None:
    """Tell the sqlite3 module how to bind our enum members, bools and None. It binds them
    correctly without (as text, 0/1 and NULL), but only after looking for adaptation protocols
    on every value, in SQLite's thread holding the GIL; an import binds four enums and bools and
    a dozen NULLs a call. None's adapter is a builtin that returns None for any argument (cheaper
    than a Python function)."""
    for member_type in vars(enums).values():
        if isinstance(member_type, type) and issubclass(member_type, enum.StrEnum):
            sqlite3.register_adapter(member_type, str)
    sqlite3.register_adapter(bool, int)
    sqlite3.register_adapter(type(None), _NOTHING.get)


_NOTHING: dict[Any, None] = {}  # _NOTHING.get(value) is None, whatever the value


_register_sqlite_adapters()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_engine(settings: Settings) -> AsyncEngine:
    """Build the async engine for settings.database_url (creating the SQLite folder if needed)."""
    url = make_url(settings.database_url)
    if settings.is_sqlite:
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, echo=settings.db_echo)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(
        url,
        echo=settings.db_echo,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        # No pre-ping: it costs every checkout a round trip (a read is one statement). A
        # connection the server dropped fails its statement, SQLAlchemy invalidates it, and the
        # request is answered again on the general path with a fresh connection.
        # asyncpg prepares every statement; after five runs PostgreSQL may switch to a generic
        # plan chosen while a freshly filled table had no statistics (a vendor-id lookup
        # per page became a scan). Plan each execution with its values.
        connect_args={"server_settings": {"plan_cache_mode": "force_custom_plan"}},
    )


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


async def checkpoint_wal(engine: AsyncEngine) -> None:
    """On SQLite, copy the write-ahead log into the database file and truncate it (after a
    large import, which lets the log grow between checkpoints). A reader still using the log
    makes this give up after busy_timeout without error; the next checkpoint finishes it."""
    if engine.dialect.name != "sqlite":
        return
    async with engine.connect() as conn:
        await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
