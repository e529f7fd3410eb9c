"""`switchboard sync VENDOR RESOURCE --base-url URL`: one sub-command per vendor with its own
credential options, a resumable sync into the database, and per-resource totals."""

import argparse
import asyncio
import functools
import os
import sys
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from app.cli.output import write_rejects
from app.core.migrate import DatabaseOutOfDate, check_current
from app.core.settings import Settings
from app.ingest.rejects import Rejects
from app.sync.fetcher import RetryPolicy
from app.sync.limits import MB, SyncLimits
from app.sync.run import SyncResult, sync_vendor
from app.sync.spec import ClientSpec, SyncRequest
from app.sync.state import TOTALS, SyncFailed, state_key
from app.vendors.registry import VENDORS, client_spec, resource_spec


class UsageError(ValueError):
    """A bad or missing option; the message is one line naming what to pass."""


DEFAULT_REJECTS = Path("rejects.jsonl")
STATE_DIR_GONE = (
    "--state-dir is no longer used and is ignored: resume state lives in the database "
    "(sync_state), so every process on one database resumes the same sync"
)


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """The `sync` parser, with one sub-command per vendor."""
    parser = sub.add_parser("sync", help="page through a vendor's API and import it (resumable)")
    parser.set_defaults(func=run)
    add_vendor_parsers(parser)


def add_vendor_parsers(parser: argparse.ArgumentParser) -> None:
    """One sub-command per vendor with the sync's options (`sync` and `schedules add`)."""
    vendors = parser.add_subparsers(dest="sync_vendor_name", required=True, metavar="VENDOR")
    for entry in VENDORS.values():
        spec = entry.client
        vendor = vendors.add_parser(
            entry.name, aliases=list(entry.aliases), help=f"sync {', '.join(spec.resources)}"
        )
        vendor.set_defaults(sync_vendor=entry.vendor)
        vendor.add_argument(
            "resource", choices=spec.resources, metavar="RESOURCE", help=" or ".join(spec.resources)
        )
        vendor.add_argument("--base-url", required=True, help="the vendor API's base URL")
        for credential in spec.credentials:
            vendor.add_argument(
                credential.option,
                dest=credential.name,
                help=f"{credential.help} [{credential.env}]",
            )
        if spec.subtree_option:
            vendor.add_argument(
                f"--{spec.subtree_option}",
                dest="subtree",
                metavar=spec.subtree_option.upper(),
                help=spec.subtree_help,
            )
        if spec.default_page_size:
            limit = f", at most {spec.max_page_size}" if spec.max_page_size else ""
            vendor.add_argument(
                "--page-size",
                type=int,
                help=f"records per request (default {spec.default_page_size}{limit})",
            )
        _add_common(vendor)


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
        "--rejects", type=Path, default=DEFAULT_REJECTS, help="JSON Lines file for rejects"
    )
    sub.add_argument("--state-dir", type=Path, help=argparse.SUPPRESS)  # gone: see STATE_DIR_GONE
    sub.add_argument("--attempts", type=int, default=5, help="tries per request (default 5)")
    sub.add_argument(
        "--backoff", type=float, default=0.5, help="first retry delay in seconds, doubling"
    )
    sub.add_argument(
        "--timeout", type=float, default=30.0, help="seconds without network progress (default 30)"
    )
    for option, kind, setting, what in LIMIT_OPTIONS:
        env = setting.upper()
        metavar = "N" if kind is int else "NUMBER"
        sub.add_argument(
            option, type=kind, metavar=metavar, help=f"{what} [{env}, default {_default(setting)}]"
        )


LIMIT_OPTIONS = (
    ("--request-deadline", float, "sync_request_deadline", "seconds for one whole request"),
    ("--run-deadline", float, "sync_run_deadline", "seconds for the whole run (a rerun resumes)"),
    ("--max-response-mb", float, "sync_max_response_mb", "megabytes one response may have"),
    ("--max-redirects", int, "sync_max_redirects", "redirects followed per request"),
    ("--max-pages", int, "sync_max_pages", "pages in one run"),
    ("--max-retry-after", float, "sync_max_retry_after", "longest Retry-After waited; more stops"),
)


def _default(setting: str) -> str:
    value = Settings.model_fields[setting].default
    return f"{value:g}" if isinstance(value, float) else str(value)


def limits(args: argparse.Namespace, settings: Settings) -> tuple[RetryPolicy, SyncLimits]:
    """The retry policy and limits: each option, else its setting (environment or default)."""
    value = {}
    for option, _, setting, _ in LIMIT_OPTIONS:
        given = getattr(args, option[2:].replace("-", "_"))
        value[setting] = getattr(settings, setting) if given is None else given
    policy = RetryPolicy(
        attempts=args.attempts,
        base_delay=args.backoff,
        max_retry_after=value["sync_max_retry_after"],
    )
    bounds = SyncLimits(
        request_deadline=value["sync_request_deadline"],
        run_deadline=value["sync_run_deadline"],
        max_response_bytes=int(value["sync_max_response_mb"] * MB),
        max_redirects=value["sync_max_redirects"],
        max_pages=value["sync_max_pages"],
    )
    return policy, bounds


