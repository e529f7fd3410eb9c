"""CallRail's client: page/per_page up to 250, total_pages, the company_id filter."""

from app.core.settings import Settings

from helpers.sync_cases import CASES, Sink, fake_vendor, sync

CALLRAIL = CASES[0]


async def test_asks_for_the_largest_page_by_default(state_db: Settings) -> None:
    with fake_vendor(CALLRAIL) as live:
        await sync(live, database=state_db, import_page=Sink(CALLRAIL.items), page_size=None)
    (seen,) = live.server.log
    assert seen.path == "/v1/sources.json"
    assert seen.params == {"page": "1", "per_page": "250"}


async def test_company_id_filter_is_sent_on_every_page(state_db: Settings) -> None:
    sink = Sink(CALLRAIL.items)
    with fake_vendor(CALLRAIL) as live:
        await sync(
            live,
            database=state_db,
            import_page=sink,
            page_size=2,
            filters={"company_id": "254822795"},
        )
    wanted = [s for s in CALLRAIL.records["sources"] if s["company_id"] == 254822795]
    assert sink.imported == wanted
    assert [seen.params["company_id"] for seen in live.server.log] == ["254822795"] * 2
    assert [seen.params["page"] for seen in live.server.log] == ["1", "2"]


async def test_an_empty_account_is_one_request(state_db: Settings) -> None:
    empty = CALLRAIL.__class__(**{**CALLRAIL.__dict__, "records": {"sources": []}})
    sink = Sink(CALLRAIL.items)
    with fake_vendor(empty) as live:
        result = await sync(live, database=state_db, import_page=sink)
    assert len(live.server.log) == 1
    assert result.state.pages == 1
    assert sink.imported == []
