"""Small factory functions that write rows straight into the tables, for read-side tests."""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.api_keys import ALL_SCOPES, create_key
from app.core.db import create_engine
from app.core.settings import Settings
from app.graphql.compiler.sqlite_functions import install_sql_functions
from app.models import (
    Account,
    Call,
    Caller,
    Company,
    CompanyLink,
    Lead,
    Number,
    NumberLink,
    Source,
)

T = TypeVar("T")
# ../shared/ beside the repository: the vendor documents and the reference queries.
SHARED = Path(__file__).resolve().parents[3] / "shared"
UTC_2026 = datetime(2026, 1, 1, tzinfo=UTC)


def run_db(settings: Settings, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
    """Run `work` in one transaction on a fresh engine (tests are sync; the app has its own loop)."""

    async def main() -> T:
        engine = create_engine(settings)
        install_sql_functions(engine)  # the compiler's statements call them (EXPLAIN too)
        try:
            async with engine.begin() as conn:
                return await work(conn)
        finally:
            await engine.dispose()

    return asyncio.run(main())


async def _insert(conn: AsyncConnection, model: Any, **values: Any) -> int:
    result = await conn.execute(
        insert(model.__table__).values(**values).returning(model.__table__.c.id)
    )
    return int(result.scalar_one())


async def account(conn: AsyncConnection, name: str = "demo") -> int:
    """The account called `name`, created if missing (the client fixture may have made it)."""
    table = Account.__table__
    found = (await conn.execute(select(table.c.id).where(table.c.name == name))).scalar()
    return (
        int(found)
        if found is not None
        else await _insert(conn, Account, name=name, created_at=UTC_2026)
    )


async def api_key(
    conn: AsyncConnection, account_id: int, scopes: Iterable[str] = ALL_SCOPES
) -> str:
    """A live API key for the account; returns the token to send."""
    return (await create_key(conn, account_id=account_id, scopes=scopes, label="test")).token


async def demo_key(conn: AsyncConnection) -> str:
    """A key with every scope for the "demo" account (which read-side tests seed)."""
    return await api_key(conn, await account(conn))


async def company(conn: AsyncConnection, account_id: int, name: str, **values: Any) -> int:
    defaults = {
        "vendor": "CALLRAIL",
        "external_id": name,
        "time_zone": "UTC",
        "created_at": UTC_2026,
    }
    row = {**defaults, **values}
    pk = await _insert(conn, Company, account_id=account_id, name=name, **row)
    # The company's own vendor id is one of its links, as imports and the migration make it.
    link = {k: row.get(k) for k in ("vendor", "external_id", "vendor_account_id")}
    await _insert(conn, CompanyLink, account_id=account_id, company_id=pk, **link)
    return pk


async def source(
    conn: AsyncConnection, account_id: int, company_id: int, name: str, **values: Any
) -> int:
    defaults = {
        "vendor": "CALLRAIL",
        "external_id": name,
        "tracking_type": "SOURCE",
        "created_at": UTC_2026,
    }
    return await _insert(
        conn,
        Source,
        account_id=account_id,
        company_id=company_id,
        name=name,
        **{**defaults, **values},
    )


async def number(
    conn: AsyncConnection, account_id: int, company_id: int, e164: str, **values: Any
) -> int:
    vendors = values.pop("vendors", ["FONE_DYNAMICS"])
    defaults = {"number_type": "LOCAL", "created_at": UTC_2026, "updated_at": UTC_2026}
    pk = await _insert(
        conn,
        Number,
        account_id=account_id,
        company_id=company_id,
        e164=e164,
        **{**defaults, **values},
    )
    for vendor in vendors:
        await _insert(
            conn,
            NumberLink,
            account_id=account_id,
            number_id=pk,
            vendor=vendor,
            external_id=f"{vendor}:{e164}",
        )
    return pk


async def caller(conn: AsyncConnection, account_id: int, e164: str) -> int:
    return await _insert(conn, Caller, account_id=account_id, e164=e164, created_at=UTC_2026)


async def call(
    conn: AsyncConnection, account_id: int, company_id: int, external_id: str, **values: Any
) -> int:
    defaults = {
        "vendor": "FONE_DYNAMICS",
        "started_at": UTC_2026,
        "duration_seconds": 60,
        "disposition": "ANSWERED",
    }
    return await _insert(
        conn,
        Call,
        account_id=account_id,
        company_id=company_id,
        external_id=external_id,
        **{**defaults, **values},
    )


async def lead(
    conn: AsyncConnection, account_id: int, company_id: int, external_id: str, **values: Any
) -> int:
    defaults = {
        "vendor": "TRACKDRIVE",
        "created_at": UTC_2026,
        "updated_at": UTC_2026,
        "revenue": Decimal("0"),
        "payout": Decimal("0"),
    }
    return await _insert(
        conn,
        Lead,
        account_id=account_id,
        company_id=company_id,
        external_id=external_id,
        **{**defaults, **values},
    )
