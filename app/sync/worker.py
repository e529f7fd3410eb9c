"""The worker loop: poll for due schedules, run each in a task of its own (at most
`concurrency` at once) so a failing vendor never stops another, and stop cleanly on request."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from app.sync.schedules import due_schedules, label

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """How one scheduled run ended: succeeded, failed, or skipped (another worker has it)."""

    schedule_id: int
    label: str  # "schedule 3 callrail sources"
    status: str
    line: str  # the summary line or the one-line error

    def text(self) -> str:
        return f"{self.label}: {self.line}"


RunOne = Callable[[RowMapping], Awaitable[Outcome]]


@dataclass
class Worker:
    """Runs due schedules with `run_one` until `stop` is set, or once through with `once`."""

    engine: AsyncEngine
    run_one: RunOne
    concurrency: int = 1
    poll_seconds: float = 10.0
    report: Callable[[Outcome], None] = lambda outcome: None
    outcomes: list[Outcome] = field(default_factory=list)
    _tasks: dict[int, "asyncio.Task[Outcome]"] = field(default_factory=dict)
    _started: set[int] = field(default_factory=set)

    async def run(self, *, stop: asyncio.Event, once: bool = False) -> list[Outcome]:
        """Poll, start what is due, collect what ended; with `once`, each due schedule runs at
        most once and the loop ends when none is left. On `stop`, running syncs are cancelled:
        each saves a failed state that the next run resumes, and gives its lease back."""
        try:
            while not stop.is_set():
                await self._start_due(once=once)
                if once and not self._tasks:
                    break
                await self._wait(stop)
        finally:
            await self._cancel_all()
        return self.outcomes

    async def _start_due(self, *, once: bool) -> None:
        free = self.concurrency - len(self._tasks)
        if free <= 0:
            return
        for row in await self._due(once=once):
            if free == 0:
                break
            if row["id"] in self._tasks or (once and row["id"] in self._started):
                continue
            self._started.add(row["id"])
            self._tasks[row["id"]] = asyncio.create_task(self._isolated(row))
            free -= 1

    async def _due(self, *, once: bool) -> list[RowMapping]:
        try:
            async with self.engine.connect() as conn:
                return await due_schedules(conn)
        except (DBAPIError, OSError) as error:
            if once:
                raise
            log.warning("could not read the due schedules (retrying): %s", error)
            return []

    async def _isolated(self, row: RowMapping) -> Outcome:
        """One run, whatever goes wrong in it reported as its own failure, in one line."""
        try:
            return await self.run_one(row)
        except Exception as error:  # one schedule's failure must not spread to the others
            line = " ".join(f"{type(error).__name__}: {error}".split())
            return Outcome(row["id"], label(row), "failed", f"failed: {line}")

    async def _wait(self, stop: asyncio.Event) -> None:
        """Until a run ends, `stop` is set or the poll interval passes."""
        stopping = asyncio.create_task(stop.wait())
        waiting = {stopping, *self._tasks.values()}
        try:
            await asyncio.wait(waiting, timeout=self.poll_seconds, return_when="FIRST_COMPLETED")
        finally:
            stopping.cancel()
        self._collect()

    def _collect(self) -> None:
        for schedule_id, task in list(self._tasks.items()):
            if task.done() and not task.cancelled():
                del self._tasks[schedule_id]
                self.outcomes.append(task.result())
                self.report(task.result())

    async def _cancel_all(self) -> None:
        for task in self._tasks.values():
            task.cancel()
        await asyncio.gather(*self._tasks.values(), return_exceptions=True)
        self._tasks.clear()
