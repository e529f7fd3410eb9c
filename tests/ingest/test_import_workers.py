"""`switchboard import --workers`: files validated in a worker process import exactly as files
validated in the writing process: same summaries, rejects, errors and rows."""

import asyncio
import json
import os
import pickle
from pathlib import Path

import pytest

from app.ingest.files import PARALLEL_BYTES, ImportJob, worker_count
from app.ingest.validation import prepare_file
from app.models.enums import Vendor
from app.vendors.fonedynamics import mapping
from app.vendors.fonedynamics.payloads import FoneDynamicsCall

from helpers.imports import CALLS, FIXTURES, call, mixed_pages, switchboard_import, table_rows


def test_a_worker_imports_what_this_process_imports(database_url: str, tmp_path: Path) -> None:
    paths = mixed_pages(tmp_path)
    here = switchboard_import(database_url, paths, "--workers", "0", cwd=tmp_path)
    rejects_here = (tmp_path / "rejects.jsonl").read_text()
    rows_here = asyncio.run(table_rows(database_url, empty_after=True))
    (tmp_path / "rejects.jsonl").unlink()

    worker = switchboard_import(database_url, paths, "--workers", "1", cwd=tmp_path)
    rows_worker = asyncio.run(table_rows(database_url, empty_after=False))

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
    path = mixed_pages(tmp_path)[1]

    prepared = prepare_file(Vendor.FONE_DYNAMICS, "calls", path)

    assert prepared.count == 5
    assert [position for position, _, _ in prepared.items] == [0, 2, 3, 4]
    assert [(r.position, r.external_id) for r in prepared.rejects] == [(1, "CA-bad-date")]
    # National forms wait for the company's region; anonymous text is no number at all.
    assert prepared.callers == {
        "+61412345670": ("+61412345670", True),
        "+61412345679": ("+61412345679", True),
    }


def test_a_worker_leaves_callers_behind_a_region_prefix_to_the_region(
    database_url: str, tmp_path: Path
) -> None:
    """A caller "+0011 27 ..." is +27 dialled from Australia (its prefix 0011), the company's
    region here, and "+00 27 ..." no number from there: a worker cannot tell before the region.
    (The first file is validated in the writing process, the others in the worker.)"""
    paths = []
    for number, caller in enumerate(["+61412345678", "+0011 27 11 555 1234", "+00 27 11 555 1234"]):
        paths.append(tmp_path / f"{number}.json")
        paths[-1].write_text(json.dumps([call(f"CA-{number}", 1717300000 + number, caller)]))
    rows = {}
    for workers in ("0", "1"):
        result = switchboard_import(database_url, paths, "--workers", workers, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        rows[workers] = asyncio.run(table_rows(database_url, empty_after=True))
    assert rows["1"] == rows["0"]
    assert [caller["e164"] for caller in rows["1"]["caller"]] == ["+61412345678", "+27115551234"]
    assert [c["caller_id"] for c in rows["1"]["call"]] == [1, 2, None]


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
        workers=given,
    )  # fmt: skip
    assert worker_count(job) == expected


def test_workers_must_not_be_negative(tmp_path: Path) -> None:
    result = switchboard_import("sqlite:///nowhere/x.db", [FIXTURES / "fonedynamics" / "calls.json"],
                        "--workers", "-1", cwd=tmp_path)  # fmt: skip
    assert result.returncode == 2
    assert "--workers: must be 0 or more, not -1" in result.stderr


def test_a_prepared_file_carries_each_repeated_text_once(tmp_path: Path) -> None:
    """What a worker sends back: text that repeats from call to call (the city, the dialled
    number) is pickled once, however many calls name it; each call's own text every time."""
    path = tmp_path / "calls.json"
    calls = [call(f"CA-{i}", 1717300000 + i, f"+614123{i:05d}") for i in range(200)]
    path.write_text(json.dumps([{**c, "From_City": "Wagga Wagga"} for c in calls]))

    dumped = pickle.dumps(prepare_file(Vendor.FONE_DYNAMICS, "calls", path))

    assert dumped.count(b"Wagga Wagga") == 1
    assert dumped.count(b"+61290001234") == 1  # To, the dialled number
    assert dumped.count(b"CA-17") == 11  # CA-17 and CA-170 to CA-179: one each


def test_repeated_text_is_shared_within_a_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    def mapped(city: str) -> str:
        record = {**CALLS[0], "From_City": "".join(city)}  # a new string object each time
        return mapping.map_call(FoneDynamicsCall.model_validate(record)).fields["caller_city"]

    mapping._SHARED.clear()
    assert mapped("Wagga Wagga") is mapped("Wagga Wagga")
    monkeypatch.setattr(mapping, "SHARED_LIMIT", 20)
    cities = [mapped(f"Town {i}") for i in range(50)]
    assert cities == [f"Town {i}" for i in range(50)]
    assert len(mapping._SHARED) <= 20 + 14  # emptied past the limit, then one call's values
