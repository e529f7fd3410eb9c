"""SyncSchedule and StoredSyncState: what the worker syncs and how often; where each sync
resumes, what it last did and who holds its lease."""

from datetime import datetime

from sqlmodel import Field

from app.models.columns import UTCDateTime
from app.models.table import TableModel
from app.models.timestamps import utcnow


class SyncSchedule(TableModel, table=True):
    """One vendor sync the worker runs every `interval_seconds`, as `switchboard sync` takes it.

    `arguments` is the JSON list of the sync's own command-line arguments (resource, base URL,
    filters, non-secret credential ids, limits); secrets are never stored: `credential_env`
    names the environment variable each secret is read from when the sync runs."""

    __tablename__ = "sync_schedule"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    vendor: str = Field(max_length=20)  # app.models.enums.Vendor value
    resource: str = Field(max_length=40)
    base_url: str = Field(max_length=2000)
    arguments: str  # JSON list of `switchboard sync VENDOR` arguments
    credential_env: str = Field(default="{}")  # JSON {credential name: environment variable}
    interval_seconds: int
    enabled: bool = True
    sync_key: str = Field(max_length=64, unique=True)  # StoredSyncState.key_hash of this sync
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class StoredSyncState(TableModel, table=True):
    """One row per sync key (account, vendor, resource, base URL and options): where an
    unfinished run resumes, the run's counts, its status and the lease that makes it exclusive.

    Positions are JSON so a page number stays a number and a cursor a string."""

    __tablename__ = "sync_state"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    key_hash: str = Field(max_length=64, unique=True)  # SHA-256 of the canonical `key`
    key: str  # JSON of app.sync.state.state_key
    vendor: str = Field(max_length=20)
    resource: str = Field(max_length=40)
    last_completed: str | None = None  # JSON position of the last imported page
    next_position: str | None = None  # JSON position the run resumes at (None: the first page)
    pages: int = 0
    records: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    status: str = Field(default="idle", max_length=12)  # idle, running, succeeded, failed
    failures: int = 0  # failed runs in a row (the worker backs off by it)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = None
    next_run_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # scheduled syncs
    lease_owner: str | None = Field(default=None, max_length=200)
    lease_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
