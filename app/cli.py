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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="switchboard", description=__doc__)
    parser.add_argument("--database-url", help="overrides DATABASE_URL")
    sub = parser.add_subparsers(dest="command", required=True)

    migrate = sub.add_parser("migrate", help="upgrade the database schema")
    migrate.set_defaults(func=cmd_migrate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    overrides = {"database_url": args.database_url} if args.database_url else {}
    settings = Settings(**overrides)
    command: Command = args.func
    return command(args, settings)


if __name__ == "__main__":
    sys.exit(main())
