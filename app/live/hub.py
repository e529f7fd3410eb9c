"""The hub: each subscription watches one account's calls or leads and is woken with the
stamp of the newest change committed (app.ingest.changes); a per-key limit on how many
subscriptions one API key holds open in this process."""

import asyncio
from collections import Counter, defaultdict
from datetime import datetime

from app.ingest.changes import Change
from app.live.reads import SharedReads

Watched = tuple[int, str]  # (account id, table name)


class TooManySubscriptions(Exception):
    """The API key already holds its limit of open subscriptions."""


class Watch:
    """One subscription's wakeups: the newest stamp announced since it last looked."""

    def __init__(self, *, account_id: int, table: str, key_id: int) -> None:
        self.account_id, self.table, self.key_id = account_id, table, key_id
        self._woken = asyncio.Event()
        self._upto: datetime | None = None

    def wake(self, at: datetime) -> None:
        if self._upto is None or at > self._upto:
            self._upto = at
        self._woken.set()

    async def next(self) -> datetime:
        """Wait for a change; the newest stamp announced (several wakeups coalesce)."""
        await self._woken.wait()
        self._woken.clear()
        upto, self._upto = self._upto, None
        assert upto is not None
        return upto


class Hub:
    """Routes announced changes to the subscriptions watching that account and table."""

    def __init__(self, *, max_per_key: int) -> None:
        self.max_per_key = max_per_key
        self.reads = SharedReads()  # the feed reads of this process's subscriptions
        self._watches: defaultdict[Watched, set[Watch]] = defaultdict(set)
        self._per_key: Counter[int] = Counter()

    def publish(self, change: Change) -> None:
        for watch in self._watches.get((change.account_id, change.table), ()):
            watch.wake(change.at)

    def watched(self) -> list[Watched]:
        """The (account, table) pairs some subscription of this process watches."""
        return [key for key, watches in self._watches.items() if watches]

    def open(self, *, account_id: int, table: str, key_id: int) -> Watch:
        """Start watching one account's table; TooManySubscriptions past the key's limit.
        Every open is followed by a close (a subscription's generator closes in `finally`)."""
        if self._per_key[key_id] >= self.max_per_key:
            raise TooManySubscriptions(
                f"this API key already holds {self.max_per_key} open subscriptions "
                "(MAX_SUBSCRIPTIONS_PER_KEY), the most one server process allows"
            )
        watch = Watch(account_id=account_id, table=table, key_id=key_id)
        self._per_key[key_id] += 1
        self._watches[(account_id, table)].add(watch)
        return watch

    def close(self, watch: Watch) -> None:
        key = (watch.account_id, watch.table)
        watches = self._watches.get(key)
        if watches is None or watch not in watches:
            return
        watches.discard(watch)
        if not watches:
            del self._watches[key]
        self._per_key[watch.key_id] -= 1
