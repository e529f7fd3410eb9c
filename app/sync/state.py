"""Where an unfinished sync resumes: one JSON state file per sync key, and its lock file."""

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from app.sync.spec import ClientSpec, Position, SyncRequest

DEFAULT_STATE_DIR = Path("var") / "sync"


class SyncFailed(RuntimeError):
    """A sync stopped before its last page; its state file says where a rerun resumes."""


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


class StateStore:
    """One small JSON file per sync key; written atomically after every imported page."""

    def __init__(self, *, directory: Path, key: Mapping[str, Any]) -> None:
        self.key = dict(key)
        digest = hashlib.sha256(json.dumps(self.key, sort_keys=True).encode()).hexdigest()[:16]
        self.path = directory / f"{key['vendor']}-{key['resource']}-{digest}.json".lower()

    def load(self) -> SyncState:
        """The saved state, or a fresh one starting at the first page."""
        if not self.path.exists():
            return SyncState(key=self.key)
        try:
            return SyncState(**json.loads(self.path.read_text()))
        except (ValueError, TypeError) as error:
            raise SyncFailed(f"unreadable state file {self.path} ({error}): delete it") from None

    def save(self, state: SyncState) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".tmp")
        partial.write_text(json.dumps(asdict(state), indent=2))
        os.replace(partial, self.path)  # a crash mid-write never leaves a torn state file

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold this sync's lock file while it runs: a second sync with the same key fails at
        once instead of importing the same pages and overwriting this one's state. The lock
        goes with the process, however it ends; the empty lock file stays."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = self.path.with_suffix(".lock")
        with lock.open("a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise SyncFailed(
                    "another run of this sync (same vendor, resource, account, base URL and "
                    f"options) is going on: it holds {lock}; rerun once it has stopped"
                ) from None
            yield


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
