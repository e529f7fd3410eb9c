"""`switchboard migrate`: upgrade the database schema to the code's head revision."""

import argparse

from app.core.settings import Settings


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    migrate = sub.add_parser("migrate", help="upgrade the database schema")
    migrate.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Upgrade the database schema to the code's head revision."""
    from app.core.migrate import masked_url, upgrade

    upgrade(settings)
    print(f"database at head revision ({masked_url(settings.database_url)})")
    return 0
