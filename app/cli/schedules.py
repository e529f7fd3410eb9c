"""`switchboard schedules add|list|remove`: the vendor syncs `switchboard worker` runs, each
stored as the arguments `switchboard sync` takes, with its interval; secrets stay in the
environment."""

import argparse
import asyncio
import os
import re
import sys
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from app.cli.sync import (
    DEFAULT_REJECTS,
    UsageError,
    add_vendor_parsers,
    build_request,
    credentials,
)
from app.core.migrate import DatabaseOutOfDate, check_current
from app.core.settings import Settings
from app.sync.lease import now
from app.sync.schedules import (
    NewSchedule,
    ScheduleError,
    add_schedule,
    interval_text,
    list_schedules,
    parse_interval,
    remove_schedule,
    vendor_name,
)
from app.sync.spec import ClientSpec
from app.sync.state import TOTALS, key_hash, state_key
from app.vendors.registry import client_spec

T = TypeVar("T")
SCHEDULE_OPTIONS = ("--every", "--env")
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
SYNC_ARGUMENTS = "VENDOR RESOURCE --base-url URL [sync options]"


def parse_sync(arguments: list[str], *, prog: str) -> argparse.Namespace:
    """`switchboard sync` arguments (from VENDOR on) parsed as the sync parses them."""
    parser = argparse.ArgumentParser(prog=prog, add_help=False)
    add_vendor_parsers(parser)
    return parser.parse_args(arguments)


