"""SyncStatus: each vendor sync of the key's account (scheduled or one-shot), with its progress
or last result and, when scheduled, its interval and next run; read from sync_state."""

import enum
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import strawberry
from sqlalchemy import select

from app.graphql.context import Context
from app.models import StoredSyncState, SyncSchedule
from app.models.enums import Vendor

STATE = StoredSyncState.__table__
SCHEDULE = SyncSchedule.__table__


@strawberry.enum(description="How a sync stands.")
class SyncRunStatus(enum.Enum):
    IDLE = "idle"
    RUNNING = "running"
    INTERRUPTED = "interrupted"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@strawberry.type(description="One vendor sync (`switchboard sync` or a worker's schedule).")
class SyncStatus:
    vendor: Vendor = strawberry.field(description="The vendor synced from.")
    resource: str = strawberry.field(description="The vendor resource: sources, calls, leads...")
    base_url: str = strawberry.field(description="The vendor API's base URL.")
    schedule_id: int | None = strawberry.field(
        description="The `switchboard schedules list` id; null for a sync run by hand."
    )
    interval_seconds: int | None = strawberry.field(description="How often the worker runs it.")
    enabled: bool | None = strawberry.field(description="Whether its schedule is enabled.")
    status: SyncRunStatus = strawberry.field(
        description="RUNNING while a process holds its lease; INTERRUPTED when that process "
        "stopped without finishing (the next run resumes); else how the last run ended."
    )
    pages: int = strawberry.field(description="Pages imported by the current or last run.")
    records: int = strawberry.field(description="Records in those pages.")
    created: int = strawberry.field(description="Records created by the current or last run.")
    updated: int = strawberry.field(description="Records updated by it.")
    unchanged: int = strawberry.field(description="Records it found unchanged.")
    rejected: int = strawberry.field(description="Records it rejected (see the rejects file).")
    failures: int = strawberry.field(description="Failed runs in a row (0 after a success).")
    last_error: str | None = strawberry.field(description="The last failed run's error.")
    started_at: datetime | None = strawberry.field(description="When the last run started.")
    finished_at: datetime | None = strawberry.field(description="When the last run ended.")
    next_run_at: datetime | None = strawberry.field(
        description="When the worker runs it next (a past time: as soon as a worker is free)."
    )
    lease_expires_at: datetime | None = strawberry.field(
        description="While it runs: when its lease lapses unless renewed."
    )


COPIED = (
    "resource", "schedule_id", "interval_seconds", "enabled", "pages", "records", "created",
    "updated", "unchanged", "rejected", "failures", "last_error", "started_at", "finished_at",
    "next_run_at", "lease_expires_at",
)  # fmt: skip


def run_status(row: Mapping[str, Any], *, at: datetime) -> SyncRunStatus:
    if row["status"] != "running":
        return SyncRunStatus(row["status"])
    expires = row["lease_expires_at"]
    live = row["lease_owner"] is not None and expires is not None and expires >= at
    return SyncRunStatus.RUNNING if live else SyncRunStatus.INTERRUPTED


def sync_status(row: Mapping[str, Any], *, at: datetime) -> SyncStatus:
    """A sync_state row (with its schedule's columns) as the GraphQL object."""
    return SyncStatus(
        vendor=Vendor(row["vendor"]),
        base_url=json.loads(row["key"])["base_url"],  # sync_state keeps it inside its key
        status=run_status(row, at=at),
        **{name: row[name] for name in COPIED},
    )


async def sync_statuses(context: Context) -> list[SyncStatus]:
    """Every sync of the request's account, scheduled ones first, by schedule id."""
    statement = (
        select(
            STATE,
            SCHEDULE.c.id.label("schedule_id"),
            SCHEDULE.c.interval_seconds,
            SCHEDULE.c.enabled,
        )
        .outerjoin(SCHEDULE, SCHEDULE.c.sync_key == STATE.c.key_hash)
        .where(STATE.c.account_id == context.account_id)
        .order_by(SCHEDULE.c.id.is_(None), SCHEDULE.c.id, STATE.c.id)
    )
    at = datetime.now(UTC)
    return [sync_status(dict(row._mapping), at=at) for row in await context.reader.rows(statement)]
