"""Where an unfinished sync resumes: the state a run carries, the store it is saved in (an
interface; app.sync.store keeps it in the database) and the key that names one sync."""

import hashlib
import json
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from app.sync.spec import ClientSpec, Position, SyncRequest


class SyncFailed(RuntimeError):
    """A sync stopped before its last page; its saved state says where a rerun resumes."""


class SyncBusy(SyncFailed):
    """Another process holds this sync's lease: it is running the same sync now."""


TOTALS = ("created", "updated", "unchanged", "rejected")


@dataclass(kw_only=True)
class SyncState:
    """Where an unfinished sync resumes, and what it has done so far."""

    key: dict[str, Any]
    last_completed: Position | None = None
    next: Position | None = None
    pages: int = 0
    records: int = 0
    totals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TOTALS, 0))


class StateStore(Protocol):
    """Keeps one sync's state between runs and makes its runs exclusive.

    `hold()` is entered around the whole run: it takes the sync's lease (SyncBusy if another
    process has it) and gives it back however the run ends. Inside it, `begin()` returns where
    to resume (a fresh state after a finished run), `save()` follows every imported page, and
    the run ends with `succeed()` or `fail()` (`interrupted`: stopped from outside, not by
    the vendor, so due again at once)."""

    where: str  # how an error message names the saved state
    resume: str  # how an error message says the sync resumes ("rerun the same command ...")

    def hold(self) -> AbstractAsyncContextManager[None]: ...

    async def begin(self) -> SyncState: ...

    async def save(self, state: SyncState) -> None: ...

    async def succeed(self, state: SyncState) -> None: ...

    async def fail(self, state: SyncState, *, error: str, interrupted: bool = False) -> None: ...


def state_key(
    *, spec: ClientSpec, request: SyncRequest, base_url: str, account: str
) -> dict[str, Any]:
    """What identifies one sync: a rerun with the same key resumes; secrets are left out."""
    public = {c.name: request.credentials[c.name] for c in spec.credentials if not c.secret}
    return {
        "account": account,
        "vendor": spec.vendor.value,
        "resource": request.resource,
        "base_url": base_url.rstrip("/"),
        "subtree": request.subtree,
        "filters": dict(sorted(request.filters.items())),
        "page_size": request.page_size,
        "credentials": public,
    }


def key_hash(key: dict[str, Any]) -> str:
    """The SHA-256 of a key's canonical JSON: the sync_state row's unique name."""
    return hashlib.sha256(canonical(key).encode()).hexdigest()


def canonical(key: dict[str, Any]) -> str:
    return json.dumps(key, sort_keys=True, separators=(",", ":"))
