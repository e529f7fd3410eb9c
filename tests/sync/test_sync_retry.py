"""The retry policy, Retry-After parsing and the loop's failure handling, over CallRail's client."""

import asyncio
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import update

from app.cli.progress import track
from app.core.db import create_engine
from app.core.settings import Settings
from app.models import StoredSyncState
from app.sync.fetcher import RetryPolicy, parse_retry_after
from app.sync.run import SyncFailed

from helpers.fake_vendor import Fault
from helpers.sync_cases import (
    CASES,
    FAST,
    Counts,
    Live,
    Sink,
    fake_vendor,
    sync,
    unfinished,
)

CALLRAIL = CASES[0]
NOW = datetime(2015, 10, 21, 7, 28, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def running() -> Iterator[Live]:
    with fake_vendor(CALLRAIL) as live:
        yield live


@pytest.fixture
def live(running: Live) -> Live:
    running.server.reset()
    return running


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        (" 3 ", 3.0),
        ("-5", 0.0),
        ("Wed, 21 Oct 2015 07:28:30 GMT", 30.0),
        ("Wed, 21 Oct 2015 07:00:00 GMT", 0.0),  # already past: retry at once
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_reads_seconds_or_an_http_date(header: str | None, seconds: float) -> None:
    assert parse_retry_after(header, now=NOW) == seconds


def test_backoff_doubles_with_jitter_up_to_the_cap() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=5.0)
    for attempt, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 5.0), (9, 5.0)]:
        delays = {policy.delay(attempt=attempt, retry_after=None) for _ in range(50)}
        assert all(ceiling / 2 <= delay <= ceiling for delay in delays)
        assert len(delays) > 1  # jittered


def test_retry_after_wins_over_backoff_but_is_capped() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=5.0, max_retry_after=60.0)
    assert policy.delay(attempt=1, retry_after=12.0) == 12.0
    assert policy.delay(attempt=1, retry_after=86400.0) == 60.0


async def test_retry_after_is_waited_out_on_the_real_clock(live: Live, state_db: Settings) -> None:
    live.server.inject(
        Fault(kind="status", status=429, headers={"Retry-After": "0.3"}, when={"page": "2"})
    )
    await sync(live, database=state_db, import_page=Sink(CALLRAIL.items), sleep=asyncio.sleep)
    limited, retried = live.server.log[1], live.server.log[2]
    assert limited.fault == "429"
    assert retried.at - limited.at >= 0.3


async def test_a_stalled_response_times_out_and_is_retried(live: Live, state_db: Settings) -> None:
    sink = Sink(CALLRAIL.items)
    live.server.inject(Fault(kind="stall", seconds=0.3, when={"page": "1"}))
    await sync(live, database=state_db, import_page=sink, http_timeout=0.1)
    assert [seen.fault for seen in live.server.log] == ["stall", None, None, None]
    assert sink.imported == CALLRAIL.records["sources"]


async def test_a_non_json_body_fails_clearly_and_keeps_state(
    live: Live, state_db: Settings
) -> None:
    live.server.inject(Fault(kind="html", when={"page": "2"}))
    with pytest.raises(SyncFailed, match=r"page=2.* returned invalid JSON.*1 page\(s\) imported"):
        await sync(live, database=state_db, import_page=Sink(CALLRAIL.items))
    (state,) = await unfinished(state_db)
    assert state["next_position"] == 2


async def test_a_page_the_importer_refuses_stops_the_sync_before_it(
    live: Live, state_db: Settings
) -> None:
    async def refuse_second_page(*, payload: Any) -> Counts:
        if payload["page"] == 2:
            raise ValueError("not a CallRail sources response")
        return Counts(created=len(payload["sources"]))

    with pytest.raises(SyncFailed, match="not a CallRail sources response; 1 page"):
        await sync(live, database=state_db, import_page=refuse_second_page)
    (state,) = await unfinished(state_db)
    assert state["next_position"] == 2  # the refused page is fetched again next time


async def test_progress_counts_records_against_the_vendor_total(
    live: Live, state_db: Settings
) -> None:
    out = io.StringIO()
    with track(description="sync callrail sources", stream=out, interval=0.0) as progress:
        await sync(live, database=state_db, import_page=Sink(CALLRAIL.items), progress=progress)
    lines = out.getvalue().splitlines()
    assert len(lines) == 4  # one per page, and the final line
    assert "sync callrail sources: 3/7 records (created 3, updated 0" in lines[0]
    assert "sync callrail sources: 7/7 records (created 7, updated 0" in lines[-1]


async def _corrupt(settings: Settings) -> None:
    engine = create_engine(settings)
    try:
        async with engine.begin() as conn:
            await conn.execute(update(StoredSyncState.__table__).values(next_position="{not json"))
    finally:
        await engine.dispose()


async def test_corrupt_saved_state_is_named_not_ignored(live: Live, state_db: Settings) -> None:
    live.server.inject(Fault(kind="status", status=500, when={"page": "2"}, times=FAST.attempts))
    with pytest.raises(SyncFailed):
        await sync(live, database=state_db, import_page=Sink(CALLRAIL.items))
    await _corrupt(state_db)
    with pytest.raises(SyncFailed, match=r"unreadable saved state in sync_state \w+ .*: delete"):
        await sync(live, database=state_db, import_page=Sink(CALLRAIL.items))
