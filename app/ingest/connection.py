"""The import transaction's connection, able to leave one statement running behind the caller.

SQLite works in its own thread and releases the GIL while it does, so a chunk's INSERT can run
while Python validates and parses the next chunk. `run_behind` starts such work without waiting
for it; every other statement, and `settle`, waits for it first, so statements still reach the
database one at a time and in order, and an error in the work behind surfaces at the next
statement or at `settle` (the transaction then rolls back as for any other error)."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection


class SerialConnection:
    """An AsyncConnection's execute/exec_driver_sql, with at most one piece of work behind."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.raw = conn
        self._behind: asyncio.Task[Any] | None = None

    @property
    def dialect(self) -> Dialect:
        return self.raw.dialect

    async def execute(self, statement: Any, parameters: Any = None) -> Any:
        await self.settle()
        return await self.raw.execute(statement, parameters)

    async def exec_driver_sql(self, statement: str, parameters: Any = None) -> Any:
        await self.settle()
        return await self.raw.exec_driver_sql(statement, parameters)

    async def run_behind(self, work: Callable[[AsyncConnection], Awaitable[Any]]) -> None:
        """Start `work` on the connection and return once it has handed over its first
        statement; it goes on while the caller computes."""
        await self.settle()
        self._behind = asyncio.ensure_future(work(self.raw))
        await asyncio.sleep(0)

    async def settle(self) -> None:
        """Wait for the work behind, raising its error."""
        if self._behind is not None:
            task, self._behind = self._behind, None
            await task

    async def abandon(self) -> None:
        """After a failure elsewhere: let the work behind finish (the driver cannot stop a
        statement midway) before the transaction rolls back; its outcome no longer matters."""
        if self._behind is not None:
            task, self._behind = self._behind, None
            await asyncio.gather(task, return_exceptions=True)


YIELD_EVERY = 200  # records


async def let_behind_proceed(position: int) -> None:
    """Called per record by loops that compute while work runs behind: every YIELD_EVERY
    records, let the event loop hand the work behind its next statement."""
    if position % YIELD_EVERY == 0:
        await asyncio.sleep(0)
