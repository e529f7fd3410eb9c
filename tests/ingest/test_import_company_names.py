"""Company names from payloads: CallRail's `company_name` names the company an import creates
and follows the vendor's renames, until a person names it (`companies set`); zone and region
are never changed by an import."""

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.companies import set_company
from app.core.ids import encode_global_id
from app.models import Company, CompanyLink
from app.models.enums import Vendor

from helpers.imports import Importer, Rows, load


def renamed(name: str) -> dict[str, object]:
    payload = load("callrail/sources.json")
    payload["sources"] = [{**s, "company_name": name} for s in payload["sources"]]
    return payload


async def test_the_vendor_names_the_company_until_a_person_does(
    run_import: Importer, rows: Rows, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await run_import(Vendor.CALLRAIL, "sources", load("callrail/sources.json"))
    [company] = await rows(Company)
    assert (company["name"], company["named_by"], company["time_zone"]) == ("LMM", "VENDOR", "UTC")

    await run_import(Vendor.CALLRAIL, "sources", renamed("LMM Holdings"))
    [company] = await rows(Company)
    assert company["name"] == "LMM Holdings"

    async with session_factory() as session, session.begin():
        conn = await session.connection()
        await set_company(
            conn, encode_global_id("Company", company["id"]), name="Bob's Auto Garage",
            time_zone="America/New_York", region="CA",
        )  # fmt: skip
    summary = await run_import(Vendor.CALLRAIL, "sources", renamed("LMM Again"))

    assert (summary.unchanged, summary.rejected) == (2, 0)  # the sources imported as before
    [company] = await rows(Company)
    assert (company["name"], company["named_by"]) == ("Bob's Auto Garage", "USER")
    assert (company["time_zone"], company["default_region"]) == ("America/New_York", "CA")


async def test_an_import_creates_the_company_with_its_own_vendor_id_linked(
    run_import: Importer, rows: Rows
) -> None:
    await run_import(Vendor.FONE_DYNAMICS, "numbers", load("fonedynamics/numbers.json"))

    companies = {c["id"]: c for c in await rows(Company)}
    links = await rows(CompanyLink)
    assert sorted(
        (companies[link["company_id"]]["external_id"], link["external_id"]) for link in links
    ) == [
        ("PR4f0c2a9e7b1d4c3a8e5f6a7b8c9d0e1f", "PR4f0c2a9e7b1d4c3a8e5f6a7b8c9d0e1f"),
        ("PR9a8b7c6d5e4f30211f2e3d4c5b6a7980", "PR9a8b7c6d5e4f30211f2e3d4c5b6a7980"),
    ]
    assert {link["vendor_account_id"] for link in links} == {"AC1b2c3d4e5f60718293a4b5c6d7e8f901"}
    assert {c["default_region"] for c in companies.values()} == {"AU"}  # FD CountryCode
