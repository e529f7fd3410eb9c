"""Sync schedules in the database: adding, removing and listing them with their sync's state,
and finding the ones due to run."""

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, insert, or_, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from app.models import Account, SyncSchedule
from app.models.enums import Vendor
from app.sync.lease import STATE, now
from app.sync.state import key_hash
from app.sync.store import ensure_state_row
from app.vendors.registry import VENDORS

SCHEDULE = SyncSchedule.__table__
ACCOUNT = Account.__table__
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MAX_INTERVAL = 366 * 86400
INTERVAL = re.compile(r"(\d+)([smhd]?)")


class ScheduleError(ValueError):
    """A schedule that cannot be added or removed; the message is one line saying why."""


def parse_interval(text: str) -> int:
    """Seconds from "90", "30s", "15m", "2h" or "1d": at least 1 s, at most 366 days."""
    match = INTERVAL.fullmatch(text.strip().lower())
    if match is None:
        raise ScheduleError(f"--every takes seconds or a number with s, m, h or d, not {text!r}")
    seconds = int(match[1]) * UNITS[match[2] or "s"]
    if not 1 <= seconds <= MAX_INTERVAL:
        raise ScheduleError(f"--every must be between 1s and 366d, not {text!r}")
    return seconds


def interval_text(seconds: int) -> str:
    """The shortest exact way to write an interval: 900 -> "15m"."""
    for unit in ("d", "h", "m"):
        if seconds % UNITS[unit] == 0:
            return f"{seconds // UNITS[unit]}{unit}"
    return f"{seconds}s"


@dataclass(frozen=True, kw_only=True)
class NewSchedule:
    """A schedule as `schedules add` checked it: the sync's key and its stored arguments."""

    key: dict[str, Any]  # app.sync.state.state_key of the sync
    arguments: list[str]  # `switchboard sync VENDOR` arguments, secrets never among them
    credential_env: dict[str, str]  # secret credential name -> environment variable
    interval: int  # seconds


async def add_schedule(conn: AsyncConnection, schedule: NewSchedule) -> int:
    """Insert a schedule, due at once; ScheduleError if one already runs the same sync."""
    digest = await ensure_state_row(conn, key=schedule.key)
    taken = select(SCHEDULE.c.id).where(SCHEDULE.c.sync_key == digest)
    existing = (await conn.execute(taken)).scalar()
    if existing is not None:
        raise ScheduleError(
            f"schedule {existing} already runs this sync (same vendor, resource, account, base "
            "URL and options): remove it first to change its interval"
        )
    key = schedule.key
    account_id = await _account_id(conn, key["account"])
    row = {
        "account_id": account_id, "vendor": key["vendor"], "resource": key["resource"],
        "base_url": key["base_url"], "arguments": json.dumps(schedule.arguments),
        "credential_env": json.dumps(schedule.credential_env, sort_keys=True),
        "interval_seconds": schedule.interval, "enabled": True, "sync_key": digest,
        "created_at": now(),
    }  # fmt: skip
    created = await conn.execute(insert(SCHEDULE).values(row).returning(SCHEDULE.c.id))
    await conn.execute(update(STATE).where(STATE.c.key_hash == digest).values(next_run_at=now()))
    return int(created.scalar_one())


async def _account_id(conn: AsyncConnection, name: str) -> int:
    found = await conn.execute(select(ACCOUNT.c.id).where(ACCOUNT.c.name == name))
    return int(found.scalar_one())


async def remove_schedule(conn: AsyncConnection, schedule_id: int) -> bool:
    """Delete a schedule (its sync's state stays, as a one-shot sync's does); False if none."""
    sync_key = (
        await conn.execute(select(SCHEDULE.c.sync_key).where(SCHEDULE.c.id == schedule_id))
    ).scalar()
    if sync_key is None:
        return False
    await conn.execute(delete(SCHEDULE).where(SCHEDULE.c.id == schedule_id))
    await conn.execute(update(STATE).where(STATE.c.key_hash == sync_key).values(next_run_at=None))
    return True


def _with_state() -> Any:
    """Schedules with their account's name and their sync's state columns (prefixed state_)."""
    state = [column.label(f"state_{column.name}") for column in STATE.c]
    return (
        select(SCHEDULE, ACCOUNT.c.name.label("account_name"), *state)
        .join(ACCOUNT, ACCOUNT.c.id == SCHEDULE.c.account_id)
        .join(STATE, STATE.c.key_hash == SCHEDULE.c.sync_key)
    )


async def list_schedules(conn: AsyncConnection) -> list[RowMapping]:
    rows = await conn.execute(_with_state().order_by(SCHEDULE.c.id))
    return list(rows.mappings())


async def due_schedules(conn: AsyncConnection, *, at: datetime | None = None) -> list[RowMapping]:
    """Enabled schedules whose next run is due and whose lease is free or expired, earliest
    first. Taking the lease (app.sync.lease) decides who runs each: this is only the list."""
    at = at or now()
    due = and_(
        SCHEDULE.c.enabled.is_(True),
        or_(STATE.c.next_run_at.is_(None), STATE.c.next_run_at <= at),
        or_(STATE.c.lease_owner.is_(None), STATE.c.lease_expires_at < at),
    )
    rows = await conn.execute(_with_state().where(due).order_by(STATE.c.next_run_at))
    return list(rows.mappings())


def vendor_name(value: str) -> str:
    """A stored vendor as the command line names it: "FONE_DYNAMICS" -> "fonedynamics"."""
    return VENDORS[Vendor(value)].name


def label(schedule: RowMapping) -> str:
    """How output names a schedule: "schedule 3 callrail sources"."""
    return f"schedule {schedule['id']} {vendor_name(schedule['vendor'])} {schedule['resource']}"


def matches(schedule: RowMapping, key: dict[str, Any]) -> bool:
    """Whether the sync a schedule's arguments describe today is still the one it was added
    for (its state row); a change in how keys are made would otherwise start a stranger."""
    return bool(schedule["sync_key"] == key_hash(key))
