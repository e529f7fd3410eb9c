"""`switchboard sync VENDOR RESOURCE --base-url URL`: one sub-command per vendor with its own
credential options, a resumable sync into the database, and per-resource totals."""

import argparse
import asyncio
import functools
import os
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import orjson

from app.migrate import DatabaseOutOfDate, check_current
from app.models.enums import Vendor
from app.settings import Settings
from app.sync import (
    DEFAULT_STATE_DIR,
    TOTALS,
    RetryPolicy,
    SyncFailed,
    SyncRequest,
    SyncResult,
    VendorSpec,
    load_spec,
    sync_vendor,
)
from app.vendors import resource_spec

VENDORS = {
    "callrail": Vendor.CALLRAIL,
    "fonedynamics": Vendor.FONE_DYNAMICS,
    "butter": Vendor.BUTTER,
    "trackdrive": Vendor.TRACKDRIVE,
}
ALIASES = {Vendor.FONE_DYNAMICS: ["fone-dynamics", "fone_dynamics"]}


class UsageError(ValueError):
    """A bad or missing option; the message is one line naming what to pass."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add one sub-command per vendor to the `sync` parser."""
    vendors = parser.add_subparsers(dest="sync_vendor_name", required=True, metavar="VENDOR")
    for name, vendor in VENDORS.items():
        spec = load_spec(vendor)
        sub = vendors.add_parser(
            name, aliases=ALIASES.get(vendor, []), help=f"sync {', '.join(spec.resources)}"
        )
        sub.set_defaults(sync_vendor=vendor)
        sub.add_argument(
            "resource", choices=spec.resources, metavar="RESOURCE", help=" or ".join(spec.resources)
        )
        sub.add_argument("--base-url", required=True, help="the vendor API's base URL")
        for credential in spec.credentials:
            sub.add_argument(
                credential.option,
                dest=credential.name,
                help=f"{credential.help} [{credential.env}]",
            )
        if spec.scope_option:
            sub.add_argument(
                f"--{spec.scope_option}",
                dest="scope",
                metavar=spec.scope_option.upper(),
                help=spec.scope_help,
            )
        if spec.default_page_size:
            limit = f", at most {spec.max_page_size}" if spec.max_page_size else ""
            sub.add_argument(
                "--page-size",
                type=int,
                help=f"records per request (default {spec.default_page_size}{limit})",
            )
        _add_common(sub)


def _add_common(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a filter the vendor documents, sent as a query parameter (repeatable)",
    )
    sub.add_argument("--account", help="the Switchboard account (default: DEFAULT_ACCOUNT)")
    sub.add_argument(
        "--company", help="Company ID or vendor company id (needed for Butter and TrackDrive)"
    )
    sub.add_argument(
        "--rejects", type=Path, default=Path("rejects.jsonl"), help="JSON Lines file for rejects"
    )
    sub.add_argument(
        "--state-dir",
        type=Path,
        default=DEFAULT_STATE_DIR,
        help=f"where unfinished syncs keep their resume state (default {DEFAULT_STATE_DIR})",
    )
    sub.add_argument("--attempts", type=int, default=5, help="tries per request (default 5)")
    sub.add_argument(
        "--backoff", type=float, default=0.5, help="first retry delay in seconds, doubling"
    )
    sub.add_argument("--timeout", type=float, default=30.0, help="seconds per request (default 30)")


def build_request(args: argparse.Namespace, *, spec: VendorSpec) -> SyncRequest:
    """The SyncRequest the options describe; UsageError names what is wrong or missing."""
    check_limits(args, spec=spec)
    names_company = resource_spec(vendor=spec.vendor, resource=args.resource).names_company
    if args.company is None and not names_company:
        # Checked before the first request: the importer would refuse every page.
        raise UsageError(f"{args.resource} payloads do not name their company: pass --company")
    return SyncRequest(
        resource=args.resource,
        credentials=credentials(args, spec=spec),
        filters=filters(args.filter, spec=spec),
        page_size=getattr(args, "page_size", None) or spec.default_page_size,
        scope=getattr(args, "scope", None),
    )


def check_limits(args: argparse.Namespace, *, spec: VendorSpec) -> None:
    """Page size, attempts, backoff and timeout within their ranges."""
    page_size = getattr(args, "page_size", None)
    if page_size is not None and page_size < 1:
        raise UsageError("--page-size must be at least 1")
    if page_size and spec.max_page_size and page_size > spec.max_page_size:
        raise UsageError(f"--page-size must be between 1 and {spec.max_page_size}")
    if args.attempts < 1:
        raise UsageError("--attempts must be at least 1")
    if args.backoff < 0 or args.timeout <= 0:
        raise UsageError("--backoff must be at least 0 and --timeout more than 0")


