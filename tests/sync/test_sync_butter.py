"""Butter AI's client: next_cursor/has_more paging, the status filter."""

from app.core.settings import Settings

from helpers.sync_cases import CASES, Sink, fake_vendor, sync

BUTTER = CASES[2]


async def test_first_page_has_no_cursor_and_later_pages_send_next_cursor(
    state_db: Settings,
) -> None:
    with fake_vendor(BUTTER, butter_page_size=4) as live:
        await sync(live, database=state_db, import_page=Sink(BUTTER.items))
    first, second = live.server.log
    assert first.path == "/api/phone-numbers"
    assert "cursor" not in first.params
    assert second.params == {"cursor": "cur_4"}


async def test_status_filter_is_sent_on_every_page(state_db: Settings) -> None:
    sink = Sink(BUTTER.items)
    with fake_vendor(BUTTER, butter_page_size=2) as live:
        await sync(live, database=state_db, import_page=sink, filters={"status": "free"})
    assert [seen.params.get("status") for seen in live.server.log] == ["free", "free"]
    assert sink.imported == [n for n in BUTTER.records["phone-numbers"] if n["status"] == "free"]
