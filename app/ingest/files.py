"""`switchboard import`: vendor JSON files in (one response per file, one transaction each),
a summary line per file out, rejected records to a JSON Lines file.

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
from typing import Any, TextIO

import orjson
from sqlalchemy.ext.asyncio import AsyncEngine

from app.db import checkpoint_wal, create_engine, create_session_factory
from app.ingest.bulk import BulkRefused, BulkRun, bulk_run, bulk_wanted
from app.ingest.context import CommittedIds
from app.ingest.pipeline import import_payload, import_prepared
from app.ingest.prepare import Prepared, prepare_file, read_payload, start_worker
from app.ingest.streaming import streaming
from app.ingest.summary import ImportSummary
from app.migrate import DatabaseOutOfDate, check_current
from app.models.enums import Vendor
from app.progress import ProgressTracker, track
from app.settings import Settings
from app.vendors import resource_spec
from app.vendors.base import PayloadError, ResourceSpec

SHOWN_REJECTS = 10  # reasons echoed to the terminal; the rejects file has them all
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
    rejects_path: Path
    out: TextIO
    err: TextIO
    workers: int | None = None  # processes validating files ahead; None: see worker_count
    bulk: bool | None = None  # one transaction for the run; None: see app.ingest.bulk
    committed: CommittedIds = field(default_factory=CommittedIds)  # shared by the job's files
    reject_lines: list[dict[str, Any]] = field(default_factory=list)


async def import_files(*, settings: Settings, job: ImportJob) -> int:
    """Import each file; exit status 0 when every file imported, 1 when any file failed."""
    spec = resource_spec(vendor=job.vendor, resource=job.resource)
    engine = create_engine(settings)
    try:
        await check_current(engine, settings)
        bulk = await bulk_wanted(engine, asked=job.bulk, resource_kind=spec.kind, files=job.files)
    except (DatabaseOutOfDate, BulkRefused) as exc:
        await engine.dispose()
        print(f"error: {exc}", file=job.err)
        return 1
    try:
        total, failed = await _import_all(job, engine, bulk=bulk)
        await checkpoint_wal(engine)
    finally:
        await engine.dispose()
    if len(job.files) > 1:
        print(f"{total.line()} ({len(job.files) - failed} of {len(job.files)} files)", file=job.out)
    _write_rejects(job)
    return 1 if failed else 0


async def _import_all(
    job: ImportJob, engine: AsyncEngine, *, bulk: bool
) -> tuple[ImportSummary, int]:
    """(summary of the files imported, count of files that failed). In a bulk run the files'
    lines are printed once the run has committed; when it fails at its end, none is."""
    spec = resource_spec(vendor=job.vendor, resource=job.resource)
    run_error: Exception | None = None
    with (
        track(description=f"import {spec.resource}", stream=job.err) as progress,
        _ahead(job) as prepared_ahead,
        streaming(),  # for the whole run: a collection between files walks every cache
    ):
        try:
            async with bulk_run(engine) if bulk else nullcontext(None) as run:
                if run is not None:
                    print(f"bulk load: one transaction; {len(run.indexes)} call indexes are "
                          "dropped until the end", file=job.err)  # fmt: skip
                total, failed, lines = await _import_each(job, engine, progress, prepared_ahead, run)
                if run is not None:
                    print(f"building the {len(run.indexes)} call indexes again",
                          file=job.err)  # fmt: skip
        except Exception as exc:
            if not bulk:
                raise
            run_error = exc
    if run_error is not None:
        _fail_run(job, run_error)
        return ImportSummary(resource=spec.resource), len(job.files)
    if bulk:
        print("\n".join(lines), file=job.out)
    return total, failed


async def _import_each(
    job: ImportJob,
    engine: AsyncEngine,
    progress: ProgressTracker,
    prepared_ahead: Iterator[Future[Prepared] | None],
    run: BulkRun | None,
) -> tuple[ImportSummary, int, list[str]]:
    """Import the files one by one: (their summary, files failed, a line per file imported),
    each line printed as its file commits unless in a bulk run."""
    session_factory = create_session_factory(engine)
    total = ImportSummary(resource=resource_spec(vendor=job.vendor, resource=job.resource).resource)
    failed = 0
    lines: list[str] = []
    for path, prepared in zip(job.files, prepared_ahead, strict=True):
        summary = await _import_file(job, path, session_factory, progress, prepared, run)
        if summary is None:
            failed += 1
            continue
        _add(total, summary)
        lines.append(f"{path}: {summary.line()}")
        if run is None:
            print(lines[-1], file=job.out)
    return total, failed, lines


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
def _ahead(job: ImportJob) -> Iterator[Iterator[Future[Prepared] | None]]:
    """Per file, in order: None (validate it here) or the worker's future for it."""
    workers = worker_count(job)
    if workers == 0:
        yield iter([None] * len(job.files))
        return
    plural = "es" if workers > 1 else ""
    print(f"validating files ahead in {workers} worker process{plural}", file=job.err)
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
    progress: ProgressTracker,
    prepared: Future[Prepared] | None,
    bulk: BulkRun | None,
) -> ImportSummary | None:
    """One file in one transaction (a savepoint of a bulk run); None (and a one-line error)
    when it fails as a whole."""
    spec = resource_spec(vendor=job.vendor, resource=job.resource)
    records: list[Any] | None = None
    arguments: dict[str, Any] = {
        "session_factory": session_factory, "account": job.account, "vendor": job.vendor,
        "resource": job.resource, "company": job.company, "on_progress": progress.advance,
        "committed": job.committed, "bulk": bulk,
    }  # fmt: skip
    try:
        if prepared is None:
            payload = await asyncio.to_thread(read_payload, path)
            records = spec.records(payload)
            progress.set_total((progress.total or 0) + len(records))
            summary = await import_payload(payload=payload, **arguments)
        else:
            done = await asyncio.wrap_future(prepared)
            progress.set_total((progress.total or 0) + done.count)
            summary = await import_prepared(prepared=done, **arguments)
    except PayloadError as exc:
        return _fail(job, path, str(exc))
    except Exception as exc:  # a database error (the transaction rolled back) or a lost worker
        return _fail(job, path, f"{type(exc).__name__}: {exc}")
    progress.advance(
        0,
        created=summary.created,
        updated=summary.updated,
        unchanged=summary.unchanged,
        rejected=summary.rejected,
    )
    if summary.rejects and records is None:  # validated in a worker: read the records here
        records = _records_again(spec, path)
    for reject in summary.rejects:
        job.reject_lines.append(
            {
                "file": str(path),
                "vendor": job.vendor.value,
                "resource": job.resource,
                "position": reject.position,
                "external_id": reject.external_id,
                "reason": reject.reason,
                "record": records[reject.position] if records is not None else None,
            }
        )
    return summary