def credentials(args: argparse.Namespace, *, spec: VendorSpec) -> dict[str, str]:
    """Each credential from its option, else its environment variable."""
    found = {}
    for credential in spec.credentials:
        value = getattr(args, credential.name, None) or os.environ.get(credential.env)
        if not value:
            raise UsageError(
                f"missing {credential.help}: pass {credential.option} or set {credential.env}"
            )
        found[credential.name] = value
    return found


def filters(pairs: list[str], *, spec: VendorSpec) -> dict[str, str]:
    """NAME=VALUE pairs; the client's own paging parameters are refused."""
    found = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UsageError(f"--filter takes NAME=VALUE, not {pair!r}")
        if name in spec.paging_params:
            raise UsageError(f"--filter {name} is set by the sync itself (it pages for you)")
        found[name] = value
    return found


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the sync the options describe; print totals, or one line saying what failed."""
    spec = load_spec(args.sync_vendor)
    try:
        request = build_request(args, spec=spec)
    except UsageError as error:
        print(f"switchboard sync {args.sync_vendor_name}: {error}", file=sys.stderr)
        return 2
    try:
        result = asyncio.run(_sync(args, settings=settings, spec=spec, request=request))
    except (SyncFailed, DatabaseOutOfDate) as error:
        print(f"switchboard sync {args.sync_vendor_name}: {error}", file=sys.stderr)
        return 1
    print(summary_line(result, resource=request.resource))
    return 0


async def _sync(
    args: argparse.Namespace, *, settings: Settings, spec: VendorSpec, request: SyncRequest
) -> SyncResult:
    from app.db import create_engine, create_session_factory
    from app.ingest import import_payload
    from app.ingest.context import CommittedIds
    from app.progress import track

    account = args.account or settings.default_account
    engine = create_engine(settings)
    import_page = RejectLog(
        functools.partial(
            import_payload,
            session_factory=create_session_factory(engine),
            account=account,
            vendor=spec.vendor,
            resource=request.resource,
            company=args.company,
            committed=CommittedIds(),
        ),
        vendor=spec.vendor,
        resource=request.resource,
    )
    try:
        await check_current(engine, settings)
        with track(description=f"sync {args.sync_vendor_name} {request.resource}") as progress:
            result = await sync_vendor(
                spec=spec,
                request=request,
                base_url=args.base_url,
                account=account,
                import_page=import_page,
                progress=progress,
                state_dir=args.state_dir,
                policy=RetryPolicy(attempts=args.attempts, base_delay=args.backoff),
                http_timeout=args.timeout,
            )
    finally:
        await engine.dispose()
        import_page.write(path=args.rejects, err=sys.stderr)  # also those of a failed run
    return result


@dataclass
class RejectLog:
    """Wraps the import to keep every rejected record, with its reason, for the rejects file."""

    import_page: Callable[..., Awaitable[Any]]
    vendor: Vendor
    resource: str
    lines: list[dict[str, Any]] = field(default_factory=list)
    pages: int = 0

    async def __call__(self, *, payload: Any) -> Any:
        summary = await self.import_page(payload=payload)
        self.pages += 1
        if summary.rejects:
            records = resource_spec(vendor=self.vendor, resource=self.resource).records(payload)
            self.lines += [self._line(reject, records) for reject in summary.rejects]
        return summary

    def _line(self, reject: Any, records: list[Any]) -> dict[str, Any]:
        return {
            "page": self.pages,  # 1-based, counted in this run
            "vendor": self.vendor.value,
            "resource": self.resource,
            "position": reject.position,
            "external_id": reject.external_id,
            "reason": reject.reason,
            "record": records[reject.position],
        }

    def write(self, *, path: Path, err: TextIO, shown: int = 10) -> None:
        """Write all rejects as JSON Lines (as `switchboard import` does); echo the first few."""
        if not self.lines:
            return
        path.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in self.lines))
        for line in self.lines[:shown]:
            named = f" ({line['external_id']})" if line["external_id"] else ""
            print(
                f"rejected: page {line['page']} record {line['position']}{named}: {line['reason']}",
                file=err,
            )
        if len(self.lines) > shown:
            print(f"... and {len(self.lines) - shown} more", file=err)
        print(f"{len(self.lines)} rejected records written to {path}", file=err)


def summary_line(result: SyncResult, *, resource: str) -> str:
    """ "sources: created 3, updated 0, unchanged 5, rejected 1 (2 pages, resumed)"."""
    counts = ", ".join(f"{name} {result.state.totals[name]}" for name in TOTALS)
    resumed = ", resumed" if result.resumed_from is not None else ""
    return f"{resource}: {counts} ({result.state.pages} pages{resumed})"
