"""A time limit on every SQL statement, so one query cannot hold a connection or the server.

PostgreSQL enforces `statement_timeout` itself (set on each new connection). SQLite has no such
setting: a progress handler, called every few thousand VM steps inside the running statement,
interrupts it once the statement's deadline has passed."""

import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util.concurrency import await_

SQLITE_STEPS = 10_000  # VM instructions between deadline checks
POSTGRES_QUERY_CANCELED = "57014"


def install_statement_timeout(engine: AsyncEngine, *, milliseconds: int) -> None:
    """Limit every statement `engine` runs to `milliseconds`."""
    sync_engine = engine.sync_engine
    if sync_engine.dialect.name == "postgresql":
        event.listen(sync_engine, "connect", _postgres_setter(milliseconds))
        return
    event.listen(sync_engine, "connect", _sqlite_handler)
    event.listen(sync_engine, "before_cursor_execute", _sqlite_deadline(milliseconds / 1000))
    event.listen(sync_engine, "after_cursor_execute", _sqlite_clear)


def _postgres_setter(milliseconds: int) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        await_(dbapi_connection.driver_connection.execute(f"SET statement_timeout = {int(milliseconds)}"))

    return on_connect


def _sqlite_handler(dbapi_connection: Any, record: Any) -> None:
    info = record.info

    def over_deadline() -> int:
        deadline = info.get("deadline")
        return int(deadline is not None and time.monotonic() > deadline)

    await_(dbapi_connection.driver_connection.set_progress_handler(over_deadline, SQLITE_STEPS))


def _sqlite_deadline(seconds: float) -> Any:
    def before(conn: Connection, *_args: Any) -> None:
        conn.info["deadline"] = time.monotonic() + seconds

    return before


def _sqlite_clear(conn: Connection, *_args: Any) -> None:
    conn.info["deadline"] = None


def is_statement_timeout(error: BaseException | None) -> bool:
    """Whether `error` (or what it wraps) is a database refusing a statement for its time."""
    while error is not None:
        if isinstance(error, DBAPIError):
            orig = error.orig
            if getattr(orig, "sqlstate", None) == POSTGRES_QUERY_CANCELED:
                return True
            if "interrupted" in str(orig):
                return True
        error = error.__cause__ or error.__context__
    return False
