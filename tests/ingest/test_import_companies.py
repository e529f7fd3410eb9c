"""upsert_company: the demo and sync name companies first; imports then attach to them."""

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.ingest import upsert_company
from app.models import Company, Number
from app.models.enums import Vendor

from helpers.imports import ACCOUNT, Importer, Rows, Snapshot, load


async def test_upsert_company_creates_updates_and_is_idempotent(
    session_factory: async_sessionmaker[AsyncSession], snapshot: Snapshot, rows: Rows
) -> None:
    async def upsert(time_zone: str) -> int:
        return await upsert_company(
            session_factory=session_factory, account=ACCOUNT, vendor=Vendor.BUTTER,
            external_id="org_7f3a9c", name="Acme Plumbing", time_zone=time_zone,
            default_region="au",
        )  # fmt: skip

    company_id = await upsert("Australia/Sydney")
    before = await snapshot()
    assert await upsert("Australia/Sydney") == company_id
    assert await snapshot() == before
    assert await upsert("Australia/Perth") == company_id

    [company] = await rows(Company)
    assert (company["id"], company["name"], company["time_zone"], company["default_region"]) == (
        company_id, "Acme Plumbing", "Australia/Perth", "AU",
    )  # fmt: skip


async def test_import_attaches_to_the_named_company_and_uses_its_region(
    session_factory: async_sessionmaker[AsyncSession], run_import: Importer, rows: Rows
) -> None:
    company_id = await upsert_company(
        session_factory=session_factory, account=ACCOUNT, vendor=Vendor.BUTTER,
        external_id="org_au", name="Acme Plumbing", default_region="AU",
    )  # fmt: skip
    payload = load("butter/phone_numbers.json")
    payload["data"][0]["phone_number"] = "02 9000 1234"  # national form: the company's region

    summary = await run_import(Vendor.BUTTER, "phone-numbers", payload, company="org_au")

    assert summary.created == 2
    [company] = await rows(Company)
    assert company["id"] == company_id
    numbers = {n["e164"]: n["company_id"] for n in await rows(Number)}
    assert numbers == {"+61290001234": company_id, "+15559876543": company_id}


async def test_national_number_read_with_the_wrong_region_is_kept_as_invalid(
    run_import: Importer, rows: Rows
) -> None:
    payload = load("butter/phone_numbers.json")
    payload["data"][1]["phone_number"] = "02 9000 1234"  # a new company's region is US

    summary = await run_import(Vendor.BUTTER, "phone-numbers", payload, company="org_new")

    assert summary.created == 2
    [number] = await rows(Number, Number.e164 == "+10290001234")  # possible, not valid, in US
    assert number["is_valid"] is False
