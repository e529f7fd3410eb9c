"""Every way a hostile or broken vendor could hold a sync, each ending in one clear error within
its (small) deadline: credentials kept to the vendor's origin, redirect loops, trickled and huge
bodies, run deadlines, long Retry-After, wrong JSON shapes and paging that never ends."""

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from app.core.settings import Settings
from app.sync.limits import SyncLimits
from app.sync.run import SyncFailed

from helpers.fake_vendor import FakeVendor, Fault, serving
from helpers.sync_cases import (
    CASES,
    Live,
    Sink,
    Sleeps,
    VendorCase,
    butter_phone_numbers,
    callrail_sources,
    fake_vendor,
    fone_calls,
    sync,
    unfinished,
)

CALLRAIL, FONE, BUTTER, TRACKDRIVE = CASES
BY_ID = {case.id: case for case in CASES}


@pytest.fixture(scope="module", params=CASES, ids=lambda case: case.id)
def running(request: pytest.FixtureRequest) -> Iterator[Live]:
    with fake_vendor(request.param) as live:
        yield live


@pytest.fixture
def live(running: Live) -> Live:
    running.server.reset()
    return running


@pytest.fixture(scope="module")
def elsewhere() -> Iterator[tuple[FakeVendor, str]]:
    """Another origin (its own port) that serves every vendor's records without asking for
    credentials: what a redirect off the vendor's origin reaches."""
    records = {name: rows for case in CASES for name, rows in case.records.items()}
    server = FakeVendor(records=records, expected_headers={}, butter_page_size=3)
    with serving(server) as url:
        yield server, url


def _page(case: VendorCase, index: int) -> dict[str, str]:
    position = case.positions[index]
    return {case.position: position} if position else {}


def _one_line(failure: pytest.ExceptionInfo[SyncFailed]) -> str:
    message = str(failure.value)
    assert "\n" not in message
    return message


async def test_a_redirect_off_the_vendor_origin_carries_no_credentials(
    live: Live, elsewhere: tuple[FakeVendor, str], state_db: Settings
) -> None:
    other, other_url = elsewhere
    other.reset()
    sink = Sink(live.case.items)
    live.server.inject(Fault(kind="redirect", to=other_url, when=_page(live.case, 1)))
    await sync(live, database=state_db, import_page=sink)

    assert sink.imported == live.case.records[live.case.resource]
    (redirected,) = other.log
    assert redirected.params.get("hop") == "1"
    for name in live.case.headers:
        assert name.lower() not in redirected.headers  # neither Authorization nor X-API-Key...
    first = live.server.log[0]
    assert all(first.headers[name.lower()] == value for name, value in live.case.headers.items())


async def test_a_redirect_within_the_origin_keeps_the_credentials(
    live: Live, state_db: Settings
) -> None:
    sink = Sink(live.case.items)
    live.server.inject(Fault(kind="redirect", to=live.url, when=_page(live.case, 1)))
    await sync(live, database=state_db, import_page=sink)  # the server refuses missing auth

    assert sink.imported == live.case.records[live.case.resource]
    assert [seen.params.get("hop") for seen in live.server.log] == [None, None, "1", None]


async def test_a_redirect_loop_is_named(live: Live, state_db: Settings) -> None:
    live.server.inject(Fault(kind="status", status=302, headers={"Location": "/loop"}, times=10))
    with pytest.raises(SyncFailed) as failure:
        await sync(live, database=state_db, import_page=Sink(live.case.items))
    assert re.search(r"redirect loop \(http://\S+ -> \S+/loop -> \S+/loop\)", _one_line(failure))
    assert len(live.server.log) == 2  # not retried


async def test_redirects_past_the_limit_are_refused(live: Live, state_db: Settings) -> None:
    live.server.inject(Fault(kind="redirect", to=live.url, times=10))
    with pytest.raises(SyncFailed, match=r"more than 2 redirects \(--max-redirects\)"):
        await sync(
            live,
            database=state_db,
            import_page=Sink(live.case.items),
            limits=SyncLimits(max_redirects=2),
        )
    assert len(live.server.log) == 3


