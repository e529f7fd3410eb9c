"""Webhook endpoints: minting, hashing, revoking and looking up the account, vendor and resource
behind a webhook URL's token.

A token is `wh_<prefix>_<secret>` and is the last part of the URL a vendor is given (vendors
often cannot send headers). As with API keys, the prefix finds the row and only the SHA-256 of
the whole token is kept; tokens carry 256 random bits."""

import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.api_keys import hash_token
from app.models import Account, WebhookEndpoint
from app.models.enums import Vendor

TOKEN_PREFIX = "wh"
PREFIX_LENGTH = 12


@dataclass(frozen=True)
class Endpoint:
    """What a webhook token imports into: an account (by name, as imports take it), a vendor's
    resource, and the company its payloads belong to when they do not name one."""

    endpoint_id: int
    account: str
    vendor: Vendor
    resource: str
    company: str | None


@dataclass(frozen=True)
class NewEndpoint:
    token: str
    endpoint_id: int


def prefix_of(token: str) -> str | None:
    """The lookup prefix of a well-formed token, else None (no database work for junk)."""
    parts = token.split("_", 2)
    if (
        len(parts) != 3
        or parts[0] != TOKEN_PREFIX
        or len(parts[1]) != PREFIX_LENGTH
        or len(parts[2]) < 32
    ):
        return None
    return parts[1]


async def create_endpoint(
    conn: AsyncConnection,
    *,
    account_id: int,
    vendor: Vendor,
    resource: str,
    company: str | None,
    label: str = "",
) -> NewEndpoint:
    """Mint an endpoint; the returned token is the only copy of the secret."""
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    token = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    table = WebhookEndpoint.__table__
    values = {
        "account_id": account_id, "vendor": vendor.value, "resource": resource,
        "company": company, "prefix": prefix, "secret_hash": hash_token(token), "label": label,
        "last4": token[-4:], "created_at": datetime.now(UTC),
    }  # fmt: skip
    result = await conn.execute(insert(table).values(**values).returning(table.c.id))
    return NewEndpoint(token=token, endpoint_id=int(result.scalar_one()))


async def revoke_endpoint(conn: AsyncConnection, *, prefix: str) -> bool:
    """Revoke the live endpoint with `prefix`; False if there is none."""
    table = WebhookEndpoint.__table__
    result = await conn.execute(
        update(table)
        .where(table.c.prefix == prefix, table.c.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )
    return bool(result.rowcount)


async def find_endpoint(conn: AsyncConnection, *, token: str) -> Endpoint | None:
    """The endpoint behind a live token, or None for unknown, revoked or malformed ones."""
    prefix = prefix_of(token)
    if prefix is None:
        return None
    table, account = WebhookEndpoint.__table__, Account.__table__
    stmt = (
        select(table, account.c.name.label("account_name"))
        .join(account, account.c.id == table.c.account_id)
        .where(table.c.prefix == prefix, table.c.revoked_at.is_(None))
    )
    row = (await conn.execute(stmt)).first()
    if row is None or not hmac.compare_digest(row.secret_hash, hash_token(token)):
        return None
    return Endpoint(
        endpoint_id=row.id,
        account=row.account_name,
        vendor=Vendor(row.vendor),
        resource=row.resource,
        company=row.company,
    )
