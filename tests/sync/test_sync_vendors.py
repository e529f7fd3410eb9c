"""Every vendor's client against the fake server: paging, auth, retries and resume."""

from collections.abc import Iterator
from typing import Any

import pytest

from app.core.settings import Settings
from app.sync.run import SyncFailed

from helpers.fake_vendor import Fault
from helpers.sync_cases import (
    CASES,
    FAST,
    Live,
    Sink,
    Sleeps,
    VendorCase,
    fake_vendor,
    sync,
    unfinished,
)


@pytest.fixture(scope="module", params=CASES, ids=lambda case: case.id)
def running(request: pytest.FixtureRequest) -> Iterator[Live]:
    with fake_vendor(request.param) as live:
        yield live


@pytest.fixture
def live(running: Live) -> Live:
    running.server.reset()
    return running


def _records(case: VendorCase) -> list[dict[str, Any]]:
    return case.records[case.resource]


def _on_page(case: VendorCase, index: int) -> dict[str, str]:
    """Query params that single out the request for page `index` (0-based)."""
    position = case.positions[index]
    return {case.position: position} if position else {}


def _position(case: VendorCase, index: int) -> int | str:
    """A page's position as the saved state keeps it (numbers stay numbers)."""
    value = case.positions[index]
    return int(value) if value.isdigit() else value


async def test_full_sync_pages_through_every_page_with_the_vendor_auth(
    live: Live, state_db: Settings
) -> None:
    sink = Sink(live.case.items)
    result = await sync(live, database=state_db, import_page=sink)

    assert sink.imported == _records(live.case)
    assert live.server.served(live.case.position) == live.case.positions
    for seen in live.server.log:
        for name, value in live.case.headers.items():
            assert seen.headers[name.lower()] == value
    assert result.state.pages == len(live.case.positions)
    assert result.state.totals["created"] == len(_records(live.case))
    assert await unfinished(state_db) == []  # a completed sync leaves nothing to resume


async def test_wrong_credentials_fail_at_once_with_the_status(
    live: Live, state_db: Settings
) -> None:
    wrong = {name: "nope" for name in live.case.credentials}
    with pytest.raises(SyncFailed, match="HTTP 401"):
        await sync(live, database=state_db, import_page=Sink(live.case.items), credentials=wrong)
    assert len(live.server.log) == 1  # 4xx other than 429 is not retried


async def test_429_waits_as_long_as_retry_after_says(live: Live, state_db: Settings) -> None:
    sink, sleeps = Sink(live.case.items), Sleeps()
    retry_after = {"Retry-After": "7"}
    live.server.inject(
        Fault(kind="status", status=429, headers=retry_after, when=_on_page(live.case, 1))
    )
    await sync(live, database=state_db, import_page=sink, sleep=sleeps)

    assert sleeps.delays == [7.0]
    assert [seen.fault for seen in live.server.log] == [None, "429", None, None]
    assert sink.imported == _records(live.case)


async def test_500s_are_retried_with_growing_backoff(live: Live, state_db: Settings) -> None:
    sink, sleeps = Sink(live.case.items), Sleeps()
    live.server.inject(Fault(kind="status", status=500, when=_on_page(live.case, 1), times=2))
    await sync(live, database=state_db, import_page=sink, sleep=sleeps)

    assert [seen.fault for seen in live.server.log] == [None, "500", "500", None, None]
    first, second = sleeps.delays
    assert FAST.base_delay / 2 <= first <= FAST.base_delay
    assert FAST.base_delay <= second <= 2 * FAST.base_delay
    assert sink.imported == _records(live.case)


async def test_a_dropped_connection_is_retried(live: Live, state_db: Settings) -> None:
    sink = Sink(live.case.items)
    live.server.inject(Fault(kind="drop", when=_on_page(live.case, 2)))
    await sync(live, database=state_db, import_page=sink)

    assert [seen.fault for seen in live.server.log] == [None, None, "drop", None]
    assert sink.imported == _records(live.case)


async def test_exhausted_attempts_leave_state_and_a_rerun_resumes(
    live: Live, state_db: Settings
) -> None:
    case, first_run = live.case, Sink(live.case.items)
    live.server.inject(
        Fault(kind="status", status=503, when=_on_page(case, 2), times=FAST.attempts)
    )
    with pytest.raises(SyncFailed) as failure:
        await sync(live, database=state_db, import_page=first_run)

    message = str(failure.value)
    assert f"failed after {FAST.attempts} attempts: HTTP 503" in message
    assert "2 page(s) imported, rerun the same command to resume" in message
    (state,) = await unfinished(state_db)
    assert f"(state: sync_state {state['key_hash'][:12]} in the database)" in message
    assert (state["last_completed"], state["next_position"]) == (
        _position(case, 1),
        _position(case, 2),
    )
    assert (state["status"], state["pages"], state["created"]) == ("failed", 2, 6)
    assert "HTTP 503" in state["last_error"]
    assert len(first_run.payloads) == 2

    live.server.log.clear()
    rerun = Sink(case.items)
    result = await sync(live, database=state_db, import_page=rerun)

    assert live.server.served(case.position) == case.positions[2:]  # no completed page refetched
    assert first_run.imported + rerun.imported == _records(case)
    assert result.resumed_from == _position(case, 2)
    assert result.state.totals["created"] == len(_records(case))  # both runs together
    assert await unfinished(state_db) == []
