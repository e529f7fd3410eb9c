"""API keys: minting, hashing, revoking and looking up the account and scopes behind a token.

A token is `sb_<prefix>_<secret>`. The prefix is stored in clear to find the row; only the
SHA-256 of the whole token is kept. Tokens carry 256 random bits, so a fast hash is right (a
slow password hash only helps low-entropy secrets) and comparison is constant-time."""

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from app.models import Account, ApiKey

READ_SCOPES = ("companies:read", "sources:read", "numbers:read", "calls:read", "leads:read")
INGEST_SCOPE = "ingest:write"
SYNC_SCOPE = "sync:read"  # the syncStatus query: the account's vendor syncs and their errors
ALL_SCOPES = (*READ_SCOPES, SYNC_SCOPE, INGEST_SCOPE)
TOKEN_PREFIX = "sb"


class UnknownScope(ValueError):
    """A scope name that Switchboard does not define."""


@dataclass(frozen=True)
class Principal:
    """Who a request acts as: one account, and what the key may read."""

    account_id: int
    scopes: frozenset[str]
    key_id: int


@dataclass(frozen=True)
class NewKey:
    token: str
    key_id: int
    account_id: int
    scopes: tuple[str, ...]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def prefix_of(token: str) -> str | None:
    """The lookup prefix of a well-formed token, else None (no database work for junk)."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or len(parts[1]) != 12 or len(parts[2]) < 32:
        return None
    return parts[1]


def check_scopes(scopes: Iterable[str]) -> tuple[str, ...]:
    """Scopes in canonical order; raises UnknownScope naming the first unknown one."""
    wanted = set(scopes)
    unknown = sorted(wanted - set(ALL_SCOPES))
    if unknown:
        raise UnknownScope(f"unknown scope {unknown[0]!r}; known: {', '.join(ALL_SCOPES)}")
    return tuple(s for s in ALL_SCOPES if s in wanted)


async def account_id_for(conn: AsyncConnection, *, name: str, create: bool) -> int | None:
    """The id of the account called `name`, creating it when asked to."""
    table = Account.__table__
    found = (await conn.execute(select(table.c.id).where(table.c.name == name))).scalar()
    if found is not None or not create:
        return found
    created = await conn.execute(
        insert(table).values(name=name, created_at=datetime.now(UTC)).returning(table.c.id)
    )
    return int(created.scalar_one())


async def create_key(
    conn: AsyncConnection, *, account_id: int, scopes: Iterable[str] = ALL_SCOPES, label: str = ""
) -> NewKey:
    """Mint a key; the returned token is the only copy of the secret."""
    ordered = check_scopes(scopes)
    prefix = secrets.token_hex(6)
    token = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    table = ApiKey.__table__
    result = await conn.execute(
        insert(table)
        .values(
            account_id=account_id, prefix=prefix, secret_hash=hash_token(token),
            scopes=" ".join(ordered), label=label, last4=token[-4:], created_at=datetime.now(UTC),
        )
        .returning(table.c.id)
    )
    return NewKey(token=token, key_id=int(result.scalar_one()), account_id=account_id, scopes=ordered)


async def revoke_key(conn: AsyncConnection, *, prefix: str) -> bool:
    """Revoke the live key with `prefix`; False if there is none."""
    table = ApiKey.__table__
    result = await conn.execute(
        update(table)
        .where(table.c.prefix == prefix, table.c.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )
    return bool(result.rowcount)


async def revoke_labelled(conn: AsyncConnection, *, account_id: int, label: str) -> None:
    """Revoke every live key of an account carrying `label` (e.g. the previous demo key)."""
    table = ApiKey.__table__
    await conn.execute(
        update(table)
        .where(table.c.account_id == account_id, table.c.label == label, table.c.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )


async def find_principal(conn: AsyncConnection, *, token: str) -> Principal | None:
    """The principal behind a live token, or None for unknown, revoked or malformed ones."""
    prefix = prefix_of(token)
    if prefix is None:
        return None
    table = ApiKey.__table__
    row = (
        await conn.execute(
            select(table.c.id, table.c.account_id, table.c.secret_hash, table.c.scopes).where(
                table.c.prefix == prefix, table.c.revoked_at.is_(None)
            )
        )
    ).first()
    if row is None or not hmac.compare_digest(row.secret_hash, hash_token(token)):
        return None
    return Principal(account_id=row.account_id, scopes=frozenset(row.scopes.split()), key_id=row.id)
