"""Fone Dynamics' client: account or property paths, Results_Skip/Results_Count, short pages."""

from dataclasses import replace

from app.core.settings import Settings

from helpers.sync_cases import CASES, Sink, fake_vendor, fone_calls, fone_numbers, sync

FONE = CASES[1]


async def test_numbers_come_from_the_account_path_with_basic_auth(state_db: Settings) -> None:
    case = replace(FONE, resource="numbers", records={"numbers": fone_numbers(5), "calls": []})
    sink = Sink(case.items)
    with fake_vendor(case) as live:
        await sync(live, database=state_db, import_page=sink, page_size=2)
    assert {seen.path for seen in live.server.log} == {"/v2/Accounts/AC_TEST/Numbers"}
    assert live.server.served("Results_Skip") == ["0", "2", "4"]
    assert {seen.params["Results_Count"] for seen in live.server.log} == {"2"}
    assert sink.imported == case.records["numbers"]


async def test_a_property_syncs_only_its_own_calls(state_db: Settings) -> None:
    sink = Sink(FONE.items)
    with fake_vendor(FONE) as live:
        await sync(live, database=state_db, import_page=sink, subtree="PR_SYDNEY")
    assert {seen.path for seen in live.server.log} == {"/v2/Properties/PR_SYDNEY/Calls"}
    assert sink.imported == [c for c in FONE.records["calls"] if c["PropertySid"] == "PR_SYDNEY"]


async def test_after_and_before_filters_reach_the_vendor(state_db: Settings) -> None:
    sink = Sink(FONE.items)
    window = {"After": "1700000060", "Before": "1700000240"}  # calls 1, 2 and 3
    with fake_vendor(FONE) as live:
        await sync(live, database=state_db, import_page=sink, filters=window)
    assert all(seen.params.items() >= window.items() for seen in live.server.log)
    assert [call["CallSid"] for call in sink.imported] == ["CA00000001", "CA00000002", "CA00000003"]


async def test_a_total_that_fills_the_last_page_ends_on_an_empty_page(state_db: Settings) -> None:
    case = replace(FONE, records={"calls": fone_calls(6), "numbers": []})
    sink = Sink(case.items)
    with fake_vendor(case) as live:
        result = await sync(live, database=state_db, import_page=sink)
    assert live.server.served("Results_Skip") == ["0", "3", "6"]
    assert result.state.records == 6
    assert sink.payloads[-1] == []


async def test_asks_for_200_by_default(state_db: Settings) -> None:
    with fake_vendor(FONE) as live:
        await sync(live, database=state_db, import_page=Sink(FONE.items), page_size=None)
    (seen,) = live.server.log
    assert seen.params == {"Results_Skip": "0", "Results_Count": "200"}
