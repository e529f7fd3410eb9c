"""The `switchboard` command. Each subcommand is a small function; `main` dispatches."""

import argparse
import sys
from collections.abc import Callable, Sequence

from app.settings import Settings

Command = Callable[[argparse.Namespace, Settings], int]


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    """Upgrade the database schema to the code's head revision."""
    from app.migrate import upgrade

    upgrade(settings)
    print(f"database at head revision ({settings.database_url})")
    return 0


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    """Import vendor JSON files (one response per file), each file in one transaction."""
    import asyncio
    from pathlib import Path

    from app.ingest.files import ImportJob, import_files
    from app.vendors import PayloadError, parse_vendor, resource_spec

    try:
        vendor = parse_vendor(args.vendor)
        spec = resource_spec(vendor=vendor, resource=args.resource)
    except (ValueError, PayloadError) as exc:
        print(f"switchboard import: {exc}", file=sys.stderr)
        return 2
    if args.company is None and not spec.names_company:
        print(f"switchboard import: {args.vendor} {args.resource} needs --company "
              "(a Company ID or the vendor's own company id)", file=sys.stderr)
        return 2
    job = ImportJob(
        vendor=vendor, resource=args.resource, files=[Path(f) for f in args.files],
        account=args.account or settings.default_account, company=args.company,
        rejects_path=Path(args.rejects), out=sys.stdout, err=sys.stderr, workers=args.workers,
        bulk=args.bulk,
    )
    return asyncio.run(import_files(settings=settings, job=job))


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def cmd_sync(args: argparse.Namespace, settings: Settings) -> int:
    """Page through a vendor's API and import every page, resuming an interrupted sync."""
    from app.sync_command import run

    return run(args, settings)


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    """Fill the database with the deterministic demo dataset; rerunning it is safe."""
    from app.demo.command import demo_command
    from app.migrate import DatabaseOutOfDate

    try:
        return demo_command(settings=settings, account=args.account or settings.default_account,
                            calls=args.calls, seed=args.seed)
    except DatabaseOutOfDate as exc:
        print(f"switchboard: {exc}", file=sys.stderr)
        return 2


def cmd_schema(args: argparse.Namespace, settings: Settings) -> int:
    """Print the GraphQL schema (SDL); schema.graphql at the repo root is this output."""
    from app.graphql.schema import schema

    print(schema.as_str())
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the API under uvicorn; refuses a database whose schema is out of date."""
    import asyncio

    import uvicorn

    from app.db import create_engine
    from app.main import create_app
    from app.migrate import DatabaseOutOfDate, check_current

    async def check() -> None:
        engine = create_engine(settings)
        try:
            await check_current(engine, settings)
        finally:
            await engine.dispose()

    try:
        asyncio.run(check())
    except DatabaseOutOfDate as exc:
        print(f"switchboard: {exc}", file=sys.stderr)
        return 2
    from app.keys_cli import demo_key
    from app.logs import configure_logging

    configure_logging(args.log_level)
    headers = None
    if args.demo_key:
        token = demo_key(settings, host=args.host)
        headers = {"Authorization": f"Bearer {token}"}
        print(f"demo API key for account {settings.default_account}: {token}", flush=True)
    if args.workers > 1:
        from app.asgi import serve_workers

        print(f"GraphiQL on http://{args.host}:{args.port}/graphql ({args.workers} workers)", flush=True)
        return serve_workers(settings=settings, host=args.host, port=args.port,
                             workers=args.workers, log_level=args.log_level,
                             ide_headers=headers)
    print(f"GraphiQL on http://{args.host}:{args.port}/graphql", flush=True)
    app = create_app(settings, ide_headers=headers)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="switchboard", description=__doc__)
    parser.add_argument("--database-url", help="overrides DATABASE_URL")
    sub = parser.add_subparsers(dest="command", required=True)

    migrate = sub.add_parser("migrate", help="upgrade the database schema")
    migrate.set_defaults(func=cmd_migrate)

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
    imp.set_defaults(func=cmd_import)

    from app.sync_command import add_arguments as add_sync_arguments

    sync = sub.add_parser("sync", help="page through a vendor's API and import it (resumable)")
    add_sync_arguments(sync)
    sync.set_defaults(func=cmd_sync)

    demo = sub.add_parser("demo", help="fill the database with demo data (idempotent)")
    demo.add_argument("--account", help="account to fill (default: DEFAULT_ACCOUNT, 'demo')")
    demo.add_argument("--calls", type=int, default=30_000, help="calls to generate (30,000)")
    demo.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")
    demo.set_defaults(func=cmd_demo)

    schema = sub.add_parser("schema", help="print the GraphQL schema (SDL)")
    schema.set_defaults(func=cmd_schema)

    serve = sub.add_parser("serve", help="serve the GraphQL API with GraphiQL")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--log-level", default="info")
    serve.add_argument("--workers", type=int, default=1,
                       help="worker processes, each with its own connection pool (default 1)")
    serve.add_argument(
        "--demo-key", action="store_true",
        help="mint a key for the default account and pre-fill it in GraphiQL (loopback only)",
    )
    serve.set_defaults(func=cmd_serve)

    from app.keys_cli import add_keys_parser

    add_keys_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    overrides = {"database_url": args.database_url} if args.database_url else {}
    settings = Settings(**overrides)
    command: Command = args.func
    return command(args, settings)


if __name__ == "__main__":
    sys.exit(main())
