"""GET /metrics in Prometheus' text format, the pool gauges fed by the engine's pool events,
and the multiprocess directory `serve --workers N` shares between its workers."""

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client import multiprocess as prometheus_multiprocess
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import Response

from app.core import metrics

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


async def metrics_endpoint(request: Request) -> Response:
    """Every metric of this process, or of all live workers when they share a directory."""
    directory = multiprocess_dir()
    if directory is None:
        body = generate_latest()
    else:
        registry = CollectorRegistry()
        prometheus_multiprocess.MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]  # prometheus_client's multiprocess module is unannotated
        body = generate_latest(registry)
    return Response(body, media_type=CONTENT_TYPE_LATEST)


def watch_pool(engine: AsyncEngine) -> int:
    """Keep the pool gauges current from the pool's own events (each a lock and an add);
    returns the capacity it counted, for unwatch_pool."""
    pool = engine.sync_engine.pool
    size = getattr(pool, "size", None)
    overflow = getattr(pool, "_max_overflow", 0)
    capacity = size() + max(overflow, 0) if callable(size) else 0
    metrics.DB_POOL_CAPACITY.inc(capacity)
    target = engine.sync_engine
    event.listen(target, "connect", _opened)
    event.listen(target, "close", _closed)
    event.listen(target, "close_detached", _closed)
    event.listen(target, "checkout", _checked_out)
    event.listen(target, "checkin", _checked_in)
    return capacity


def unwatch_pool(capacity: int) -> None:
    """After the engine is disposed: its capacity no longer counts."""
    metrics.DB_POOL_CAPACITY.dec(capacity)


def _opened(*_: Any) -> None:
    metrics.DB_CONNECTIONS_OPEN.inc()


def _closed(*_: Any) -> None:
    metrics.DB_CONNECTIONS_OPEN.dec()


def _checked_out(*_: Any) -> None:
    metrics.DB_CONNECTIONS_IN_USE.inc()


def _checked_in(*_: Any) -> None:
    metrics.DB_CONNECTIONS_IN_USE.dec()


def worker_exited(pid: int) -> None:
    """A worker is gone: drop its live gauges from the sums (counters keep counting)."""
    if multiprocess_dir() is not None:
        prometheus_multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]  # prometheus_client's multiprocess module is unannotated


def shared_directory() -> tuple[str, bool]:
    """The directory the workers of `serve --workers N` write their metrics to: the one
    PROMETHEUS_MULTIPROC_DIR names (emptied first, as prometheus_client requires between
    runs), else a new temporary one. Returns it and whether it was created here."""
    given = multiprocess_dir()
    if given is not None:
        for stale in Path(given).glob("*.db"):
            stale.unlink()
        Path(given).mkdir(parents=True, exist_ok=True)
        return given, False
    return tempfile.mkdtemp(prefix="switchboard-metrics-"), True


def remove_directory(directory: str) -> None:
    shutil.rmtree(directory, ignore_errors=True)
