"""Company administration: list companies with their vendor ids, rename them, set their time
zone and region, link them to their ids at other vendors (used by `switchboard companies`; a
GraphQL write side is to reuse it)."""

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.ids import InvalidGlobalId, decode_global_id, encode_global_id
from app.graphql.rails_zones import RAILS_TIME_ZONES
from app.models import Account, Company, CompanyLink
from app.models.enums import NamedBy, Vendor

ACCOUNT = Account.__table__
COMPANY = Company.__table__
COMPANY_LINK = CompanyLink.__table__
MAX_NAME = 300  # company.name
MAX_ZONE_NAME = 64  # company.time_zone
MAX_EXTERNAL_ID = 100  # company_link.external_id and vendor_account_id


class CompanyError(ValueError):
    """A company request that cannot be done; the message names the value and the problem."""


@dataclass(frozen=True)
class VendorRef:
    vendor: Vendor
    external_id: str
    account_id: str | None


@dataclass(frozen=True)
class CompanyInfo:
    id: str  # the GraphQL global ID
    account: str
    name: str
    named_by: NamedBy
    time_zone: str
    default_region: str
    vendor_ids: tuple[VendorRef, ...]


def company_pk(company_id: str) -> int:
    """The primary key a Company global ID names."""
    try:
        type_name, pk = decode_global_id(company_id)
    except InvalidGlobalId as exc:
        raise CompanyError(f"company {company_id!r}: {exc}") from None
    if type_name != "Company":
        raise CompanyError(f"company {company_id!r}: that is a {type_name} ID, not a Company ID")
    return pk


def iana_zone(name: str) -> str:
    """The IANA name of a zone given by its IANA name or a Rails (TrackDrive) name."""
    iana = name if _known_zone(name) else RAILS_TIME_ZONES.get(name, name)
    if not _known_zone(iana):
        raise CompanyError(
            f"time zone {name[:MAX_ZONE_NAME]!r}: unknown (expected an IANA name such as "
            "'America/Chicago' or a Rails name such as 'Central Time (US & Canada)')"
        )
    return iana


def _known_zone(name: str) -> bool:
    if not name or len(name) > MAX_ZONE_NAME:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def country_region(code: str) -> str:
    """An ISO 3166 alpha-2 country code phonenumbers can read national numbers with."""
    region = code.strip().upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise CompanyError(
            f"region {code!r}: not an ISO 3166 alpha-2 country code with a phone numbering "
            "plan (such as US, AU, GB)"
        )
    return region


def company_name(name: str) -> str:
    text = name.strip()
    if not text or len(text) > MAX_NAME:
        raise CompanyError(f"name {name[:40]!r}: expected 1 to {MAX_NAME} characters")
    return text


def _vendor_text(value: str, what: str) -> str:
    text = value.strip()
    if not text or len(text) > MAX_EXTERNAL_ID:
        raise CompanyError(f"{what} {value[:40]!r}: expected 1 to {MAX_EXTERNAL_ID} characters")
    return text


async def list_companies(conn: AsyncConnection, *, account: str | None) -> list[CompanyInfo]:
    """Every company (of one account, when named), by account and id, with its vendor ids."""
    stmt = select(COMPANY, ACCOUNT.c.name.label("account_name")).join(
        ACCOUNT, ACCOUNT.c.id == COMPANY.c.account_id
    )
    if account is not None:
        stmt = stmt.where(ACCOUNT.c.name == account)
    rows = (await conn.execute(stmt.order_by(COMPANY.c.account_id, COMPANY.c.id))).all()
    links = await _links(conn, [row.id for row in rows])
    return [_info(row, links.get(row.id, ())) for row in rows]


async def get_company(conn: AsyncConnection, company_id: str) -> CompanyInfo:
    pk = company_pk(company_id)
    stmt = (
        select(COMPANY, ACCOUNT.c.name.label("account_name"))
        .join(ACCOUNT, ACCOUNT.c.id == COMPANY.c.account_id)
        .where(COMPANY.c.id == pk)
    )
    row = (await conn.execute(stmt)).first()
    if row is None:
        raise CompanyError(f"company {company_id!r}: no such company")
    links = await _links(conn, [pk])
    return _info(row, links.get(pk, ()))


