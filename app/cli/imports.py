"""`switchboard import VENDOR RESOURCE FILE...`: vendor JSON files in, each in one transaction."""

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from app.core.settings import Settings

if TYPE_CHECKING:
    from app.ingest.files import ImportJob


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    imp = sub.add_parser("import", help="import vendor JSON files (created/updated/unchanged)")
    imp.add_argument("vendor", help="callrail, fone-dynamics, butter or trackdrive")
    imp.add_argument("resource", help="sources, numbers, calls, phone-numbers or leads")
    imp.add_argument("files", nargs="+", metavar="FILE", help="one vendor response per file")
    imp.add_argument("--account", help="account to import into (default: DEFAULT_ACCOUNT)")
    imp.add_argument("--company", help="Company ID or vendor company id (Butter, TrackDrive)")
    imp.add_argument("--rejects", default="rejects.jsonl", help="JSON Lines file for rejects")
    imp.add_argument(
        "--workers", type=_count, metavar="N",
        help="processes validating the next files while this one writes (default: 1 for two or "
        "more files of 4 MB in all on a multi-core machine, else 0)",
    )  # fmt: skip
    imp.add_argument(
        "--bulk", action=argparse.BooleanOptionalAction,
        help="calls into SQLite: one transaction for all the files, the call table's indexes "
        "built again at the end (default: for 32 MB or more of calls into a call table that "
        "holds fewer)",
    )  # fmt: skip
    imp.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Import vendor JSON files (one response per file), each file in one transaction."""
    from app.ingest.files import ImportJob
    from app.vendors.base import PayloadError
    from app.vendors.registry import parse_vendor, resource_spec

    try:
        vendor = parse_vendor(args.vendor)
        spec = resource_spec(vendor=vendor, resource=args.resource)
    except (ValueError, PayloadError) as exc:
        print(f"switchboard import: {exc}", file=sys.stderr)
        return 2
    if args.company is None and not spec.names_company:
        print(
            f"switchboard import: {args.vendor} {args.resource} needs --company "
            "(a Company ID or the vendor's own company id)",
            file=sys.stderr,
        )
        return 2
    job = ImportJob(
        vendor=vendor,
        resource=args.resource,
        files=[Path(f) for f in args.files],
        account=args.account or settings.default_account,
        company=args.company,
        workers=args.workers,
        bulk=args.bulk,
    )
    return import_and_report(job, settings=settings, rejects=Path(args.rejects))


def import_and_report(
    job: "ImportJob", *, settings: Settings, rejects: Path, out: TextIO = sys.stdout
) -> int:
    """Run the import, printing a line per file; exit status 1 when any file failed."""
    import asyncio

    from app.cli.output import ImportPrinter, write_rejects
    from app.cli.progress import track
    from app.core.migrate import DatabaseOutOfDate
    from app.ingest.bulk import BulkRefused
    from app.ingest.files import import_files

    try:
        with track(description=f"import {job.resource}", stream=sys.stderr) as progress:
            printer = ImportPrinter(progress=progress, out=out, err=sys.stderr)
            result = asyncio.run(import_files(settings=settings, job=job, events=printer))
    except (DatabaseOutOfDate, BulkRefused) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if result.error is not None:
        print(f"error: {result.error}", file=sys.stderr)
    if result.files > 1:
        done = f"{result.files - result.failed} of {result.files} files"
        print(f"{result.total.line()} ({done})", file=out)
    write_rejects(result.rejects, path=rejects, err=sys.stderr)
    return 1 if result.failed else 0


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value
