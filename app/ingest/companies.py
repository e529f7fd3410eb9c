"""Accounts and companies: found by any of their vendor ids (CompanyLink), or created."""

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.ids import InvalidGlobalId, decode_global_id
from app.ingest.sql import (
    Executes,
    changed_columns,
    get_or_create,
    insert_ignoring_conflicts,
)
from app.models import Account, Company, CompanyLink
from app.models.enums import NamedBy, Vendor
from app.vendors.base import PayloadError
from app.vendors.rows import CompanyRef

ACCOUNT = Account.__table__
COMPANY = Company.__table__
COMPANY_LINK = CompanyLink.__table__


async def ensure_account(conn: Executes, *, name: str) -> int:
    """The id of the account called `name`, created if missing."""
    ids = await get_or_create(conn, ACCOUNT, key="name", where={}, new={name: {}})
    return ids[name]


async def ensure_company(conn: Executes, *, account_id: int, ref: CompanyRef) -> tuple[int, str]:
    """(id, default region) of the company one of whose vendor ids `ref` is. A vendor's name
    replaces the stored one unless a person named the company (`named_by` USER); the vendor's
    account id follows the vendor. Zone and region are only ever set when the company is made."""
    row = await _linked(conn, account_id, ref.vendor, ref.external_id)
    if row is None:
        company_id = await create_company(
            conn,
            account_id=account_id,
            vendor=ref.vendor,
            external_id=ref.external_id,
            values=_new_company_values(ref),
            vendor_account_id=ref.vendor_account_id,
        )
        return await _company_region(conn, company_id)
    await _follow_vendor(conn, row, ref)
    return row.company_id, row.default_region


async def _linked(conn: Executes, account_id: int, vendor: Vendor, external_id: str) -> Any:
    """The link naming (vendor, external_id) in the account, with its company's columns."""
    stmt = (
        select(
            COMPANY_LINK.c.id.label("link_id"),
            COMPANY_LINK.c.company_id,
            COMPANY_LINK.c.vendor_account_id.label("link_account_id"),
            COMPANY.c.vendor,
            COMPANY.c.external_id,
            COMPANY.c.vendor_account_id,
            COMPANY.c.name,
            COMPANY.c.named_by,
            COMPANY.c.default_region,
        )
        .join(COMPANY, COMPANY.c.id == COMPANY_LINK.c.company_id)
        .where(
            COMPANY_LINK.c.account_id == account_id,
            COMPANY_LINK.c.vendor == vendor,
            COMPANY_LINK.c.external_id == external_id,
        )
    )
    return (await conn.execute(stmt)).first()


def _new_company_values(ref: CompanyRef) -> dict[str, Any]:
    values: dict[str, Any] = {"name": ref.name or ref.external_id}
    if ref.default_region:
        values["default_region"] = ref.default_region.upper()
    return values


async def _follow_vendor(conn: Executes, row: Any, ref: CompanyRef) -> None:
    """Write what the vendor says now: its name (while the vendor names the company) and its
    account id (on the link, and on the company when the link is its own vendor id)."""
    company: dict[str, Any] = {}
    if ref.name is not None and ref.name != row.name and row.named_by == NamedBy.VENDOR:
        company["name"] = ref.name
    account = ref.vendor_account_id
    if account is not None and account != row.link_account_id:
        await conn.execute(
            update(COMPANY_LINK)
            .where(COMPANY_LINK.c.id == row.link_id)
            .values(vendor_account_id=account)
        )
    own = (row.vendor, row.external_id) == (ref.vendor, ref.external_id)
    if own and account is not None and account != row.vendor_account_id:
        company["vendor_account_id"] = account
    if company:
        await conn.execute(update(COMPANY).where(COMPANY.c.id == row.company_id).values(company))


async def create_company(
    conn: Executes,
    *,
    account_id: int,
    vendor: Vendor,
    external_id: str,
    values: dict[str, Any],
    vendor_account_id: str | None = None,
) -> int:
    """A company first seen as (vendor, external_id), with that id as its first link (a company
    stored with that own id but no link yet gets the link)."""
    new = {**values, "vendor_account_id": vendor_account_id}
    where = {"account_id": account_id, "vendor": vendor}
    ids = await get_or_create(conn, COMPANY, key="external_id", where=where, new={external_id: new})
    company_id = ids[external_id]
    link = {
        **where,
        "company_id": company_id,
        "external_id": external_id,
        "vendor_account_id": vendor_account_id,
    }
    await conn.execute(insert_ignoring_conflicts(conn, COMPANY_LINK), [link])
    return company_id


async def _company_region(conn: Executes, company_id: int) -> tuple[int, str]:
    stmt = select(COMPANY.c.default_region).where(COMPANY.c.id == company_id)
    return company_id, (await conn.execute(stmt)).scalar_one()


async def company_from_argument(
    conn: Executes, *, account_id: int, vendor: Vendor, company: str
) -> tuple[int, str]:
    """--company: a Switchboard Company global ID of this account, else the vendor's own id."""
    try:
        type_name, pk = decode_global_id(company)
    except InvalidGlobalId:
        return await ensure_company(
            conn, account_id=account_id, ref=CompanyRef(vendor=vendor, external_id=company)
        )
    if type_name != "Company":
        raise PayloadError(f"--company {company}: that is a {type_name} ID, not a Company ID")
    stmt = select(COMPANY.c.default_region).where(
        COMPANY.c.id == pk, COMPANY.c.account_id == account_id
    )
    region = (await conn.execute(stmt)).scalar_one_or_none()
    if region is None:
        raise PayloadError(f"--company {company}: no such Company in this account")
    return pk, region


async def upsert_company(
    *,
    session_factory: async_sessionmaker[AsyncSession],
    account: str,
    vendor: Vendor,
    external_id: str,
    name: str,
    time_zone: str = "UTC",
    default_region: str = "US",
) -> int:
    """Create or update a company (name, time zone, default region) in its own transaction,
    found by any of its vendor ids."""
    async with session_factory() as session, session.begin():
        conn = await session.connection()
        account_id = await ensure_account(conn, name=account)
        values = {"name": name, "time_zone": time_zone, "default_region": default_region.upper()}
        row = await _linked(conn, account_id, vendor, external_id)
        if row is None:
            return await create_company(
                conn, account_id=account_id, vendor=vendor, external_id=external_id, values=values
            )
        company_id: int = row.company_id
        stmt = select(*(COMPANY.c[name] for name in values)).where(COMPANY.c.id == company_id)
        stored = dict((await conn.execute(stmt)).one()._mapping)
        changes = changed_columns(stored, values)
        if changes:
            await conn.execute(update(COMPANY).where(COMPANY.c.id == company_id).values(changes))
        return company_id