async def test_a_trickling_response_ends_at_the_request_deadline(
    live: Live, state_db: Settings
) -> None:
    # One byte every 50 ms never trips the 2 s network timeout; the request deadline ends it.
    live.server.inject(Fault(kind="trickle", seconds=0.05, when=_page(live.case, 1), times=3))
    with pytest.raises(SyncFailed) as failure:
        await sync(
            live,
            database=state_db,
            import_page=Sink(live.case.items),
            limits=SyncLimits(request_deadline=0.3),
        )
    message = _one_line(failure)
    assert "failed after 3 attempts: no complete response within 0.3s (--request-deadline)" in (
        message
    )
    assert "1 page(s) imported, rerun the same command to resume" in message


async def test_the_run_deadline_ends_a_sync_that_keeps_retrying(
    live: Live, state_db: Settings
) -> None:
    live.server.inject(Fault(kind="trickle", seconds=0.05, when=_page(live.case, 1), times=50))
    with pytest.raises(SyncFailed) as failure:
        await sync(
            live,
            database=state_db,
            import_page=Sink(live.case.items),
            limits=SyncLimits(request_deadline=30, run_deadline=0.4),
        )
    assert "the run's deadline of 0.4s (--run-deadline) has passed" in _one_line(failure)
    (state,) = await unfinished(state_db)
    assert state["pages"] == 1


async def test_a_huge_body_is_cut_off_at_the_limit_not_read_into_memory(
    state_db: Settings,
) -> None:
    with fake_vendor(CALLRAIL) as live:
        live.server.inject(Fault(kind="huge", size=200_000_000, when={"page": "2"}))
        with pytest.raises(SyncFailed) as failure:
            await sync(
                live,
                database=state_db,
                import_page=Sink(CALLRAIL.items),
                limits=SyncLimits(max_response_bytes=1_000_000),
            )
        assert "the response passed 1,000,000 bytes, more than the 1,000,000 a page may have" in (
            _one_line(failure)
        )
        assert "(--max-response-mb)" in str(failure.value)
        assert [seen.fault for seen in live.server.log] == [None, "huge"]  # not retried


async def test_a_declared_huge_body_is_refused_before_reading_it(state_db: Settings) -> None:
    with fake_vendor(CALLRAIL) as live:
        live.server.inject(Fault(kind="huge", size=200_000_000, declare=True))
        with pytest.raises(SyncFailed, match=r"declares 200,000,002 bytes, more than the 50,000"):
            await sync(
                live,
                database=state_db,
                import_page=Sink(CALLRAIL.items),
                limits=SyncLimits(max_response_bytes=50_000),
            )


async def test_a_retry_after_beyond_the_cap_stops_at_once(live: Live, state_db: Settings) -> None:
    sleeps = Sleeps()
    live.server.inject(
        Fault(
            kind="status",
            status=429,
            headers={"Retry-After": "86400"},
            when=_page(live.case, 1),
            times=5,
        )
    )
    with pytest.raises(SyncFailed) as failure:
        await sync(live, database=state_db, import_page=Sink(live.case.items), sleep=sleeps)
    message = _one_line(failure)
    assert "HTTP 429 Too Many Requests with Retry-After 86400s, more than the 120s" in message
    assert "(--max-retry-after)" in message
    assert sleeps.delays == []
    assert [seen.fault for seen in live.server.log] == [None, "429"]


async def test_a_retry_after_past_the_run_deadline_stops_at_once(state_db: Settings) -> None:
    sleeps = Sleeps()
    with fake_vendor(CALLRAIL) as live:
        live.server.inject(Fault(kind="status", status=503, headers={"Retry-After": "60"}))
        with pytest.raises(SyncFailed, match=r"HTTP 503 .*run's deadline of 5s"):
            await sync(
                live,
                database=state_db,
                import_page=Sink(CALLRAIL.items),
                sleep=sleeps,
                limits=SyncLimits(run_deadline=5),
            )
    assert sleeps.delays == []


