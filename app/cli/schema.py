"""`switchboard schema`: print the GraphQL schema (SDL); schema.graphql at the repo root is it."""

import argparse

from app.core.settings import Settings


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    schema = sub.add_parser("schema", help="print the GraphQL schema (SDL)")
    schema.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print the GraphQL schema (SDL); schema.graphql at the repo root is this output."""
    from app.graphql.schema import schema

    print(schema.as_str())
    return 0
