"""`switchboard import --bulk`: a run of calls into SQLite as one transaction, a savepoint per
file, the call table's secondary indexes dropped and built again at its end. It must store
exactly what per-file transactions store, first-call flags included, and leave nothing of the
run behind when it dies midway."""

import asyncio
import json
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from app.core.db import create_engine
from app.core.settings import Settings
from app.ingest.bulk import BulkRefused, bulk_wanted

from helpers.imports import (
    CALLS,
    call,
    import_command,
    mixed_pages,
    switchboard_import,
    table_rows,
)

SECONDARY_CALL_INDEXES = {
    "ix_call_account_duration", "ix_call_account_started", "ix_call_caller_started",
    "ix_call_company_duration", "ix_call_company_started", "ix_call_number_started",
    "ix_call_source_started", "ix_call_account_changed",
}  # fmt: skip


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    """A migrated SQLite database of the test's own (bulk loading is SQLite's)."""
    path = tmp_path / "bulk.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


def run_pages(folder: Path) -> list[Path]:
    """The pages of one run after CALLS is stored: mixed_pages' second to fifth files, with a
    call that displaces a first call flagged by an earlier file of the run (so it is unflagged
    by external id), one that displaces a stored first call (by id) and a stored call moved
    before every other of its caller's (recomputed)."""
    paths = mixed_pages(folder)
    earlier = folder / "3b-earlier.json"
    earlier.write_text(json.dumps([
        call("CA-earliest", 1717250000, "+61412345679"),
        {**CALLS[3], "CallSid": "CA-before-stored", "DateTime": "1717100000"},
    ]))  # fmt: skip
    moved = folder / "3c-moved.json"
    moved.write_text(json.dumps([{**CALLS[2], "DateTime": "1717000000"}]))
    return [paths[1], paths[2], earlier, moved, paths[3], paths[4]]


def sqlite_path(database_url: str) -> str:
    return database_url.split("///", 1)[1]


def call_indexes(database_url: str) -> set[str]:
    with sqlite3.connect(sqlite_path(database_url)) as conn:
        rows = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'call' "
            "AND sql IS NOT NULL"
        )
        return {name for (name,) in rows}


def wrong_first_calls(database_url: str) -> int:
    """Calls whose flag disagrees with a recount by window function."""
    with sqlite3.connect(sqlite_path(database_url)) as conn:
        (wrong,) = conn.execute(
            "SELECT count(*) FROM (SELECT is_first_call AS flagged, caller_id IS NOT NULL AND "
            "row_number() OVER (PARTITION BY company_id, caller_id ORDER BY started_at, id) = 1 "
            "AS first FROM call) WHERE flagged != first"
        ).fetchone()
        return int(wrong)


