"""`switchboard sync` end to end: the fake vendor server, the real importer, a migrated database
(SQLite, and PostgreSQL when TEST_DATABASE_URL is set)."""

import asyncio
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from app.cli import main
from app.core.db import create_engine
from app.core.settings import Settings
from app.models import Call, Lead, Number, Source, StoredSyncState

from helpers.fake_vendor import Fault
from helpers.sync_cases import (
    ACCOUNT,
    CASES,
    Live,
    VendorCase,
    callrail_sources,
    fake_vendor,
    unfinished,
)

COMMANDS = {
    "CALLRAIL": "callrail",
    "FONE_DYNAMICS": "fonedynamics",
    "BUTTER": "butter",
    "TRACKDRIVE": "trackdrive",
}
TABLES = {"sources": Source, "calls": Call, "phone-numbers": Number, "leads": Lead}


@pytest.fixture(scope="module", params=CASES, ids=lambda case: case.id)
def running(request: pytest.FixtureRequest) -> Iterator[Live]:
    with fake_vendor(request.param) as live:
        yield live


@pytest.fixture
def live(running: Live) -> Live:
    running.server.reset()
    return running


def switchboard_sync(live: Live, *, settings: Settings, rejects_dir: Path) -> int:
    """Run the CLI as a user would, credentials as options, retries fast."""
    case = live.case
    argv = [
        "--database-url",
        settings.database_url,
        "sync",
        COMMANDS[case.vendor.name],
        case.resource,
        "--base-url",
        live.url,
        "--account",
        ACCOUNT,
        "--company",
        "ACME",
        "--rejects",
        str(rejects_dir / "rejects.jsonl"),
        "--attempts",
        "2",
        "--backoff",
        "0",
    ]
    for name, value in case.credentials.items():
        argv += [f"--{name.replace('_', '-')}", value]
    if case.page_size:
        argv += ["--page-size", str(case.page_size)]
    return main(argv)


def count_rows(settings: Settings, case: VendorCase) -> int:
    async def count() -> int:
        engine = create_engine(settings)
        try:
            async with engine.connect() as conn:
                table = TABLES[case.resource].__table__
                return int((await conn.execute(select(func.count()).select_from(table))).scalar())
        finally:
            await engine.dispose()

    return asyncio.run(count())


def test_sync_imports_every_page_and_a_rerun_changes_nothing(
    live: Live, settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = len(live.case.records[live.case.resource])
    pages = len(live.case.positions)

    assert switchboard_sync(live, settings=settings, rejects_dir=tmp_path) == 0
    out = capsys.readouterr().out
    assert (
        f"{live.case.resource}: created {records}, updated 0, unchanged 0, rejected 0 "
        f"({pages} pages)" in out
    )
    assert count_rows(settings, live.case) == records

    assert switchboard_sync(live, settings=settings, rejects_dir=tmp_path) == 0
    assert f"created 0, updated 0, unchanged {records}, rejected 0" in capsys.readouterr().out
    assert count_rows(settings, live.case) == records


def test_a_failed_sync_says_how_to_resume_and_the_rerun_fetches_only_the_rest(
    live: Live, settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = live.case
    third = {case.position: case.positions[2]}
    live.server.inject(Fault(kind="status", status=502, when=third, times=2))

    assert switchboard_sync(live, settings=settings, rejects_dir=tmp_path) == 1
    err = capsys.readouterr().err.splitlines()[-1]
    assert "failed after 2 attempts: HTTP 502" in err
    assert "2 page(s) imported, rerun the same command to resume" in err
    assert len(asyncio.run(unfinished(settings))) == 1

    live.server.log.clear()
    assert switchboard_sync(live, settings=settings, rejects_dir=tmp_path) == 0
    records = len(case.records[case.resource])
    assert f"created {records}, updated 0, unchanged 0, rejected 0 (3 pages, resumed)" in (
        capsys.readouterr().out
    )
    assert live.server.served(case.position) == [case.positions[2]]
    assert count_rows(settings, case) == records
    assert asyncio.run(unfinished(settings)) == []


def test_rejected_records_are_reported_with_their_page(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = callrail_sources(5)
    sources[3]["created_at"] = "yesterday"  # on page 2 of 3-record pages
    case = replace(CASES[0], records={"sources": sources})
    with fake_vendor(case) as live:
        assert switchboard_sync(live, settings=settings, rejects_dir=tmp_path) == 0

    out, err = capsys.readouterr()
    assert "sources: created 4, updated 0, unchanged 0, rejected 1 (2 pages)" in out
    assert "rejected: page 2 record 0 (240917261): created_at: not an ISO 8601" in err
    (line,) = (tmp_path / "rejects.jsonl").read_text().splitlines()
    reject = json.loads(line)
    assert (reject["page"], reject["position"], reject["record"]) == (2, 0, sources[3])


def lease_until(settings: Settings, owner: str, expires: datetime) -> None:
    """Set every sync_state row's lease, as another process running the sync holds it."""

    async def write() -> None:
        engine = create_engine(settings)
        try:
            async with engine.begin() as conn:
                table = StoredSyncState.__table__
                values = {"lease_owner": owner, "lease_expires_at": expires}
                await conn.execute(update(table).values(values))
        finally:
            await engine.dispose()

    asyncio.run(write())


def test_a_second_run_of_a_sync_fails_at_once_while_another_holds_its_lease(
    live: Live, settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert switchboard_sync(live, settings=settings, rejects_dir=tmp_path) == 0
    capsys.readouterr()
    live.server.log.clear()
    soon = datetime.now(UTC) + timedelta(minutes=1)
    lease_until(settings, "other-host:4242:beef", soon)  # as a running sync holds it

    assert switchboard_sync(live, settings=settings, rejects_dir=tmp_path) == 1
    err = capsys.readouterr().err
    assert "another run of this sync" in err
    assert "other-host:4242:beef holds its lease until" in err
    assert live.server.served(live.case.position) == []  # nothing fetched

    lease_until(settings, "other-host:4242:beef", datetime.now(UTC) - timedelta(seconds=1))
    assert switchboard_sync(live, settings=settings, rejects_dir=tmp_path) == 0  # expired: taken
    assert live.server.served(live.case.position) == live.case.positions
