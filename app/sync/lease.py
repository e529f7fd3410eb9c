"""The lease that makes a sync exclusive across processes and hosts: a sync_state row's owner
and expiry, taken and renewed by conditional UPDATEs whose row count says who won."""

import os
import secrets
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from app.models import StoredSyncState

STATE = StoredSyncState.__table__
DEFAULT_LEASE_SECONDS = 60.0


def new_owner() -> str:
    """A name no other process shares: host, pid and a random tag (pids are reused)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, kw_only=True)
class Lease:
    """One process's claim on one sync. A lease not renewed within `seconds` expires, and
    another process may take the sync over and resume it from its saved state."""

    key_hash: str
    owner: str
    seconds: float = DEFAULT_LEASE_SECONDS

    @property
    def renew_every(self) -> float:
        """Renewed four times a lease: three renewals may fail before it can expire."""
        return self.seconds / 4

    def expiry(self, at: datetime) -> datetime:
        return at + timedelta(seconds=self.seconds)

    async def take(self, conn: AsyncConnection, *, due_only: bool = False) -> bool:
        """Take the lease if it is free, expired or already ours (and, with `due_only`, the
        sync's next scheduled run is due): one UPDATE, so of two racing processes one wins."""
        at = now()
        free = or_(
            STATE.c.lease_owner.is_(None),
            STATE.c.lease_expires_at < at,
            STATE.c.lease_owner == self.owner,
        )
        condition = and_(STATE.c.key_hash == self.key_hash, free)
        if due_only:
            due = or_(STATE.c.next_run_at.is_(None), STATE.c.next_run_at <= at)
            condition = and_(condition, due)
        values = {"lease_owner": self.owner, "lease_expires_at": self.expiry(at)}
        result = await conn.execute(update(STATE).where(condition).values(values))
        return bool(result.rowcount == 1)

    async def renew(self, conn: AsyncConnection, **values: object) -> bool:
        """Extend the lease (and set `values` on the row) if it is still ours."""
        result = await conn.execute(
            update(STATE).where(self._ours()).values(lease_expires_at=self.expiry(now()), **values)
        )
        return bool(result.rowcount == 1)

    async def release(self, conn: AsyncConnection) -> None:
        await conn.execute(
            update(STATE).where(self._ours()).values(lease_owner=None, lease_expires_at=None)
        )

    def _ours(self) -> ColumnElement[bool]:
        return and_(STATE.c.key_hash == self.key_hash, STATE.c.lease_owner == self.owner)
