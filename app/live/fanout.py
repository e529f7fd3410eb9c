"""What feeds the hub. PostgreSQL: LISTEN on the channel every import NOTIFYs when it commits
(app.ingest.changes), whichever process or instance ran it. SQLite, which has no such engine:
imports this process runs (webhooks) wake the hub at once, and a poll of each watched account's
newest change stamp catches what other processes committed (`switchboard import`, other
workers), within LIVE_POLL_SECONDS."""

import abc
import asyncio
import contextlib
import logging
from datetime import datetime

import asyncpg
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.settings import Settings
from app.ingest.changes import CHANNEL, STAMPED, Change
from app.live.feed import newest
from app.live.hub import Hub, Watched

logger = logging.getLogger("switchboard.live")
TABLES = {table.name: table for table in STAMPED.values()}
CONNECT_WAIT_SECONDS = 10.0
MAX_BACKOFF_SECONDS = 10.0


class Fanout(abc.ABC):
    """The hub and its feed; the app's lifespan starts and stops it."""

    def __init__(self, hub: Hub, engine: AsyncEngine) -> None:
        self.hub, self.engine = hub, engine
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    @abc.abstractmethod
    def committed(self, change: Change) -> None:
        """An import of this process has committed `change`."""

    @abc.abstractmethod
    async def _run(self) -> None:
        """Feed the hub until cancelled."""

    async def _catch_up(self, seen: dict[Watched, datetime]) -> None:
        """Wake every watched pair whose newest stamp moved past what was seen."""
        for watched in self.hub.watched():
            at = await newest(self.engine, TABLES[watched[1]], watched[0])
            if at is not None and (watched not in seen or at > seen[watched]):
                seen[watched] = at
                self.hub.publish(Change(account_id=watched[0], table=watched[1], at=at))


class PostgresFanout(Fanout):
    """LISTEN on one connection of its own per process, reconnecting with backoff; after each
    (re)connection, every watched account is checked once for changes missed meanwhile."""

    def __init__(self, hub: Hub, engine: AsyncEngine, settings: Settings) -> None:
        super().__init__(hub, engine)
        url = make_url(settings.database_url).set(drivername="postgresql")
        self.dsn = url.render_as_string(hide_password=False)
        self.listening = asyncio.Event()

    async def start(self) -> None:
        await super().start()
        try:
            await asyncio.wait_for(self.listening.wait(), CONNECT_WAIT_SECONDS)
        except TimeoutError:
            logger.warning("not listening for changes yet: subscriptions start when it is")

    async def _run(self) -> None:
        backoff = 0.5
        while True:
            try:
                await self._listen()
                backoff = 0.5
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                logger.warning("change listener lost (%s); reconnecting", exc)
            self.listening.clear()
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)

    async def _listen(self) -> None:
        conn = await asyncpg.connect(self.dsn)
        lost = asyncio.Event()
        try:
            conn.add_termination_listener(lambda _conn: lost.set())
            await conn.add_listener(CHANNEL, self._notified)
            self.listening.set()
            await self._catch_up({})
            await lost.wait()
        finally:
            if not conn.is_closed():
                await conn.close(timeout=2)

    def committed(self, change: Change) -> None:
        """Nothing to do: its NOTIFY reaches this process's listener like every other's."""

    def _notified(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        try:
            change = Change.from_payload(payload)
        except (ValueError, KeyError):
            logger.warning("ignored a notification that is not a change: %r", payload)
            return
        self.hub.publish(change)


class SqliteFanout(Fanout):
    """This process's imports at once, everyone else's by polling the watched accounts."""

    def __init__(self, hub: Hub, engine: AsyncEngine, settings: Settings) -> None:
        super().__init__(hub, engine)
        self.interval = settings.live_poll_seconds
        self._seen: dict[Watched, datetime] = {}

    def committed(self, change: Change) -> None:
        watched = (change.account_id, change.table)
        if watched not in self._seen or change.at > self._seen[watched]:
            self._seen[watched] = change.at
        self.hub.publish(change)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self._catch_up(self._seen)
            except Exception:  # a locked or busy database: the next poll tries again
                logger.exception("polling for changes failed")


def fanout_for(settings: Settings, engine: AsyncEngine) -> Fanout:
    hub = Hub(max_per_key=settings.max_subscriptions_per_key)
    if settings.is_sqlite:
        return SqliteFanout(hub, engine, settings)
    return PostgresFanout(hub, engine, settings)