@pytest.mark.parametrize("body", [None, [], [1, 2], "page", 42], ids=repr)
async def test_a_page_of_the_wrong_json_shape_is_a_clear_error(
    live: Live, state_db: Settings, body: Any
) -> None:
    live.server.inject(Fault(kind="json", body=body, when=_page(live.case, 1)))
    if live.case is FONE and body == []:  # Fone Dynamics' own empty last page: the sync ends
        result = await sync(live, database=state_db, import_page=Sink(live.case.items))
        finished = await sync(live, database=state_db, import_page=Sink(live.case.items))
        assert result.state.next is None and result.state.totals["rejected"] == 0
        assert finished.resumed_from is None, "a finished sync starts again at page one"
        return
    with pytest.raises(SyncFailed) as failure:
        await sync(live, database=state_db, import_page=Sink(live.case.items))
    assert re.match(r"not a .*(response|page): ", _one_line(failure))


@pytest.mark.parametrize(
    ("metadata", "problem"),
    [
        ({"total_pages": "many"}, "metadata.total_pages: Input should be a valid integer"),
        ({"total_count": [3]}, "metadata.total_count: Input should be a valid integer"),
    ],
)
async def test_trackdrive_metadata_that_is_not_numbers_is_named(
    state_db: Settings, metadata: dict[str, Any], problem: str
) -> None:
    with fake_vendor(TRACKDRIVE) as live:
        body = {"leads": [{"id": 1}], "metadata": metadata}
        live.server.inject(Fault(kind="json", body=body))
        with pytest.raises(SyncFailed, match=re.escape(problem)):
            await sync(live, database=state_db, import_page=Sink(TRACKDRIVE.items))


async def test_a_repeated_cursor_stops_the_sync(state_db: Settings) -> None:
    looping = {
        "success": True,
        "data": butter_phone_numbers(5)[3:5],
        "pagination": {"has_more": True, "next_cursor": "cur_3"},  # the cursor it came from
    }
    with fake_vendor(BUTTER) as live:
        live.server.inject(Fault(kind="json", body=looping, when={"cursor": "cur_3"}))
        sink = Sink(BUTTER.items)
        with pytest.raises(SyncFailed, match=r"sent position 'cur_3' again after 'cur_3'"):
            await sync(live, database=state_db, import_page=sink)
    assert len(sink.payloads) == 1  # the looping page is not imported


async def test_an_empty_page_that_says_more_follow_stops_the_sync(state_db: Settings) -> None:
    empty = {"success": True, "data": [], "pagination": {"has_more": True, "next_cursor": "x"}}
    with fake_vendor(BUTTER) as live:
        live.server.inject(Fault(kind="json", body=empty, when={"cursor": "cur_3"}))
        with pytest.raises(SyncFailed, match=r"the page at 'cur_3' is empty yet says more follow"):
            await sync(live, database=state_db, import_page=Sink(BUTTER.items))


async def test_a_vendor_that_always_sends_the_same_full_page_is_stopped(state_db: Settings) -> None:
    with fake_vendor(FONE) as live:  # ignores Results_Skip: every page is the first
        live.server.inject(Fault(kind="json", body=fone_calls(3), times=100))
        with pytest.raises(SyncFailed) as failure:
            await sync(live, database=state_db, import_page=Sink(FONE.items))
    assert "the page at 3 repeats the records of the page at 0" in _one_line(failure)
    assert len(live.server.log) == 2


async def test_more_records_than_the_vendor_total_stops_the_sync(state_db: Settings) -> None:
    billion = {"total_pages": 10**9, "total_records": 4, "sources": callrail_sources(6)[3:6]}
    with fake_vendor(CALLRAIL) as live:
        live.server.inject(Fault(kind="json", body=billion, when={"page": "2"}))
        with pytest.raises(SyncFailed, match=r"said 4 records in all, sent 6 in this run"):
            await sync(live, database=state_db, import_page=Sink(CALLRAIL.items))


async def test_max_pages_bounds_a_run_whatever_the_vendor_says(state_db: Settings) -> None:
    case = replace(CALLRAIL, records={"sources": callrail_sources(20)})
    with fake_vendor(case) as live:
        sink = Sink(case.items)
        with pytest.raises(SyncFailed) as failure:
            await sync(live, database=state_db, import_page=sink, limits=SyncLimits(max_pages=2))
    assert "the vendor sent more than 2 pages in this run (--max-pages)" in _one_line(failure)
    assert len(sink.payloads) == 2
