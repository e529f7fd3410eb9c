"""The database state store and its lease, on both databases: one holder at a time however many
race for it, an expired lease taken over (and the old holder stopped), renewal while a sync
runs, resume after a failure and a fresh start after a success."""

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.db import create_engine
from app.core.settings import Settings
from app.models import StoredSyncState
from app.sync.lease import Lease, now
from app.sync.state import SyncBusy, SyncFailed, SyncState, key_hash
from app.sync.store import Cadence, DatabaseStateStore, ensure_state_row

KEY = {
    "account": "acme", "vendor": "CALLRAIL", "resource": "sources",
    "base_url": "http://vendor.test", "subtree": None, "filters": {}, "page_size": 3,
    "credentials": {},
}  # fmt: skip
STATE = StoredSyncState.__table__


@pytest.fixture
async def engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(settings)
    yield engine
    await engine.dispose()


def store(engine: AsyncEngine, owner: str, **options: object) -> DatabaseStateStore:
    return DatabaseStateStore(engine=engine, key=KEY, owner=owner, **options)  # type: ignore[arg-type]


async def row(engine: AsyncEngine) -> dict[str, object]:
    async with engine.connect() as conn:
        return dict((await conn.execute(select(STATE))).mappings().one())


async def test_a_held_sync_is_busy_for_another_owner_until_released(engine: AsyncEngine) -> None:
    async with store(engine, "worker-a").hold():
        with pytest.raises(SyncBusy, match="worker-a holds its lease until"):
            async with store(engine, "worker-b").hold():
                pass
    async with store(engine, "worker-b").hold():
        assert (await row(engine))["lease_owner"] == "worker-b"
    assert (await row(engine))["lease_owner"] is None  # given back


async def test_of_many_racing_for_a_lease_exactly_one_wins(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await ensure_state_row(conn, key=KEY)

    async def take(owner: str) -> bool:
        async with engine.begin() as conn:
            return await Lease(key_hash=key_hash(KEY), owner=owner).take(conn)

    won = await asyncio.gather(*(take(f"worker-{i}") for i in range(8)))
    assert sum(won) == 1


async def test_an_expired_lease_is_taken_over_and_the_old_holder_cannot_save(
    engine: AsyncEngine,
) -> None:
    first = store(engine, "worker-a", lease_seconds=60)
    async with first.hold():
        state = await first.begin()
        async with engine.begin() as conn:  # as if worker-a stopped renewing a minute ago
            await conn.execute(update(STATE).values(lease_expires_at=now() - timedelta(seconds=1)))
        second = store(engine, "worker-b")
        async with second.hold():
            with pytest.raises(SyncFailed, match="lost the sync's lease"):
                await first.save(state)
            assert (await row(engine))["lease_owner"] == "worker-b"


async def test_the_lease_is_renewed_while_the_sync_runs(engine: AsyncEngine) -> None:
    held = store(engine, "worker-a", lease_seconds=1)
    async with held.hold():
        await asyncio.sleep(1.6)  # longer than the lease: only renewal keeps it
        assert (await row(engine))["lease_expires_at"] > now()
        with pytest.raises(SyncBusy):
            async with store(engine, "worker-b").hold():
                pass


async def test_a_failed_run_resumes_and_a_finished_one_starts_again(engine: AsyncEngine) -> None:
    first = store(engine, "worker-a")
    async with first.hold():
        state = await first.begin()
        state.pages, state.records, state.last_completed, state.next = 2, 6, 2, 3
        state.totals["created"] = 6
        await first.save(state)
        await first.fail(state, error="HTTP 502")
    saved = await row(engine)
    assert (saved["status"], saved["next_position"], saved["failures"]) == ("failed", "3", 1)

    again = store(engine, "worker-b")
    async with again.hold():
        resumed = await again.begin()
        assert (resumed.next, resumed.pages, resumed.totals["created"]) == (3, 2, 6)
        assert (await row(engine))["status"] == "running"
        await again.succeed(resumed)
    done = await row(engine)
    assert (done["status"], done["next_position"], done["failures"], done["pages"]) == (
        "succeeded", None, 0, 2,
    )  # fmt: skip

    async with store(engine, "worker-c").hold():
        assert await store(engine, "worker-c").begin() == SyncState(key=KEY)


async def test_a_scheduled_run_takes_the_lease_only_when_due_and_sets_the_next(
    engine: AsyncEngine,
) -> None:
    cadence = Cadence(interval=600, failure_backoff=30)
    scheduled = store(engine, "worker-a", cadence=cadence)
    async with scheduled.hold():  # no next run set yet: due
        await scheduled.succeed(await scheduled.begin())
    next_run = (await row(engine))["next_run_at"]
    assert timedelta(seconds=590) < next_run - now() <= timedelta(seconds=600)
    with pytest.raises(SyncBusy, match="not due yet"):
        async with store(engine, "worker-b", cadence=cadence).hold():
            pass
    async with store(engine, "by-hand").hold():  # `switchboard sync` runs whenever asked
        pass


def test_failures_back_off_doubling_up_to_the_interval() -> None:
    cadence = Cadence(interval=600, failure_backoff=60)
    assert [cadence.after_failure(n) for n in (1, 2, 3, 4, 5)] == [60, 120, 240, 480, 600]