def split_schedule_options(tokens: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """The sync's own arguments, and any --every/--env given among them (after VENDOR)."""
    rest: list[str] = []
    found: dict[str, list[str]] = {option: [] for option in SCHEDULE_OPTIONS}
    items = iter(tokens)
    for token in items:
        option, sep, value = token.partition("=")
        if option not in SCHEDULE_OPTIONS:
            rest.append(token)
        elif sep:
            found[option].append(value)
        else:
            found[option].append(next(items, ""))
    return rest, found


def credential_env(pairs: list[str], *, spec: ClientSpec) -> dict[str, str]:
    """--env NAME=VARIABLE pairs: the variable each secret credential is read from."""
    secrets = {c.name: c for c in spec.credentials if c.secret}
    found = {}
    for pair in pairs:
        name, _, variable = pair.partition("=")
        name = name.replace("-", "_")
        if name not in secrets:
            known = ", ".join(secrets) or "none"
            raise UsageError(
                f"--env takes SECRET=VARIABLE with SECRET one of {known}, not {pair!r}"
            )
        if not ENV_NAME.fullmatch(variable):
            raise UsageError(f"--env {name}= needs an environment variable name, not {variable!r}")
        found[name] = variable
    return found


def check_no_secrets(args: argparse.Namespace, *, spec: ClientSpec) -> None:
    """Secrets are never stored: each comes from the worker's environment when it runs."""
    for credential in spec.credentials:
        if credential.secret and getattr(args, credential.name, None):
            raise UsageError(
                f"{credential.option} is a secret and schedules do not store secrets: set "
                f"{credential.env} where the worker runs (or name another variable with "
                f"--env {credential.name}=VARIABLE)"
            )
    if args.state_dir is not None:
        raise UsageError("--state-dir is gone: scheduled syncs keep their state in the database")


def public_credentials(args: argparse.Namespace, *, spec: ClientSpec) -> dict[str, str]:
    """The non-secret credential ids (account SID, organization id), from options or the
    environment now; they name the sync and are stored with it."""
    return credentials(args, spec=spec, secrets=False)


def run_credentials(
    args: argparse.Namespace, *, spec: ClientSpec, env: Mapping[str, str]
) -> dict[str, str]:
    """What a scheduled run signs in with: stored ids, and secrets from the environment."""
    found = {}
    for credential in spec.credentials:
        variable = env.get(credential.name, credential.env)
        value = os.environ.get(variable) if credential.secret else getattr(args, credential.name)
        if not value:
            raise UsageError(
                f"missing {credential.help}: set {variable} in the worker's environment"
            )
        found[credential.name] = value
    return found


def build_schedule(args: argparse.Namespace, settings: Settings) -> NewSchedule:
    """The schedule `schedules add` describes, checked as `switchboard sync` checks a sync."""
    tokens, options = split_schedule_options(args.sync_arguments)
    if not tokens:
        raise UsageError(f"name the sync to schedule: {SYNC_ARGUMENTS}")
    every = [*(args.every or []), *options["--every"]]
    if len(every) != 1:
        raise UsageError("pass --every once: how often the sync runs (e.g. 15m, 2h, 1d)")
    interval = parse_interval(every[0])
    sync_args = parse_sync(tokens, prog="switchboard schedules add")
    spec = client_spec(sync_args.sync_vendor)
    check_no_secrets(sync_args, spec=spec)
    env = credential_env([*args.env, *options["--env"]], spec=spec)
    public = public_credentials(sync_args, spec=spec)
    request = build_request(sync_args, spec=spec, found=public)
    account = sync_args.account or settings.default_account
    key = state_key(spec=spec, request=request, base_url=sync_args.base_url, account=account)
    stored = [*tokens, *_pinned(sync_args, public=public, account=account, key=key)]
    return NewSchedule(key=key, arguments=stored, credential_env=env, interval=interval)


def _pinned(
    args: argparse.Namespace, *, public: dict[str, str], account: str, key: dict[str, Any]
) -> list[str]:
    """Arguments added so the stored sync does not move with the environment later: the
    account, the credential ids and a rejects file of its own."""
    pinned = [] if args.account else ["--account", account]
    for name, value in public.items():
        if not getattr(args, name, None):
            pinned += ["--" + name.replace("_", "-"), value]
    if args.rejects == DEFAULT_REJECTS:  # not given: not one file for every schedule
        rejects = f"var/rejects/{key['vendor']}-{key['resource']}-{key_hash(key)[:8]}.jsonl"
        pinned += ["--rejects", rejects.lower()]
    return pinned


def _run(settings: Settings, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
    """Run `work` in one transaction on a database at the code's schema revision."""
    from app.core.db import create_engine

    async def main() -> T:
        engine = create_engine(settings)
        try:
            await check_current(engine, settings)
            async with engine.begin() as conn:
                return await work(conn)
        finally:
            await engine.dispose()

    return asyncio.run(main())


def cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    """Store a schedule, due at once; print its id."""
    try:
        schedule = build_schedule(args, settings)
    except (UsageError, ScheduleError) as error:
        print(f"switchboard schedules add: {error}", file=sys.stderr)
        return 2
    try:
        schedule_id = _run(settings, lambda conn: add_schedule(conn, schedule))
    except (ScheduleError, DatabaseOutOfDate) as error:
        print(f"switchboard schedules add: {error}", file=sys.stderr)
        return 1
    key = schedule.key
    print(
        f"schedule {schedule_id}: {vendor_name(key['vendor'])} {key['resource']} from {key['base_url']} "
        f"into account {key['account']} every {interval_text(schedule.interval)}, due now"
    )
    return 0


def cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    try:
        removed = _run(settings, lambda conn: remove_schedule(conn, args.schedule_id))
    except DatabaseOutOfDate as error:
        print(f"switchboard schedules remove: {error}", file=sys.stderr)
        return 1
    if not removed:
        print(f"switchboard schedules remove: no schedule {args.schedule_id}", file=sys.stderr)
        return 1
    print(f"removed schedule {args.schedule_id} (its sync's state stays)")
    return 0


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    """One line a schedule: what it syncs, how often, its last result or progress, next run."""
    try:
        rows = _run(settings, list_schedules)
    except DatabaseOutOfDate as error:
        print(f"switchboard schedules list: {error}", file=sys.stderr)
        return 1
    for row in rows:
        print("\t".join(listed(row, at=now())))
    if not rows:
        print("no schedules: add one with `switchboard schedules add`", file=sys.stderr)
    return 0


def listed(row: RowMapping, *, at: datetime) -> tuple[str, ...]:
    return (
        str(row["id"]),
        row["account_name"],
        f"{vendor_name(row['vendor'])} {row['resource']}",
        row["base_url"],
        f"every {interval_text(row['interval_seconds'])}",
        "enabled" if row["enabled"] else "disabled",
        status_text(row, at=at),
        next_run_text(row["state_next_run_at"], at=at),
    )


def _when(value: datetime) -> str:
    return f"{value:%Y-%m-%d %H:%M:%S}Z"


def status_text(row: RowMapping, *, at: datetime) -> str:
    """The sync's progress while it runs, else how its last run ended."""
    status, pages, records = row["state_status"], row["state_pages"], row["state_records"]
    done = f"{pages} pages, {records} records"
    if status == "running" and lease_live(row, at=at):
        return (
            f"running since {_when(row['state_started_at'])}: {done} so far "
            f"(lease {row['state_lease_owner']} until {_when(row['state_lease_expires_at'])})"
        )
    if status == "running":
        return f"interrupted after {done} (its worker stopped): the next run resumes"
    if status == "succeeded":
        counts = ", ".join(f"{name} {row[f'state_{name}']}" for name in TOTALS)
        return f"succeeded {_when(row['state_finished_at'])}: {counts} ({pages} pages)"
    if status == "failed":
        return (
            f"failed {_when(row['state_finished_at'])} ({row['state_failures']} in a row): "
            f"{row['state_last_error']}"
        )
    return "never run"


def lease_live(row: RowMapping, *, at: datetime) -> bool:
    expires = row["state_lease_expires_at"]
    return row["state_lease_owner"] is not None and expires is not None and expires >= at


def next_run_text(when: datetime | None, *, at: datetime) -> str:
    if when is None or when <= at:
        return "next run due now"
    return f"next run {_when(when)}"


def _schedule_id(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(
            f"a schedule id is a number `schedules list` shows, not {text!r}"
        )
    return int(text)


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    schedules = sub.add_parser("schedules", help="add, list and remove the worker's vendor syncs")
    actions = schedules.add_subparsers(dest="schedules_command", required=True)
    add = actions.add_parser(
        "add",
        help="schedule a vendor sync for `switchboard worker`",
        description="Takes the arguments `switchboard sync` takes (from VENDOR on) and --every; "
        "secrets are read from the worker's environment when the sync runs, never stored.",
    )
    add.add_argument("--every", action="append", help="how often: 900, 30s, 15m, 2h, 1d")
    add.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="SECRET=VARIABLE",
        help="read a secret (api_key, token, private_key...) from VARIABLE, not its usual one",
    )
    add.add_argument("sync_arguments", nargs=argparse.REMAINDER, metavar=SYNC_ARGUMENTS)
    add.set_defaults(func=cmd_add)
    listing = actions.add_parser("list", help="each schedule with its last result or progress")
    listing.set_defaults(func=cmd_list)
    remove = actions.add_parser("remove", help="delete a schedule by the id `list` shows")
    remove.add_argument("schedule_id", type=_schedule_id, metavar="ID")
    remove.set_defaults(func=cmd_remove)
