"""`switchboard worker` run as processes against the fake vendors, on both databases: a worker
killed mid-sync (SIGKILL) is resumed by the next from the database, SIGTERM stops one cleanly,
two workers together never run one sync twice, and a failing vendor does not stop the others."""

import asyncio
import signal
import time
from contextlib import ExitStack
from pathlib import Path

from sqlalchemy import func, select

from app.core.db import create_engine
from app.core.settings import Settings
from app.models import Source

from helpers.fake_vendor import Fault
from helpers.scheduling import (
    environment,
    finish,
    start_worker,
    switchboard,
    sync_arguments,
    wait_for_state,
)
from helpers.sync_cases import CASES, Live, fake_vendor, saved_states

CALLRAIL, FONE, BUTTER, TRACKDRIVE = CASES
LEASE = "2"  # seconds: short, so a killed worker's lease expires within the test


def add(
    settings: Settings,
    live: Live,
    tmp_path: Path,
    *,
    env: dict[str, str],
    options: tuple[str, ...] = (),
) -> None:
    """`switchboard schedules add --every 1h [options] VENDOR ...` for the case's fake server."""
    rejects = tmp_path / f"{live.case.id}-rejects.jsonl"
    argv = ["schedules", "add", "--every", "1h", *options, *sync_arguments(live, rejects=rejects)]
    added = switchboard(settings, *argv, env=env)
    assert added.returncode == 0, added.stderr


def sources(settings: Settings) -> int:
    async def count() -> int:
        engine = create_engine(settings)
        try:
            async with engine.connect() as conn:
                return int((await conn.execute(select(func.count()).select_from(Source))).scalar())
        finally:
            await engine.dispose()

    return asyncio.run(count())


def test_a_killed_worker_s_sync_is_resumed_from_the_database_by_the_next(
    settings: Settings, tmp_path: Path
) -> None:
    env = environment(CALLRAIL)
    with fake_vendor(CALLRAIL) as live:
        live.server.inject(Fault(kind="stall", seconds=8, when={"page": "3"}))
        add(settings, live, tmp_path, env=env)
        worker = start_worker(settings, "--lease-seconds", LEASE, "--poll", "0.2", env=env)
        try:
            wait_for_state(settings, lambda s: s["pages"] == 2 and s["status"] == "running")
        finally:
            worker.kill()  # SIGKILL: no chance to save, fail or release anything
            finish(worker)
        time.sleep(float(LEASE) + 0.5)
        listed = switchboard(settings, "schedules", "list").stdout
        assert "interrupted after 2 pages, 6 records (its worker stopped)" in listed

        live.server.log.clear()
        code, out, err = finish(start_worker(settings, "--once", env=env))
        assert code == 0, err
        assert live.server.served("page") == ["3"]  # pages 1 and 2 were not fetched again
    assert "sources: created 7, updated 0, unchanged 0, rejected 0 (3 pages, resumed)" in out
    assert sources(settings) == 7  # nothing lost, nothing twice
    (state,) = asyncio.run(saved_states(settings))
    assert (state["status"], state["lease_owner"], state["next_position"]) == (
        "succeeded", None, None,
    )  # fmt: skip


def test_sigterm_stops_a_worker_cleanly_and_the_next_run_resumes(
    settings: Settings, tmp_path: Path
) -> None:
    env = environment(CALLRAIL)
    with fake_vendor(CALLRAIL) as live:
        live.server.inject(Fault(kind="stall", seconds=8, when={"page": "2"}))
        add(settings, live, tmp_path, env=env)
        worker = start_worker(settings, "--poll", "0.2", env=env)
        wait_for_state(settings, lambda s: s["pages"] == 1 and s["status"] == "running")
        started = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        code, _, err = finish(worker, seconds=30)
        assert code == 0, err
        assert time.monotonic() - started < 5  # not waiting for the stalled page
        (state,) = asyncio.run(saved_states(settings))
        assert (state["status"], state["lease_owner"], state["pages"]) == ("failed", None, 1)
        assert "stopped by a signal; 1 page(s) imported" in state["last_error"]

        live.server.log.clear()
        code, out, err = finish(start_worker(settings, "--once", env=env))
        assert code == 0, err
        assert live.server.served("page") == ["2", "3"]
    assert "created 7, updated 0, unchanged 0, rejected 0 (3 pages, resumed)" in out
    assert sources(settings) == 7


def test_two_workers_started_together_never_run_one_sync_twice(
    settings: Settings, tmp_path: Path
) -> None:
    env = environment(*CASES)
    with ExitStack() as stack:
        lives = [stack.enter_context(fake_vendor(case)) for case in CASES]
        for live in lives:
            live.server.inject(Fault(kind="stall", seconds=0.5))  # slow first answer, retried
            add(settings, live, tmp_path, env=env)
        workers = [start_worker(settings, "--once", "--poll", "0.1", env=env) for _ in range(2)]
        results = [finish(worker) for worker in workers]
        for live in lives:  # each page fetched once: no sync ran in both workers
            assert live.server.served(live.case.position) == live.case.positions
    assert all(code == 0 for code, _, _ in results), results
    lines = [line for _, out, _ in results for line in out.splitlines()]
    for schedule in range(1, 5):
        ran = [line for line in lines if line.startswith(f"schedule {schedule} ")]
        assert len([line for line in ran if ": failed" not in line and "skipped" not in line]) == 1
    states = asyncio.run(saved_states(settings))
    assert [(s["status"], s["lease_owner"]) for s in states] == [("succeeded", None)] * 4


def test_a_failing_vendor_does_not_stop_the_other_schedules(
    settings: Settings, tmp_path: Path
) -> None:
    env = environment(TRACKDRIVE, WRONG_CALLRAIL_KEY="not-the-key")
    with fake_vendor(CALLRAIL) as callrail, fake_vendor(TRACKDRIVE) as trackdrive:
        add(settings, callrail, tmp_path, env=env, options=("--env", "api_key=WRONG_CALLRAIL_KEY"))
        add(settings, trackdrive, tmp_path, env=env)
        code, out, err = finish(start_worker(settings, "--once", env=env))
        assert trackdrive.server.served("page") == ["1", "2", "3"]
    assert code == 1, err  # something failed
    first, second = sorted(out.splitlines())
    assert first.startswith("schedule 1 callrail sources: failed: GET ")
    assert "returned HTTP 401 Unauthorized" in first
    assert "no page imported, its next run resumes (state: sync_state " in first
    assert (
        second
        == "schedule 2 trackdrive leads: leads: created 7, updated 0, unchanged 0, rejected 0 (3 pages)"
    )
    listed = switchboard(settings, "schedules", "list").stdout.splitlines()
    assert "\tfailed " in listed[0] and "(1 in a row): GET " in listed[0]
    assert "\tsucceeded " in listed[1] and ": created 7, updated 0" in listed[1]


def test_a_schedule_without_its_secret_fails_alone_naming_the_variable(
    settings: Settings, tmp_path: Path
) -> None:
    with fake_vendor(BUTTER) as live:
        add(settings, live, tmp_path, env=environment())
        code, out, _ = finish(start_worker(settings, "--once", env=environment()))
        assert live.server.log == []  # nothing sent without credentials
    assert code == 1
    assert out == (
        "schedule 1 butter phone-numbers: failed: missing Butter AI API key: set "
        "BUTTER_API_KEY in the worker's environment\n"
    )
    listed = switchboard(settings, "schedules", "list").stdout
    assert "missing Butter AI API key: set BUTTER_API_KEY" in listed
