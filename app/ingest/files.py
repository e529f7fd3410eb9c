"""Vendor JSON files in (one response per file, one transaction each); the caller is told of
each file as it commits (ImportEvents) and gets the run's totals and rejected records back.

With worker processes (--workers, or on its own for several large files), the files after the
first are read and validated in the workers, a few files ahead of the one being written; the
first is done here while they start.

A large run of calls into SQLite goes in bulk: one transaction, a savepoint per file, the call
table's secondary indexes built again at the end (app.ingest.bulk)."""

import asyncio
import os
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.db import checkpoint_wal, create_engine, create_session_factory
from app.core.migrate import check_current
from app.core.settings import Settings
from app.ingest.bulk import BulkRun, bulk_run, bulk_wanted
from app.ingest.context import CommittedIds
from app.ingest.pipeline import import_payload, import_prepared
from app.ingest.process_settings import streaming
from app.ingest.rejects import Rejects
from app.ingest.summary import ImportSummary
from app.ingest.validation import Prepared, prepare_file, read_payload, start_worker
from app.models.enums import Vendor
from app.vendors.base import PayloadError, ResourceSpec
from app.vendors.registry import resource_spec

# Less JSON than this in all and a worker's start-up (about a second) outweighs what it saves.
PARALLEL_BYTES = 4 * 2**20


@dataclass
class ImportJob:
    """What `switchboard import` was asked to do."""

    vendor: Vendor
    resource: str
    files: list[Path]
    account: str
    company: str | None
    workers: int | None = None  # processes validating files ahead; None: see worker_count
    bulk: bool | None = None  # one transaction for the run; None: see app.ingest.bulk
    committed: CommittedIds = field(default_factory=CommittedIds)  # shared by the job's files


class ImportEvents(Protocol):
    """What the caller is told while the files go in (the CLI prints it)."""

    def expect(self, records: int) -> None:
        """`records` more records are on their way (a file was read)."""

    def advance(self, count: int = 1, **counts: int) -> None: ...

    def file_imported(self, path: Path, summary: ImportSummary) -> None: ...

    def file_failed(self, path: Path, reason: str) -> None:
        """Nothing of this file was imported, for `reason` (one line)."""

    def notice(self, message: str) -> None:
        """How the run goes about it (workers, bulk load)."""


@dataclass
class FilesResult:
    """What a run of files imported: totals of the files that committed, how many failed, the
    rejected records, and `error` when the run failed as a whole (nothing of it stored)."""

    total: ImportSummary
    files: int
    failed: int
    rejects: Rejects
    error: str | None = None


async def import_files(*, settings: Settings, job: ImportJob, events: ImportEvents) -> FilesResult:
    """Import each file in its own transaction (or one bulk transaction, see app.ingest.bulk).
    Raises DatabaseOutOfDate or BulkRefused, before any file, when the run cannot start."""
    spec = resource_spec(vendor=job.vendor, resource=job.resource)
    result = FilesResult(
        total=ImportSummary(resource=spec.resource), files=len(job.files), failed=0,
        rejects=Rejects(vendor=job.vendor, resource=job.resource),
    )  # fmt: skip
    engine = create_engine(settings)
    try:
        await check_current(engine, settings)
        bulk = await bulk_wanted(engine, asked=job.bulk, resource_kind=spec.kind, files=job.files)
    except BaseException:
        await engine.dispose()
        raise
    try:
        await _import_all(job, engine, events, result, bulk=bulk)
        await checkpoint_wal(engine)
    finally:
        await engine.dispose()
    return result


async def _import_all(
    job: ImportJob, engine: AsyncEngine, events: ImportEvents, result: FilesResult, *, bulk: bool
) -> None:
    """Import the files into `result`. In a bulk run the files are reported once the run has
    committed; when it fails at its end, none is and nothing of the run counts."""
    with (
        _ahead(job, events) as prepared_ahead,
        streaming(),  # for the whole run: a collection between files walks every cache
    ):
        try:
            async with bulk_run(engine) if bulk else nullcontext(None) as run:
                if run is not None:
                    events.notice(f"bulk load: one transaction; {len(run.indexes)} call indexes "
                                  "are dropped until the end")  # fmt: skip
                imported = await _import_each(job, engine, events, result, prepared_ahead, run)
                if run is not None:
                    events.notice(f"building the {len(run.indexes)} call indexes again")
        except Exception as exc:
            if not bulk:
                raise
            result.rejects.clear()  # they belong to files that are no longer imported
            result.total = ImportSummary(resource=result.total.resource)
            result.failed = len(job.files)
            result.error = (
                "the bulk run failed at its end and rolled back, nothing from its files was "
                f"stored: {type(exc).__name__}: {_first_line(str(exc))}"
            )
            return
    if bulk:
        for path, summary in imported:
            events.file_imported(path, summary)


