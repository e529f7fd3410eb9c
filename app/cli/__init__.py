"""The `switchboard` command: one module per sub-command, each adding its parser; `main`
dispatches."""

import argparse
import sys
from collections.abc import Callable, Sequence

from pydantic import ValidationError

from app.cli import (
    companies,
    demo,
    imports,
    keys,
    migrate,
    schedules,
    schema,
    serve,
    sync,
    webhooks,
    worker,
)
from app.cli.failures import DATABASE_ERRORS, database_failure
from app.core.settings import Settings
from app.vendors.base import error_reason

Command = Callable[[argparse.Namespace, Settings], int]
COMMANDS = (migrate, imports, sync, schedules, worker, demo, schema, serve, keys, webhooks, companies)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="switchboard", description="One GraphQL API over call-tracking vendors' data."
    )
    parser.add_argument("--database-url", help="overrides DATABASE_URL")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    overrides = {"database_url": args.database_url} if args.database_url else {}
    try:
        settings = Settings(**overrides)
    except ValidationError as error:
        print(f"switchboard: bad setting: {error_reason(error)}", file=sys.stderr)
        return 2
    command: Command = args.func
    try:
        return command(args, settings)
    except DATABASE_ERRORS as error:
        line = database_failure(error, url=settings.database_url)
        if line is None:
            raise
        print(f"switchboard {args.command}: {line}", file=sys.stderr)
        return 1