def test_a_bulk_run_stores_what_per_file_transactions_store(
    sqlite_url: str, tmp_path: Path
) -> None:
    stored_first = mixed_pages(tmp_path)[0]
    paths = run_pages(tmp_path)
    outcomes: dict[str, Any] = {}
    for mode in ("--no-bulk", "--bulk"):
        before = switchboard_import(sqlite_url, [stored_first], "--no-bulk", cwd=tmp_path)
        assert before.returncode == 0, before.stderr
        result = switchboard_import(sqlite_url, paths, mode, "--workers", "0", cwd=tmp_path)
        assert call_indexes(sqlite_url) == SECONDARY_CALL_INDEXES
        assert wrong_first_calls(sqlite_url) == 0
        rejects = (tmp_path / "rejects.jsonl").read_text()
        (tmp_path / "rejects.jsonl").unlink()
        rows = asyncio.run(table_rows(sqlite_url, empty_after=True))
        outcomes[mode] = (result, rejects, rows)

    (per_file, rejects_per_file, rows_per_file), (bulk, rejects_bulk, rows_bulk) = (
        outcomes["--no-bulk"], outcomes["--bulk"]
    )  # fmt: skip
    assert "bulk load: one transaction; 8 call indexes" in bulk.stderr
    assert "bulk load" not in per_file.stderr
    assert bulk.returncode == per_file.returncode == 1  # two files fail as a whole
    assert bulk.stdout == per_file.stdout
    assert bulk.stdout.splitlines()[-1] == "calls: created 6, updated 1, unchanged 0, rejected 2 (4 of 6 files)"
    errors = [line for line in bulk.stderr.splitlines() if line.startswith("error:")]
    assert errors == [line for line in per_file.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2 and all("nothing imported from this file" in e for e in errors)
    assert rejects_bulk == rejects_per_file
    assert rows_bulk == rows_per_file
    first_calls = {c["external_id"] for c in rows_bulk["call"] if c["is_first_call"]}
    assert first_calls == {
        CALLS[2]["CallSid"],  # moved before CALLS[0] and CA-older
        "CA-earliest",  # before CA-national, flagged by the run's first file
        "CA-before-stored",  # before CALLS[3]
        CALLS[4]["CallSid"],
    }


def test_a_file_that_fails_inside_a_bulk_run_leaves_nothing_and_the_run_goes_on(
    sqlite_url: str, tmp_path: Path
) -> None:
    """A trigger makes the database refuse one call: its file has written a chunk of calls and
    created their callers when it fails, and its savepoint takes them back; the next file meets
    the same callers as new. Stored exactly as with a transaction per file."""
    first = tmp_path / "1-first.json"
    first.write_text(json.dumps(CALLS))
    doomed_calls = [call(f"CA-doomed-{i}", 1717400000 + i, f"+6141000{i:04d}") for i in range(2600)]
    doomed = tmp_path / "2-doomed.json"
    doomed.write_text(json.dumps([*doomed_calls, call("CA-explodes", 1717500000, "+61410009999")]))
    after = tmp_path / "3-after.json"
    after.write_text(json.dumps([call("CA-after", 1717600000, "+61410000001")]))
    with sqlite3.connect(sqlite_path(sqlite_url)) as conn:
        conn.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON call WHEN NEW.external_id = 'CA-explodes' "
            "BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); END"
        )
    outcomes = {}
    for mode in ("--no-bulk", "--bulk"):
        result = switchboard_import(sqlite_url, [first, doomed, after], mode, cwd=tmp_path)
        outcomes[mode] = (result, asyncio.run(table_rows(sqlite_url, empty_after=True)))

    (per_file, rows_per_file), (bulk, rows_bulk) = outcomes["--no-bulk"], outcomes["--bulk"]
    assert bulk.returncode == per_file.returncode == 1
    assert f"error: {doomed}: IntegrityError: " in bulk.stderr
    assert "refused by the test trigger" in bulk.stderr
    assert bulk.stdout == per_file.stdout
    assert bulk.stdout.splitlines()[-1] == (
        "calls: created 6, updated 0, unchanged 0, rejected 0 (2 of 3 files)"
    )
    assert rows_bulk == rows_per_file
    assert {c["external_id"] for c in rows_bulk["call"]} == {
        *(c["CallSid"] for c in CALLS), "CA-after"
    }
    assert len(rows_bulk["caller"]) == 4  # CALLS' three and CA-after's: the doomed ones are gone
    assert [c["is_first_call"] for c in rows_bulk["call"] if c["external_id"] == "CA-after"] == [
        True
    ]


def many_pages(folder: Path, *, files: int, calls: int) -> list[Path]:
    paths = []
    for number in range(files):
        page = [
            call(f"CA-{number}-{index}", 1717200000 + index, f"+614{number:02d}{index % 900:06d}")
            for index in range(calls)
        ]
        paths.append(folder / f"page-{number}.json")
        paths[-1].write_text(json.dumps(page))
    return paths


def test_a_bulk_run_killed_midway_leaves_nothing_and_readers_keep_the_indexes(
    sqlite_url: str, tmp_path: Path
) -> None:
    paths = many_pages(tmp_path, files=8, calls=4000)
    command = import_command(sqlite_url, paths, "--bulk", "--workers", "0")
    with subprocess.Popen(command, cwd=tmp_path, stderr=subprocess.PIPE, text=True) as process:
        try:
            assert process.stderr is not None
            for line in process.stderr:
                if line.startswith("bulk load:"):
                    break
            # The run has dropped the indexes in its transaction; a reader still sees them,
            # and none of the run's calls, whatever the run has written so far.
            assert call_indexes(sqlite_url) == SECONDARY_CALL_INDEXES
            with sqlite3.connect(sqlite_path(sqlite_url)) as reader:
                assert reader.execute("SELECT count(*) FROM call").fetchone() == (0,)
            time.sleep(1)  # into the files
            assert process.poll() is None, "the run ended before it could be killed"
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
        finally:
            process.kill()
    assert process.returncode == -signal.SIGKILL

    assert call_indexes(sqlite_url) == SECONDARY_CALL_INDEXES
    with sqlite3.connect(sqlite_path(sqlite_url)) as conn:
        assert conn.execute("SELECT count(*) FROM call").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM caller").fetchone() == (0,)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    rerun = switchboard_import(sqlite_url, paths, "--bulk", "--workers", "0", cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stdout.splitlines()[-1] == (
        "calls: created 32000, updated 0, unchanged 0, rejected 0 (8 of 8 files)"
    )
    assert wrong_first_calls(sqlite_url) == 0


def test_bulk_is_refused_where_it_does_not_apply(database_url: str, tmp_path: Path) -> None:
    calls = mixed_pages(tmp_path)[0]
    resource, path = ("numbers", tmp_path / "numbers.json")
    path.write_text(json.dumps([]))
    if database_url.startswith("postgresql"):
        resource, path = "calls", calls
    result = switchboard_import(database_url, [path], "--bulk", cwd=tmp_path, resource=resource)
    assert result.returncode == 1
    assert result.stderr.strip() == "error: --bulk applies to calls imports into SQLite only"
    rows = asyncio.run(table_rows(database_url, empty_after=False))
    assert rows["call"] == [] and rows["account"] == []


