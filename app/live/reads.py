"""Shared feed reads: subscriptions woken by one change mostly run the same page read (same
account, filter, position and stamp); while one such read is in flight, the others wait for
its rows instead of running it again. Nothing is kept once the read is done, so a later read
always sees the database as it is then."""

import asyncio
from collections.abc import Hashable, Sequence
from typing import Any

from sqlalchemy import Row, Select
from sqlalchemy.ext.asyncio import AsyncEngine

ReadKey = tuple[int, Hashable, tuple[Any, ...]]


class SharedReads:
    """In-flight page reads of one engine, by statement and bound values."""

    def __init__(self) -> None:
        self._flying: dict[ReadKey, asyncio.Task[Sequence[Row[Any]]]] = {}
        self.reads = 0  # statements run, for tests and benchmarks
        self.shared = 0  # reads answered by another's statement

    async def rows(self, engine: AsyncEngine, stmt: Select[Any]) -> Sequence[Row[Any]]:
        """The statement's rows: its own read, or one already in flight for the same key. The
        read is a task of its own, so a subscription closed meanwhile cancels only its wait."""
        key = _key(engine, stmt)
        if key is None:
            return await _run(engine, stmt)
        task = self._flying.get(key)
        if task is None:
            self.reads += 1
            task = asyncio.ensure_future(_run(engine, stmt))
            self._flying[key] = task
            task.add_done_callback(lambda done: self._landed(key, done))
        else:
            self.shared += 1
        return await asyncio.shield(task)

    def _landed(self, key: ReadKey, task: asyncio.Task[Sequence[Row[Any]]]) -> None:
        del self._flying[key]
        if not task.cancelled():
            task.exception()  # retrieved here too: no warning when every waiter has left


async def _run(engine: AsyncEngine, stmt: Select[Any]) -> Sequence[Row[Any]]:
    async with engine.connect() as conn:
        rows: Sequence[Row[Any]] = (await conn.execute(stmt)).all()
    return rows


def _key(engine: AsyncEngine, stmt: Select[Any]) -> ReadKey | None:
    """SQLAlchemy's cache key of the statement (its structure) with its bound values; None
    when a value cannot be compared as a key (the read then runs on its own)."""
    cache_key = stmt._generate_cache_key()
    if cache_key is None:
        return None
    values = tuple(_hashable(bind.effective_value) for bind in cache_key.bindparams)
    try:
        hash(values)
    except TypeError:
        return None
    return id(engine), cache_key.key, values


def _hashable(value: Any) -> Any:
    if isinstance(value, list | set | frozenset):
        return (type(value).__name__, *(_hashable(v) for v in value))
    return value
