"""TrackDrive's client: page/per_page in the leads envelope, stopping on metadata or an empty
page."""

import pytest

from app.core.settings import Settings
from app.vendors.trackdrive.client import more_after

from helpers.sync_cases import CASES, Sink, fake_vendor, sync

TRACKDRIVE = CASES[3]


async def test_without_metadata_the_sync_stops_at_an_empty_page(state_db: Settings) -> None:
    sink = Sink(TRACKDRIVE.items)
    with fake_vendor(TRACKDRIVE, trackdrive_metadata=False) as live:
        await sync(live, database=state_db, import_page=sink)
    assert live.server.served("page") == ["1", "2", "3", "4"]
    assert {seen.params["per_page"] for seen in live.server.log} == {"3"}
    assert sink.imported == TRACKDRIVE.records["leads"]


async def test_asks_for_100_leads_a_page_by_default(state_db: Settings) -> None:
    with fake_vendor(TRACKDRIVE) as live:
        await sync(live, database=state_db, import_page=Sink(TRACKDRIVE.items), page_size=None)
    (seen,) = live.server.log
    assert seen.path == "/api/v1/leads"
    assert seen.params == {"page": "1", "per_page": "100"}


@pytest.mark.parametrize(
    ("page", "metadata", "more"),
    [
        (1, {"total_pages": 3}, True),
        (3, {"total_pages": 3}, False),
        (2, {"next_page": 3, "total_pages": 2}, True),  # next_page is the more direct answer
        (2, {"next_page": None}, False),
        (5, {}, True),  # silent metadata: only an empty page ends the sync
    ],
)
def test_metadata_says_whether_pages_follow(page: int, metadata: dict, more: bool) -> None:
    assert more_after(page=page, metadata=metadata) is more