def _records_again(spec: ResourceSpec, path: Path) -> list[Any] | None:
    try:
        return spec.records(read_payload(path))
    except PayloadError:  # changed since the worker read it: the reject lines go without
        return None


def _fail(job: ImportJob, path: Path, message: str) -> None:
    print(f"error: {path}: {_first_line(message)} (nothing imported from this file)", file=job.err)


def _fail_run(job: ImportJob, exc: Exception) -> None:
    job.reject_lines.clear()  # they belong to files that are no longer imported
    print(f"error: the bulk run failed at its end and rolled back, nothing from its files was "
          f"stored: {type(exc).__name__}: {_first_line(str(exc))}", file=job.err)  # fmt: skip


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "failed"


def _add(total: ImportSummary, summary: ImportSummary) -> None:
    total.created += summary.created
    total.updated += summary.updated
    total.unchanged += summary.unchanged
    total.rejected += summary.rejected


def _write_rejects(job: ImportJob) -> None:
    """Write every rejected record with its reason, one JSON object per line."""
    if not job.reject_lines:
        return
    with job.rejects_path.open("wb") as out:
        for line in job.reject_lines:
            out.write(orjson.dumps(line) + b"\n")
    for line in job.reject_lines[:SHOWN_REJECTS]:
        where = f"{line['file']} record {line['position']}"
        named = f" ({line['external_id']})" if line["external_id"] else ""
        print(f"rejected: {where}{named}: {line['reason']}", file=job.err)
    more = len(job.reject_lines) - SHOWN_REJECTS
    if more > 0:
        print(f"... and {more} more", file=job.err)
    print(f"{len(job.reject_lines)} rejected records written to {job.rejects_path}", file=job.err)
