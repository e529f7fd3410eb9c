"""The `switchboard` command: one module per sub-command, each adding its parser; `main`
dispatches."""

import argparse
from collections.abc import Callable, Sequence

from app.cli import demo, imports, keys, migrate, schema, serve, sync, webhooks
from app.core.settings import Settings

Command = Callable[[argparse.Namespace, Settings], int]
COMMANDS = (migrate, imports, sync, demo, schema, serve, keys, webhooks)


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
    settings = Settings(**overrides)
    command: Command = args.func
    return command(args, settings)