def build_request(
    args: argparse.Namespace, *, spec: ClientSpec, found: Mapping[str, str] | None = None
) -> SyncRequest:
    """The SyncRequest the options describe; UsageError names what is wrong or missing.
    `found` gives the credentials instead of the options and environment (the worker's)."""
    check_limits(args, spec=spec)
    names_company = resource_spec(vendor=spec.vendor, resource=args.resource).names_company
    if args.company is None and not names_company:
        # Checked before the first request: the importer would refuse every page.
        raise UsageError(f"{args.resource} payloads do not name their company: pass --company")
    return SyncRequest(
        resource=args.resource,
        credentials=credentials(args, spec=spec) if found is None else found,
        filters=filters(args.filter, spec=spec),
        page_size=getattr(args, "page_size", None) or spec.default_page_size,
        subtree=getattr(args, "subtree", None),
    )


def check_limits(args: argparse.Namespace, *, spec: ClientSpec) -> None:
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
    for option, _, setting, _ in LIMIT_OPTIONS:
        value = getattr(args, option[2:].replace("-", "_"))
        at_least_zero = setting in ("sync_max_redirects", "sync_max_retry_after")
        if value is not None and (value < 0 if at_least_zero else value <= 0):
            raise UsageError(f"{option} must be {'at least 0' if at_least_zero else 'more than 0'}")


def credentials(
    args: argparse.Namespace, *, spec: ClientSpec, secrets: bool = True
) -> dict[str, str]:
    """Each credential (without `secrets`, only the non-secret ones) from its option, else its
    environment variable."""
    found = {}
    for credential in spec.credentials:
        if credential.secret and not secrets:
            continue
        value = getattr(args, credential.name, None) or os.environ.get(credential.env)
        if not value:
            raise UsageError(
                f"missing {credential.help}: pass {credential.option} or set {credential.env}"
            )
        found[credential.name] = value
    return found


def filters(pairs: list[str], *, spec: ClientSpec) -> dict[str, str]:
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
    spec = client_spec(args.sync_vendor)
    try:
        request = build_request(args, spec=spec)
    except UsageError as error:
        print(f"switchboard sync {args.sync_vendor_name}: {error}", file=sys.stderr)
        return 2
    if args.state_dir is not None:
        print(f"switchboard sync: {STATE_DIR_GONE}", file=sys.stderr)
    try:
        result = asyncio.run(_sync(args, settings=settings, spec=spec, request=request))
    except (SyncFailed, DatabaseOutOfDate) as error:
        print(f"switchboard sync {args.sync_vendor_name}: {error}", file=sys.stderr)
        return 1
    print(summary_line(result, resource=request.resource))
    return 0


async def _sync(
    args: argparse.Namespace, *, settings: Settings, spec: ClientSpec, request: SyncRequest
) -> SyncResult:
    from app.core.db import create_engine

    engine = create_engine(settings)
    try:
        await check_current(engine, settings)
        return await sync_with(args, settings=settings, engine=engine, spec=spec, request=request)
    finally:
        await engine.dispose()


async def sync_with(
    args: argparse.Namespace,
    *,
    settings: Settings,
    engine: AsyncEngine,
    spec: ClientSpec,
    request: SyncRequest,
    **store: Any,
) -> SyncResult:
    """Run one sync over `engine` with its state in the database; `store` passes lease and
    schedule options to DatabaseStateStore (the worker's)."""
    from app.cli.progress import track
    from app.sync.store import DatabaseStateStore

    account = args.account or settings.default_account
    policy, bounds = limits(args, settings)
    import_page = page_importer(args, engine=engine, spec=spec, request=request, account=account)
    key = state_key(spec=spec, request=request, base_url=args.base_url, account=account)
    try:
        with track(description=f"sync {args.sync_vendor_name} {request.resource}") as progress:
            return await sync_vendor(
                spec=spec,
                request=request,
                base_url=args.base_url,
                import_page=import_page,
                progress=progress,
                store=DatabaseStateStore(engine=engine, key=key, **store),
                policy=policy,
                limits=bounds,
                http_timeout=args.timeout,
            )
    finally:
        write_rejects(import_page.rejects, path=args.rejects, err=sys.stderr)  # a failed run's too


def page_importer(
    args: argparse.Namespace,
    *,
    engine: AsyncEngine,
    spec: ClientSpec,
    request: SyncRequest,
    account: str,
) -> "KeepRejects":
    """import_payload for each page, into `account`, keeping the rejects."""
    from app.core.db import create_session_factory
    from app.ingest import import_payload
    from app.ingest.context import CommittedIds

    return KeepRejects(
        functools.partial(
            import_payload,
            session_factory=create_session_factory(engine),
            account=account,
            vendor=spec.vendor,
            resource=request.resource,
            company=args.company,
            committed=CommittedIds(),
        ),
        Rejects(vendor=spec.vendor, resource=request.resource),
    )


@dataclass
class KeepRejects:
    """Wraps the page import to keep each page's rejected records for the rejects file."""

    import_page: Callable[..., Awaitable[Any]]
    rejects: Rejects
    pages: int = 0

    async def __call__(self, *, payload: Any) -> Any:
        summary = await self.import_page(payload=payload)
        self.pages += 1  # 1-based, counted in this run
        if summary.rejects:
            spec = resource_spec(vendor=self.rejects.vendor, resource=self.rejects.resource)
            self.rejects.add(summary, records=spec.records(payload), origin={"page": self.pages})
        return summary


def summary_line(result: SyncResult, *, resource: str) -> str:
    """ "sources: created 3, updated 0, unchanged 5, rejected 1 (2 pages, resumed)"."""
    counts = ", ".join(f"{name} {result.state.totals[name]}" for name in TOTALS)
    resumed = ", resumed" if result.resumed_from is not None else ""
    return f"{resource}: {counts} ({result.state.pages} pages{resumed})"
