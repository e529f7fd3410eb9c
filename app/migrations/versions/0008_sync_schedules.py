"""sync schedules and sync state in the database

sync_state replaces the JSON state files and lock files `switchboard sync` kept under
var/sync: one row per sync key with where an unfinished run resumes, its counts, its status and
last error, when a scheduled run is next due, and the lease (owner, expiry) that keeps two
processes from running the same sync at once. sync_schedule holds what `switchboard worker`
runs: the sync's own arguments, where its secrets come from (environment variable names, never
the secrets) and its interval. State files a previous version left are not read.

Revision ID: 0008_sync_schedules
Revises: 0007_company_links
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.models.columns

revision: str = "0008_sync_schedules"
down_revision: str | None = "0007_company_links"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, app.models.columns.UTCDateTime(timezone=True), nullable=nullable)


def _text(name: str, length: int | None = None, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=nullable)


def _count(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.Integer(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        _text("key_hash", 64),
        _text("key"),
        _text("vendor", 20),
        _text("resource", 40),
        _text("last_completed", nullable=True),
        _text("next_position", nullable=True),
        *(_count(name) for name in ("pages", "records", "created", "updated", "unchanged")),
        _count("rejected"),
        _text("status", 12),
        _count("failures"),
        _when("started_at"),
        _when("finished_at"),
        _text("last_error", nullable=True),
        _when("next_run_at"),
        _text("lease_owner", 200, nullable=True),
        _when("lease_expires_at"),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key_hash"),
    )
    op.create_index("ix_sync_state_account_id", "sync_state", ["account_id"])
    op.create_table(
        "sync_schedule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        _text("vendor", 20),
        _text("resource", 40),
        _text("base_url", 2000),
        _text("arguments"),
        _text("credential_env"),
        sa.Column("interval_seconds", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        _text("sync_key", 64),
        _when("created_at", nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sync_key"),
    )
    op.create_index("ix_sync_schedule_account_id", "sync_schedule", ["account_id"])


def downgrade() -> None:
    op.drop_index("ix_sync_schedule_account_id", table_name="sync_schedule")
    op.drop_table("sync_schedule")
    op.drop_index("ix_sync_state_account_id", table_name="sync_state")
    op.drop_table("sync_state")