async def _import_each(
    job: ImportJob,
    engine: AsyncEngine,
    events: ImportEvents,
    result: FilesResult,
    prepared_ahead: Iterator[Future[Prepared] | None],
    run: BulkRun | None,
) -> list[tuple[Path, ImportSummary]]:
    """Import the files one by one into `result`; each is reported as it commits unless in a
    bulk run, which reports the returned (path, summary) pairs once it has committed."""
    session_factory = create_session_factory(engine)
    imported: list[tuple[Path, ImportSummary]] = []
    for path, prepared in zip(job.files, prepared_ahead, strict=True):
        summary = await _import_file(job, path, session_factory, events, result, prepared, run)
        if summary is None:
            result.failed += 1
            continue
        _add(result.total, summary)
        imported.append((path, summary))
        if run is None:
            events.file_imported(path, summary)
    return imported


def worker_count(job: ImportJob) -> int:
    """--workers when given; else one worker for two or more files of PARALLEL_BYTES in all on a
    machine with a core to spare (a second worker would only compete with SQLite's thread)."""
    if job.workers is not None:
        return job.workers
    if len(job.files) < 2 or (os.cpu_count() or 1) < 2:
        return 0
    size = sum(path.stat().st_size for path in job.files if path.is_file())
    return 1 if size >= PARALLEL_BYTES else 0


@contextmanager
def _ahead(job: ImportJob, events: ImportEvents) -> Iterator[Iterator[Future[Prepared] | None]]:
    """Per file, in order: None (validate it here) or the worker's future for it."""
    workers = worker_count(job)
    if workers == 0:
        yield iter([None] * len(job.files))
        return
    plural = "es" if workers > 1 else ""
    events.notice(f"validating files ahead in {workers} worker process{plural}")
    context = get_context("spawn")  # not fork: this process has threads (SQLite's among them)
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=start_worker)
    try:
        yield _submitted_ahead(job, pool, ahead=workers + 1)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _submitted_ahead(
    job: ImportJob, pool: ProcessPoolExecutor, *, ahead: int
) -> Iterator[Future[Prepared] | None]:
    futures: dict[int, Future[Prepared]] = {}
    for index in range(len(job.files)):
        for later in range(index + 1, min(index + 1 + ahead, len(job.files))):
            if later not in futures:
                path = job.files[later]
                futures[later] = pool.submit(prepare_file, job.vendor, job.resource, path)
        yield futures.pop(index, None)


async def _import_file(
    job: ImportJob,
    path: Path,
    session_factory: Any,
    events: ImportEvents,
    result: FilesResult,
    prepared: Future[Prepared] | None,
    bulk: BulkRun | None,
) -> ImportSummary | None:
    """One file in one transaction (a savepoint of a bulk run); None (and a one-line error)
    when it fails as a whole."""
    spec = resource_spec(vendor=job.vendor, resource=job.resource)
    records: list[Any] | None = None
    arguments: dict[str, Any] = {
        "session_factory": session_factory, "account": job.account, "vendor": job.vendor,
        "resource": job.resource, "company": job.company, "on_progress": events.advance,
        "committed": job.committed, "bulk": bulk,
    }  # fmt: skip
    try:
        if prepared is None:
            payload = await asyncio.to_thread(read_payload, path)
            records = spec.records(payload)
            events.expect(len(records))
            summary = await import_payload(payload=payload, **arguments)
        else:
            done = await asyncio.wrap_future(prepared)
            events.expect(done.count)
            summary = await import_prepared(prepared=done, **arguments)
    except PayloadError as exc:
        events.file_failed(path, _first_line(str(exc)))
        return None
    except Exception as exc:  # a database error (the transaction rolled back) or a lost worker
        events.file_failed(path, _first_line(f"{type(exc).__name__}: {exc}"))
        return None
    events.advance(
        0,
        created=summary.created,
        updated=summary.updated,
        unchanged=summary.unchanged,
        rejected=summary.rejected,
    )
    if summary.rejects and records is None:  # validated in a worker: read the records here
        records = _records_again(spec, path)
    result.rejects.add(summary, records=records, origin={"file": str(path)})
    return summary


def _records_again(spec: ResourceSpec, path: Path) -> list[Any] | None:
    try:
        return spec.records(read_payload(path))
    except PayloadError:  # changed since the worker read it: the reject lines go without
        return None


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "failed"


def _add(total: ImportSummary, summary: ImportSummary) -> None:
    total.created += summary.created
    total.updated += summary.updated
    total.unchanged += summary.unchanged
    total.rejected += summary.rejected
