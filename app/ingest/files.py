"""`switchboard import`: vendor JSON files in (one response per file, one transaction each),
a summary line per file out, rejected records to a JSON Lines file."""

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import orjson

from app.db import checkpoint_wal, create_engine, create_session_factory
from app.ingest.pipeline import import_payload
from app.ingest.summary import ImportSummary
from app.migrate import DatabaseOutOfDate, check_current
from app.models.enums import Vendor
from app.progress import ProgressTracker, track
from app.settings import Settings
from app.vendors import resource_spec
from app.vendors.base import PayloadError

SHOWN_REJECTS = 10  # reasons echoed to the terminal; the rejects file has them all


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
    reject_lines: list[dict[str, Any]] = field(default_factory=list)


async def import_files(*, settings: Settings, job: ImportJob) -> int:
    """Import each file; exit status 0 when every file imported, 1 when any file failed."""
    spec = resource_spec(vendor=job.vendor, resource=job.resource)
    engine = create_engine(settings)
    try:
        await check_current(engine, settings)
    except DatabaseOutOfDate as exc:
        await engine.dispose()
        print(f"error: {exc}", file=job.err)
        return 1
    total = ImportSummary(resource=spec.resource)
    failed = 0
    try:
        session_factory = create_session_factory(engine)
        with track(description=f"import {spec.resource}", stream=job.err) as progress:
            for path in job.files:
                summary = await _import_file(job, path, session_factory, progress)
                if summary is None:
                    failed += 1
                    continue
                _add(total, summary)
                print(f"{path}: {summary.line()}", file=job.out)
        await checkpoint_wal(engine)
    finally:
        await engine.dispose()
    if len(job.files) > 1:
        print(f"{total.line()} ({len(job.files) - failed} of {len(job.files)} files)", file=job.out)
    _write_rejects(job)
    return 1 if failed else 0


async def _import_file(
    job: ImportJob, path: Path, session_factory: Any, progress: ProgressTracker
) -> ImportSummary | None:
    """One file in one transaction; None (and a one-line error) when it fails as a whole."""
    try:
        payload = orjson.loads(await asyncio.to_thread(path.read_bytes))
        records = resource_spec(vendor=job.vendor, resource=job.resource).records(payload)
        progress.set_total((progress.total or 0) + len(records))
        summary = await import_payload(
            session_factory=session_factory,
            account=job.account,
            vendor=job.vendor,
            resource=job.resource,
            payload=payload,
            company=job.company,
            on_progress=progress.advance,
        )
    except orjson.JSONDecodeError as exc:
        return _fail(job, path, f"not JSON: {exc}")
    except OSError as exc:
        return _fail(job, path, f"cannot read: {exc.strerror or exc}")
    except PayloadError as exc:
        return _fail(job, path, str(exc))
    except Exception as exc:  # a database error: the transaction rolled back
        return _fail(job, path, f"{type(exc).__name__}: {exc}")
    progress.advance(
        0,
        created=summary.created,
        updated=summary.updated,
        unchanged=summary.unchanged,
        rejected=summary.rejected,
    )
    for reject in summary.rejects:
        job.reject_lines.append(
            {
                "file": str(path),
                "vendor": job.vendor.value,
                "resource": job.resource,
                "position": reject.position,
                "external_id": reject.external_id,
                "reason": reject.reason,
                "record": records[reject.position],
            }
        )
    return summary


def _fail(job: ImportJob, path: Path, message: str) -> None:
    first_line = message.strip().splitlines()[0] if message.strip() else "failed"
    print(f"error: {path}: {first_line} (nothing imported from this file)", file=job.err)


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
