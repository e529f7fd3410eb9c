"""`switchboard keys create|revoke|list`, and the demo key `serve --demo-key` mints."""

import argparse
import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.api_keys import (
    ALL_SCOPES,
    NewKey,
    UnknownScope,
    account_id_for,
    create_key,
    find_principal,
    revoke_key,
    revoke_labelled,
)
from app.core.db import create_engine
from app.core.settings import Settings
from app.models import Account, ApiKey

T = TypeVar("T")
DEMO_LABEL = "graphiql-demo"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _run(settings: Settings, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
    async def main() -> T:
        engine = create_engine(settings)
        try:
            async with engine.begin() as conn:
                return await work(conn)
        finally:
            await engine.dispose()

    return asyncio.run(main())


def cmd_create(args: argparse.Namespace, settings: Settings) -> int:
    """Mint a key for an account (created if new) and print it: it is shown this once."""
    scopes = (
        [s for group in args.scope for s in group.split(",")] if args.scope else list(ALL_SCOPES)
    )

    async def work(conn: AsyncConnection) -> NewKey:
        account_id = await account_id_for(conn, name=args.account, create=True)
        assert account_id is not None
        return await create_key(conn, account_id=account_id, scopes=scopes, label=args.label)

    try:
        key = _run(settings, work)
    except UnknownScope as exc:
        print(f"switchboard: {exc}", file=sys.stderr)
        return 2
    print(key.token)
    print(
        f"account {args.account}, scopes {' '.join(key.scopes)}; store it now, it is not shown again",
        file=sys.stderr,
    )
    return 0


def cmd_revoke(args: argparse.Namespace, settings: Settings) -> int:
    """Revoke a key, named by its full token or its prefix (the middle part, as `list` shows)."""
    parts = args.key.split("_", 2)
    prefix = parts[1] if len(parts) == 3 else args.key
    if not _run(settings, lambda conn: revoke_key(conn, prefix=prefix)):
        print(f"switchboard: no live key with prefix {prefix}", file=sys.stderr)
        return 1
    print(f"revoked {prefix}")
    return 0


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    """List keys (prefix, account, scopes, state); secrets are never stored, so never shown."""
    key, account = ApiKey.__table__, Account.__table__

    async def work(conn: AsyncConnection) -> list[tuple[str, ...]]:
        rows = await conn.execute(
            select(
                key.c.prefix,
                account.c.name,
                key.c.last4,
                key.c.label,
                key.c.scopes,
                key.c.revoked_at,
            )
            .join(account, account.c.id == key.c.account_id)
            .order_by(key.c.id)
        )
        return [
            (
                r.prefix,
                r.name,
                f"...{r.last4}",
                r.label or "-",
                r.scopes,
                "revoked" if r.revoked_at else "live",
            )
            for r in rows
        ]

    for row in _run(settings, work):
        print("\t".join(row))
    return 0


def demo_key(settings: Settings, *, host: str) -> str:
    """The demo key of the default account: the one stored in DEMO_KEY_FILE while it is still
    live for that account in this database (so an open GraphiQL tab keeps working across
    reruns), else a fresh all-scope key that replaces the previous demo key and is stored."""
    if host not in LOOPBACK:
        raise SystemExit(
            "switchboard: --demo-key puts a key in the GraphiQL page; loopback hosts only"
        )
    path = settings.demo_key_file
    stored = _stored_key(path)

    async def work(conn: AsyncConnection) -> str:
        account_id = await account_id_for(conn, name=settings.default_account, create=True)
        assert account_id is not None
        if stored is not None:
            principal = await find_principal(conn, token=stored)
            if principal is not None and principal.account_id == account_id:
                return stored
        await revoke_labelled(conn, account_id=account_id, label=DEMO_LABEL)
        return (await create_key(conn, account_id=account_id, label=DEMO_LABEL)).token

    token = _run(settings, work)
    if token != stored:
        _store_key(path, token)
    return token


def _stored_key(path: Path) -> str | None:
    try:
        return path.read_text().strip() or None
    except OSError:
        return None


def _store_key(path: Path, token: str) -> None:
    """Written readable by its owner only: it is a live secret."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as out:
        out.write(token + "\n")


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    keys = sub.add_parser("keys", help="create, revoke and list API keys")
    actions = keys.add_subparsers(dest="keys_command", required=True)
    create = actions.add_parser("create", help="mint a key and print it once")
    create.add_argument("--account", required=True, help="account name (created if new)")
    create.add_argument(
        "--scope",
        action="append",
        help=f"repeatable or comma-separated (default: all of {', '.join(ALL_SCOPES)})",
    )
    create.add_argument("--label", default="", help="a note to tell keys apart")
    create.set_defaults(func=cmd_create)
    revoke = actions.add_parser("revoke", help="revoke a key by token or prefix")
    revoke.add_argument("key")
    revoke.set_defaults(func=cmd_revoke)
    listing = actions.add_parser("list", help="list keys without their secrets")
    listing.set_defaults(func=cmd_list)
