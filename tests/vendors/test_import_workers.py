"""`switchboard import --workers`: files validated in a worker process import exactly as files
validated in the writing process: same summaries, rejects, errors and rows."""

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from import_support import FIXTURES, load
from sqlalchemy import select, text

from app.db import create_engine
from app.ingest.files import PARALLEL_BYTES, ImportJob, worker_count
from app.ingest.prepare import prepare_file
from app.models import metadata
from app.models.enums import Vendor

SWITCHBOARD = str(Path(sys.executable).parent / "switchboard")
CALLS = load("fonedynamics/calls.json")


def call(sid: str, when: int, caller: str, to: str = "+61290001234") -> dict[str, Any]:
    return {**CALLS[0], "CallSid": sid, "DateTime": str(when), "From": caller, "To": to}


def files(folder: Path) -> list[Path]:
    """Pages covering each path through an import: good calls, a record the model refuses,
    one refused when its number is resolved, national and anonymous callers, a caller's older
    call arriving in a later file, a file that is not JSON and one of the wrong shape."""
    pages: dict[str, Any] = {
        "1-calls.json": CALLS,
        "2-mixed.json": [
            call("CA-national", 1717300000, "0412 345 679"),
            {**CALLS[1], "CallSid": "CA-bad-date", "DateTime": "yesterday"},
            call("CA-bad-number", 1717300100, "+61412345670", to="hello"),
            call("CA-anonymous", 1717300200, "anonymous"),
            call("CA-repeat", 1717300300, "+61412345679"),
        ],
        "3-older.json": [call("CA-older", 1717100000, "+61412345678")],
        "4-not-json.json": "<html>502 Bad Gateway</html>",
        "5-wrong-shape.json": load("butter/phone_numbers.json"),
    }
    paths = []
    for name, page in pages.items():
        path = folder / name
        path.write_text(page if isinstance(page, str) else json.dumps(page))
        paths.append(path)
    return paths


def run_import(database_url: str, paths: list[Path], workers: int, cwd: Path) -> Any:
    return subprocess.run(
        [SWITCHBOARD, "--database-url", database_url, "import", "fone-dynamics", "calls",
         *map(str, paths), "--workers", str(workers)],
        capture_output=True, text=True, cwd=cwd, timeout=120, check=False,
    )  # fmt: skip


async def _rows(database_url: str, *, empty_after: bool) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows by id, without the clock's columns; optionally emptied afterwards
    (ids start again at 1 on both databases)."""
    engine = create_engine_for(database_url)
    try:
        async with engine.begin() as conn:
            found = {}
            for table in metadata.sorted_tables:
                rows = (await conn.execute(select(table).order_by(table.c.id))).mappings()
                found[table.name] = [
                    {k: v for k, v in row.items() if k not in ("created_at", "updated_at")}
                    for row in rows
                ]
            if empty_after:
                await _empty(conn)
            return found
    finally:
        await engine.dispose()


async def _empty(conn: Any) -> None:
    if conn.dialect.name == "postgresql":
        tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
        await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        return
    for table in reversed(metadata.sorted_tables):
        await conn.execute(table.delete())


def create_engine_for(database_url: str) -> Any:
    from app.settings import Settings

    return create_engine(Settings(database_url=database_url))


def test_a_worker_imports_what_this_process_imports(database_url: str, tmp_path: Path) -> None:
    paths = files(tmp_path)
    here = run_import(database_url, paths, 0, tmp_path)
    rejects_here = (tmp_path / "rejects.jsonl").read_text()
    rows_here = asyncio.run(_rows(database_url, empty_after=True))
    (tmp_path / "rejects.jsonl").unlink()

    worker = run_import(database_url, paths, 1, tmp_path)
    rows_worker = asyncio.run(_rows(database_url, empty_after=False))

    assert here.returncode == worker.returncode == 1  # two files fail as a whole
    assert "1 worker process" in worker.stderr and "worker process" not in here.stderr
    assert worker.stdout == here.stdout
    assert worker.stdout.splitlines()[1] == (
        f"{paths[1]}: calls: created 3, updated 0, unchanged 0, rejected 2"
    )
    errors = [line for line in worker.stderr.splitlines() if line.startswith("error:")]
    assert errors == [line for line in here.stderr.splitlines() if line.startswith("error:")]
    assert [line.split(":")[1].strip() for line in errors] == [str(paths[3]), str(paths[4])]
    assert (tmp_path / "rejects.jsonl").read_text() == rejects_here
    reasons = [json.loads(line)["reason"] for line in rejects_here.splitlines()]
    assert reasons == [
        "DateTime: not a Unix timestamp: 'yesterday'",
        "To: not a phone number: 'hello'",
    ]
    assert rows_worker == rows_here
    first_calls = {c["external_id"] for c in rows_worker["call"] if c["is_first_call"]}
    assert "CA-older" in first_calls and CALLS[0]["CallSid"] not in first_calls
    assert {c["e164"] for c in rows_worker["caller"]} >= {"+61412345679"}  # the national form


def test_prepare_file_validates_and_parses_international_callers(tmp_path: Path) -> None:
    path = files(tmp_path)[1]

    prepared = prepare_file(Vendor.FONE_DYNAMICS, "calls", path)

    assert prepared.count == 5
    assert [position for position, _, _ in prepared.items] == [0, 2, 3, 4]
    assert [(r.position, r.external_id) for r in prepared.rejects] == [(1, "CA-bad-date")]
    # National forms wait for the company's region; anonymous text is no number at all.
    assert prepared.callers == {
        "+61412345670": ("+61412345670", True),
        "+61412345679": ("+61412345679", True),
    }


@pytest.mark.parametrize(
    ("sizes", "given", "cpus", "expected"),
    [
        ([PARALLEL_BYTES // 2, PARALLEL_BYTES // 2], None, 2, 1),
        ([PARALLEL_BYTES // 2, PARALLEL_BYTES // 4], None, 2, 0),  # too little to pay off
        ([PARALLEL_BYTES * 2], None, 2, 0),  # one file: nothing to validate ahead
        ([PARALLEL_BYTES, PARALLEL_BYTES], None, 1, 0),  # no core to spare
        ([10, 10], 2, 1, 2),  # --workers decides
    ],
)
def test_worker_count(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    sizes: list[int],
    given: int | None,
    cpus: int,
    expected: int,
) -> None:
    paths = []
    for number, size in enumerate(sizes):
        paths.append(tmp_path / f"{number}.json")
        paths[-1].write_bytes(b" " * size)
    monkeypatch.setattr(os, "cpu_count", lambda: cpus)
    job = ImportJob(
        vendor=Vendor.FONE_DYNAMICS, resource="calls", files=paths, account="acme", company=None,
        rejects_path=tmp_path / "rejects.jsonl", out=sys.stdout, err=sys.stderr, workers=given,
    )  # fmt: skip
    assert worker_count(job) == expected


def test_workers_must_not_be_negative(tmp_path: Path) -> None:
    result = run_import("sqlite:///nowhere/x.db", [FIXTURES / "fonedynamics" / "calls.json"], -1,
                        tmp_path)  # fmt: skip
    assert result.returncode == 2
    assert "--workers: must be 0 or more, not -1" in result.stderr