@pytest.mark.parametrize(
    ("sizes", "asked", "bytes_per_call", "expected"),
    [
        ([600, 600], None, 100, True),  # 1,200 bytes: 12 calls by estimate, 3 stored
        ([200], None, 100, False),  # below the least size
        ([600, 600], None, 400, False),  # 3 calls by estimate, 3 stored
        ([600, 600], False, 100, False),  # --no-bulk
        ([10], True, 100, True),  # --bulk
    ],
)
def test_bulk_is_chosen_for_many_calls_into_a_table_of_fewer(
    sqlite_url: str,
    tmp_path: Path,
    sizes: list[int],
    asked: bool | None,
    bytes_per_call: int,
    expected: bool,
) -> None:
    stored = switchboard_import(sqlite_url, [mixed_pages(tmp_path)[0]], cwd=tmp_path)
    assert stored.returncode == 0, stored.stderr
    paths = []
    for number, size in enumerate(sizes):
        paths.append(tmp_path / f"{number}.json")
        paths[-1].write_bytes(b" " * size)

    async def choose() -> bool:
        engine = create_engine(Settings(database_url=sqlite_url))
        try:
            return await bulk_wanted(
                engine, asked=asked, resource_kind="calls", files=paths, min_bytes=1000,
                bytes_per_call=bytes_per_call,
            )  # fmt: skip
        finally:
            await engine.dispose()

    assert asyncio.run(choose()) is expected


def test_bulk_is_never_chosen_on_its_own_for_postgresql_or_other_resources(
    database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b" " * 4096)

    async def choose(kind: str, asked: bool | None) -> bool:
        engine = create_engine(Settings(database_url=database_url))
        try:
            return await bulk_wanted(
                engine, asked=asked, resource_kind=kind, files=[path], min_bytes=1,
                bytes_per_call=1,
            )  # fmt: skip
        finally:
            await engine.dispose()

    sqlite = database_url.startswith("sqlite")
    assert asyncio.run(choose("calls", None)) is sqlite
    assert asyncio.run(choose("numbers", None)) is False
    if not sqlite:
        with pytest.raises(BulkRefused, match="SQLite only"):
            asyncio.run(choose("calls", True))


def test_a_bulk_run_refreshes_the_statistics_its_dropped_indexes_had(
    sqlite_url: str, tmp_path: Path
) -> None:
    paths = mixed_pages(tmp_path)
    assert switchboard_import(sqlite_url, paths[:1], cwd=tmp_path).returncode == 0
    with sqlite3.connect(sqlite_path(sqlite_url)) as conn:
        conn.execute("ANALYZE")

    result = switchboard_import(sqlite_url, paths[1:3], "--bulk", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    with sqlite3.connect(sqlite_path(sqlite_url)) as conn:
        rows = conn.execute("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'call'").fetchall()
    stats = dict(rows)
    assert set(stats) >= SECONDARY_CALL_INDEXES
    assert stats["ix_call_caller_started"].split()[0] == "9"  # CALLS' 5, then 3 + 1 new calls


def test_a_bulk_run_that_fails_at_its_end_stores_nothing_and_says_so(
    sqlite_url: str, tmp_path: Path
) -> None:
    """A trigger points one call at a Number that does not exist: references are checked at
    commit, so per-file transactions lose that call's file, and a bulk run loses every file."""
    paths = mixed_pages(tmp_path)[:3]
    with sqlite3.connect(sqlite_path(sqlite_url)) as conn:
        conn.execute(
            "CREATE TRIGGER dangle AFTER INSERT ON call WHEN NEW.external_id = 'CA-older' "
            "BEGIN UPDATE call SET number_id = 999999 WHERE id = NEW.id; END"
        )

    per_file = switchboard_import(sqlite_url, paths, "--no-bulk", cwd=tmp_path)
    stored_per_file = asyncio.run(table_rows(sqlite_url, empty_after=True))
    (tmp_path / "rejects.jsonl").unlink()
    bulk = switchboard_import(sqlite_url, paths, "--bulk", cwd=tmp_path)

    assert per_file.returncode == 1 and f"error: {paths[2]}: IntegrityError" in per_file.stderr
    assert len(stored_per_file["call"]) == 8  # the first two files
    assert bulk.returncode == 1
    assert "error: the bulk run failed at its end and rolled back, nothing from its files was " \
        "stored: IntegrityError: " in bulk.stderr  # fmt: skip
    assert "Traceback" not in bulk.stderr
    assert bulk.stdout == (  # no file lines: none of them was stored
        "calls: created 0, updated 0, unchanged 0, rejected 0 (0 of 3 files)\n"
    )
    assert not (tmp_path / "rejects.jsonl").exists()
    stored = asyncio.run(table_rows(sqlite_url, empty_after=False))
    assert stored["call"] == [] and stored["caller"] == [] and stored["account"] == []
    assert call_indexes(sqlite_url) == SECONDARY_CALL_INDEXES
