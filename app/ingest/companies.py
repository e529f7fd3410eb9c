"""Accounts and companies: found or created by name / vendor + external id."""

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.ids import InvalidGlobalId, decode_global_id
from app.ingest.sql import Executes, changed_columns, get_or_create, rows_by_key
from app.models import Account, Company
from app.models.enums import Vendor
from app.vendors.base import PayloadError
from app.vendors.rows import CompanyRef

ACCOUNT = Account.__table__
COMPANY = Company.__table__


async def ensure_account(conn: Executes, *, name: str) -> int:
    """The id of the account called `name`, created if missing."""
    ids = await get_or_create(conn, ACCOUNT, key="name", where={}, new={name: {}})
    return ids[name]


async def ensure_company(
    conn: Executes, *, account_id: int, ref: CompanyRef
) -> tuple[int, str]:
    """(id, default region) of the company `ref` names; its name and vendor account follow the
    vendor when the vendor gives them."""
    stmt = select(
        COMPANY.c.id, COMPANY.c.name, COMPANY.c.vendor_account_id, COMPANY.c.default_region
    ).where(
        COMPANY.c.account_id == account_id,
        COMPANY.c.vendor == ref.vendor,
        COMPANY.c.external_id == ref.external_id,
    )
    row = (await conn.execute(stmt)).first()
    if row is None:
        new = {"name": ref.name or ref.external_id, "vendor_account_id": ref.vendor_account_id}
        if ref.default_region:
            new["default_region"] = ref.default_region.upper()
        ids = await get_or_create(
            conn,
            COMPANY,
            key="external_id",
            where={"account_id": account_id, "vendor": ref.vendor},
            new={ref.external_id: new},
        )
        return await _company_region(conn, ids[ref.external_id])
    changes = {}
    if ref.name is not None and ref.name != row.name:
        changes["name"] = ref.name
    if ref.vendor_account_id is not None and ref.vendor_account_id != row.vendor_account_id:
        changes["vendor_account_id"] = ref.vendor_account_id
    if changes:
        await conn.execute(update(COMPANY).where(COMPANY.c.id == row.id).values(changes))
    return row.id, row.default_region


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
    """Create or update a company (name, time zone, default region) in its own transaction."""
    async with session_factory() as session, session.begin():
        conn = await session.connection()
        account_id = await ensure_account(conn, name=account)
        values = {"name": name, "time_zone": time_zone, "default_region": default_region.upper()}
        where = {"account_id": account_id, "vendor": vendor}
        ids = await get_or_create(
            conn, COMPANY, key="external_id", where=where, new={external_id: values}
        )
        [stored] = (await rows_by_key(
            conn, COMPANY, key="external_id", keys=[external_id], where=where, columns=values
        )).values()  # fmt: skip
        changes = changed_columns(stored, values)
        if changes:
            await conn.execute(update(COMPANY).where(COMPANY.c.id == stored["id"]).values(changes))
        return ids[external_id]
