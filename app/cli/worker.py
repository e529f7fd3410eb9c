"""`switchboard worker`: run each scheduled vendor sync when it is due, beside `switchboard
serve`; any number of workers may share one database (the lease keeps each sync to one)."""

import argparse
import asyncio
import json
import signal
import sys
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncEngine

from app.cli.schedules import parse_sync, run_credentials
from app.cli.sync import UsageError, build_request, summary_line, sync_with
from app.core.migrate import DatabaseOutOfDate, check_current
from app.core.settings import Settings
from app.sync.lease import DEFAULT_LEASE_SECONDS, new_owner
from app.sync.schedules import label as _label
from app.sync.schedules import matches
from app.sync.state import SyncBusy, SyncFailed, state_key
from app.sync.store import Cadence, DatabaseStateStore
from app.sync.worker import Outcome, Worker
from app.vendors.registry import client_spec

PROG = "switchboard worker"


@dataclass(frozen=True, kw_only=True)
class RunOptions:
    """What every scheduled run of one worker shares."""

    engine: AsyncEngine
    settings: Settings
    owner: str
    lease_seconds: float
    failure_backoff: float

    def store(self, row: RowMapping) -> dict[str, Any]:
        """DatabaseStateStore options for a run of `row`'s schedule."""
        cadence = Cadence(interval=row["interval_seconds"], failure_backoff=self.failure_backoff)
        return {"owner": self.owner, "lease_seconds": self.lease_seconds, "cadence": cadence}


async def run_schedule(row: RowMapping, *, options: RunOptions) -> Outcome:
    """One scheduled sync, as `switchboard sync` would run its stored arguments."""
    label = _label(row)
    try:
        args = _parsed(json.loads(row["arguments"]))
        spec = client_spec(args.sync_vendor)
        env = json.loads(row["credential_env"])
        found = run_credentials(args, spec=spec, env=env)
        request = build_request(args, spec=spec, found=found)
        account = args.account or options.settings.default_account
        key = state_key(spec=spec, request=request, base_url=args.base_url, account=account)
        if not matches(row, key):
            raise UsageError("its arguments no longer name the sync it was added for: re-add it")
    except UsageError as error:
        return await _refused(row, options=options, error=str(error))
    try:
        result = await sync_with(
            args, settings=options.settings, engine=options.engine, spec=spec, request=request,
            **options.store(row),
        )  # fmt: skip
    except SyncBusy as error:
        return Outcome(row["id"], label, "skipped", f"skipped: {error}")
    except SyncFailed as error:
        return Outcome(row["id"], label, "failed", f"failed: {error}")
    return Outcome(row["id"], label, "succeeded", summary_line(result, resource=request.resource))


def _parsed(arguments: list[str]) -> argparse.Namespace:
    try:
        return parse_sync(arguments, prog=PROG)
    except SystemExit:  # argparse has said why on stderr
        raise UsageError(f"its stored arguments no longer parse: {' '.join(arguments)}") from None


async def _refused(row: RowMapping, *, options: RunOptions, error: str) -> Outcome:
    """A schedule that cannot start: its failure recorded like a failed run's (state kept)."""
    key = json.loads(row["state_key"])
    store = DatabaseStateStore(engine=options.engine, key=key, **options.store(row))
    try:
        async with store.hold():
            await store.fail(await store.begin(), error=error)
    except SyncBusy as busy:
        return Outcome(row["id"], _label(row), "skipped", f"skipped: {busy}")
    return Outcome(row["id"], _label(row), "failed", f"failed: {error}")


def _report(outcome: Outcome) -> None:
    print(outcome.text(), flush=True)


async def _work(args: argparse.Namespace, settings: Settings) -> list[Outcome]:
    from app.core.db import create_engine

    engine = create_engine(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        await check_current(engine, settings)
        options = RunOptions(
            engine=engine, settings=settings, owner=new_owner(),
            lease_seconds=args.lease_seconds, failure_backoff=args.failure_backoff,
        )  # fmt: skip
        concurrency = args.concurrency or (1 if settings.is_sqlite else 4)
        print(f"{PROG} {options.owner}: {concurrency} sync(s) at a time", file=sys.stderr)
        worker = Worker(
            engine=engine,
            run_one=lambda row: run_schedule(row, options=options),
            concurrency=concurrency,
            poll_seconds=args.poll,
            report=_report,
        )
        return await worker.run(stop=stop, once=args.once)
    finally:
        await engine.dispose()


def check_options(args: argparse.Namespace) -> None:
    if args.concurrency is not None and args.concurrency < 1:
        raise UsageError("--concurrency must be at least 1")
    if args.poll <= 0 or args.lease_seconds < 1:
        raise UsageError("--poll must be more than 0 and --lease-seconds at least 1")
    if args.failure_backoff < 0:
        raise UsageError("--failure-backoff must be at least 0")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run due schedules until SIGTERM/SIGINT (or, with --once, until none is due)."""
    try:
        check_options(args)
    except UsageError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 2
    try:
        outcomes = asyncio.run(_work(args, settings))
    except DatabaseOutOfDate as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 1
    failed = sum(outcome.status == "failed" for outcome in outcomes)
    print(f"{PROG}: {len(outcomes)} run(s), {failed} failed", file=sys.stderr)
    return 1 if args.once and failed else 0


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    worker = sub.add_parser("worker", help="run the scheduled vendor syncs when they are due")
    worker.add_argument("--once", action="store_true", help="run what is due, then exit")
    worker.add_argument(
        "--concurrency", type=int, help="syncs at once (default 1 on SQLite, 4 on PostgreSQL)"
    )
    worker.add_argument(
        "--poll", type=float, default=10.0, help="seconds between looks for due syncs (10)"
    )
    worker.add_argument(
        "--lease-seconds",
        type=float,
        default=DEFAULT_LEASE_SECONDS,
        help="a sync's lease; renewed every quarter of it, after it a stopped worker's sync "
        f"is taken over (default {DEFAULT_LEASE_SECONDS:g})",
    )
    worker.add_argument(
        "--failure-backoff",
        type=float,
        default=60.0,
        help="seconds before a failed sync runs again, doubling per failure up to its interval",
    )
    worker.set_defaults(func=run)