async def set_company(
    conn: AsyncConnection,
    company_id: str,
    *,
    name: str | None = None,
    time_zone: str | None = None,
    region: str | None = None,
) -> CompanyInfo:
    """Rename a company (imports then keep the name), or set its time zone (IANA or Rails
    name, stored as IANA) or default region; everything is checked before anything is written."""
    values: dict[str, object] = {}
    if name is not None:
        values |= {"name": company_name(name), "named_by": NamedBy.USER}
    if time_zone is not None:
        values["time_zone"] = iana_zone(time_zone)
    if region is not None:
        values["default_region"] = country_region(region)
    if not values:
        raise CompanyError("nothing to set: give a name, a time zone or a region")
    current = await get_company(conn, company_id)
    await conn.execute(update(COMPANY).where(COMPANY.c.id == company_pk(current.id)).values(values))
    return await get_company(conn, company_id)


async def link_company(
    conn: AsyncConnection,
    company_id: str,
    *,
    vendor: Vendor,
    external_id: str,
    account_id: str | None = None,
) -> CompanyInfo:
    """Make a vendor's id (with its vendor account, if it has one) name this company too, so
    that vendor's imports land in it. An id that already names another company is an error;
    linking one the company already has only updates its account id."""
    external = _vendor_text(external_id, f"{vendor.value} id")
    vendor_account = None if account_id is None else _vendor_text(account_id, "account id")
    current = await get_company(conn, company_id)
    pk = company_pk(current.id)
    owner = await _owner(conn, pk, vendor, external)
    if owner is None:
        await conn.execute(
            COMPANY_LINK.insert().values(
                account_id=select(COMPANY.c.account_id).where(COMPANY.c.id == pk).scalar_subquery(),
                company_id=pk, vendor=vendor, external_id=external,
                vendor_account_id=vendor_account,
            )
        )  # fmt: skip
    elif owner.company_id != pk:
        other = encode_global_id("Company", owner.company_id)
        raise CompanyError(
            f"{vendor.value} id {external!r} already names company {other} ({owner.name}); "
            "a vendor id names one company per account"
        )
    elif vendor_account is not None:
        await conn.execute(
            update(COMPANY_LINK)
            .where(COMPANY_LINK.c.id == owner.link_id)
            .values(vendor_account_id=vendor_account)
        )
    return await get_company(conn, company_id)


async def _owner(
    conn: AsyncConnection, pk: int, vendor: Vendor, external_id: str
) -> Row[Any, Any, Any] | None:
    """The link naming (vendor, external_id) in company `pk`'s account, with its company's name."""
    account = select(COMPANY.c.account_id).where(COMPANY.c.id == pk).scalar_subquery()
    stmt = (
        select(COMPANY_LINK.c.id.label("link_id"), COMPANY_LINK.c.company_id, COMPANY.c.name)
        .join(COMPANY, COMPANY.c.id == COMPANY_LINK.c.company_id)
        .where(
            COMPANY_LINK.c.account_id == account,
            COMPANY_LINK.c.vendor == vendor,
            COMPANY_LINK.c.external_id == external_id,
        )
    )
    return (await conn.execute(stmt)).first()


async def _links(conn: AsyncConnection, pks: list[int]) -> dict[int, tuple[VendorRef, ...]]:
    if not pks:
        return {}
    stmt = select(COMPANY_LINK).where(COMPANY_LINK.c.company_id.in_(pks))
    found: dict[int, list[VendorRef]] = {}
    for row in sorted((await conn.execute(stmt)).all(), key=lambda r: (r.vendor, r.external_id)):
        ref = VendorRef(Vendor(row.vendor), row.external_id, row.vendor_account_id)
        found.setdefault(row.company_id, []).append(ref)
    return {pk: tuple(refs) for pk, refs in found.items()}


def _info(row: Row[Any], links: tuple[VendorRef, ...]) -> CompanyInfo:
    r = row._mapping
    return CompanyInfo(
        id=encode_global_id("Company", r["id"]),
        account=r["account_name"],
        name=r["name"],
        named_by=NamedBy(r["named_by"]),
        time_zone=r["time_zone"],
        default_region=r["default_region"],
        vendor_ids=links,
    )
