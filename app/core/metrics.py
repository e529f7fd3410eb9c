"""Prometheus metrics every entry point may record: GraphQL requests and their latency, the
database pool, imports and syncs (served at /metrics by app.web.metrics).

The metrics live in prometheus_client's default registry. With PROMETHEUS_MULTIPROC_DIR set
before this module is first imported (`serve --workers N` sets it), every process writes its
values to files there and /metrics sums the live workers'."""

import os
from collections.abc import Iterable

# prometheus_client writes each process's values under this directory from the first metric
# on, so it must exist before the metrics below are made.
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

from prometheus_client import Counter, Gauge, Histogram

# Latency buckets (seconds): a compiled read takes a few milliseconds, a heavy general-path
# page a few hundred.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

GRAPHQL_REQUESTS = Counter(
    "switchboard_graphql_requests",
    "GraphQL requests answered, by operation name, outcome and read path.",
    ("operation", "outcome", "read_path"),
)
GRAPHQL_LATENCY = Histogram(
    "switchboard_graphql_request_duration_seconds",
    "Time from the request's arrival to its response's last byte, by operation, outcome and "
    "read path.",
    ("operation", "outcome", "read_path"),
    buckets=LATENCY_BUCKETS,
)
DB_CONNECTIONS_OPEN = Gauge(
    "switchboard_db_connections_open",
    "Database connections the serving processes' pools hold open.",
    multiprocess_mode="livesum",
)
DB_CONNECTIONS_IN_USE = Gauge(
    "switchboard_db_connections_in_use",
    "Pooled database connections checked out by a request right now.",
    multiprocess_mode="livesum",
)
DB_POOL_CAPACITY = Gauge(
    "switchboard_db_pool_capacity",
    "Connections the serving processes' pools may open (pool size + overflow).",
    multiprocess_mode="livesum",
)
IMPORTED_RECORDS = Counter(
    "switchboard_import_records",
    "Vendor records imported in this process, by vendor, resource and outcome "
    "(created, updated, unchanged, rejected).",
    ("vendor", "resource", "outcome"),
)
IMPORTS = Counter(
    "switchboard_imports",
    "Vendor payloads (files, sync pages, demo pages) imported in this process, by vendor, "
    "resource and result (committed or failed).",
    ("vendor", "resource", "result"),
)
SYNC_PAGES = Counter(
    "switchboard_sync_pages",
    "Vendor API pages a sync in this process fetched and imported, by vendor and resource.",
    ("vendor", "resource"),
)
SYNC_FAILURES = Counter(
    "switchboard_sync_failures",
    "Syncs in this process that stopped on an error, by vendor and resource.",
    ("vendor", "resource"),
)
OUTCOMES = ("created", "updated", "unchanged", "rejected")


def record_import(vendor: str, resource: str, counts: Iterable[tuple[str, int]]) -> None:
    """One payload imported: its records by outcome."""
    IMPORTS.labels(vendor, resource, "committed").inc()
    for outcome, count in counts:
        if count:
            IMPORTED_RECORDS.labels(vendor, resource, outcome).inc(count)


def record_failed_import(vendor: str, resource: str) -> None:
    IMPORTS.labels(vendor, resource, "failed").inc()
