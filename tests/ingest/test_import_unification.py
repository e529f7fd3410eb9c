"""Unification across vendors: one E.164 is one Number remembering every vendor that reports it,
one Caller per E.164 whatever the vendor or written form, and named sources become Sources."""

from app.core.ids import encode_global_id
from app.models import Caller, Company, Lead, Number, NumberLink, Source
from app.models.enums import TrackingType, Vendor

from helpers.imports import Importer, Rows, load


async def test_number_seen_by_callrail_and_fone_dynamics_is_one_number(
    run_import: Importer, rows: Rows
) -> None:
    await run_import(Vendor.CALLRAIL, "sources", load("callrail/sources.json"))
    fd_number = {
        "Number": "+16781112222",  # CallRail's "Google Organic" tracking number
        "PropertySid": "PR4f0c2a9e7b1d4c3a8e5f6a7b8c9d0e1f",
        "Type": "Toll-Free",
        "Capabilities": "Voice,SMS",
        "Attribution_Source": "google",
        "CountryCode": "US",
    }
    summary = await run_import(Vendor.FONE_DYNAMICS, "numbers", fd_number)

    assert summary.updated == 1  # merged into CallRail's number, not created
    [number] = await rows(Number, Number.e164 == "+16781112222")
    links = await rows(NumberLink, NumberLink.number_id == number["id"])
    assert {(link["vendor"], link["external_id"]) for link in links} == {
        ("CALLRAIL", "+16781112222"),
        ("FONE_DYNAMICS", "+16781112222"),
    }
    assert (number["has_voice"], number["has_sms"], number["number_type"]) == (
        True, True, "TOLL_FREE",
    )  # fmt: skip
    assert number["endpoint_e164"] == "+17701112222"  # still CallRail's destination
    [google_organic] = await rows(Source, Source.external_id == "240917258")
    assert number["source_id"] == google_organic["id"]  # CallRail named it first: it stays


async def test_two_vendors_naming_a_source_for_one_number_converge(
    run_import: Importer, rows: Rows
) -> None:
    fd_number = {
        "Number": "+16781112222",  # CallRail's "Google Organic" tracking number
        "PropertySid": "PR4f0c2a9e7b1d4c3a8e5f6a7b8c9d0e1f",
        "Attribution_Source": "google",
    }
    await run_import(Vendor.FONE_DYNAMICS, "numbers", fd_number)
    await run_import(Vendor.CALLRAIL, "sources", load("callrail/sources.json"))

    again_fd = await run_import(Vendor.FONE_DYNAMICS, "numbers", fd_number)
    again_callrail = await run_import(Vendor.CALLRAIL, "sources", load("callrail/sources.json"))

    assert (again_fd.updated, again_callrail.updated) == (0, 0)
    [number] = await rows(Number, Number.e164 == "+16781112222")
    [attribution] = await rows(Source, Source.vendor == Vendor.FONE_DYNAMICS)
    assert number["source_id"] == attribution["id"]  # Fone Dynamics named it first


async def test_a_vendor_still_moves_its_own_source(run_import: Importer, rows: Rows) -> None:
    fd_number = {"Number": "+16781112222", "PropertySid": "PR1", "Attribution_Source": "google"}
    await run_import(Vendor.FONE_DYNAMICS, "numbers", fd_number)
    moved = await run_import(
        Vendor.FONE_DYNAMICS, "numbers", {**fd_number, "Attribution_Source": "bing"}
    )

    assert moved.updated == 1
    [number] = await rows(Number, Number.e164 == "+16781112222")
    [bing] = await rows(Source, Source.name == "bing")
    assert number["source_id"] == bing["id"]


async def test_butter_number_links_by_its_phone_number_id(run_import: Importer, rows: Rows) -> None:
    await run_import(Vendor.BUTTER, "phone-numbers", load("butter/phone_numbers.json"),
                     company="org_7f3a9c")  # fmt: skip
    links = await rows(NumberLink, NumberLink.vendor == Vendor.BUTTER)
    assert sorted(link["external_id"] for link in links) == [
        "phon_a1b2c3d4e5f6", "phon_b2c3d4e5f6a7",
    ]  # fmt: skip

    moved = load("butter/phone_numbers.json")
    moved["data"][0]["phone_number"] = "+15550001111"  # Butter reassigned the id
    summary = await run_import(Vendor.BUTTER, "phone-numbers", moved, company="org_7f3a9c")

    assert (summary.created, summary.unchanged) == (1, 1)
    [link] = await rows(NumberLink, NumberLink.external_id == "phon_a1b2c3d4e5f6")
    [number] = await rows(Number, Number.id == link["number_id"])
    assert number["e164"] == "+15550001111"


async def test_one_caller_per_e164_across_calls_and_leads(run_import: Importer, rows: Rows) -> None:
    await run_import(Vendor.FONE_DYNAMICS, "calls", load("fonedynamics/calls.json"))
    leads = load("trackdrive/leads_root_false.json")
    leads[0]["caller_id"] = "+61 412 345 678"  # the first call's caller, written with spaces
    await run_import(Vendor.TRACKDRIVE, "leads", leads, company="td-company-42")

    callers = await rows(Caller)
    assert sorted(c["e164"] for c in callers) == ["+17705551234", "+61298765432",
                                                  "+61390001234", "+61412345678"]  # fmt: skip
    [lead] = await rows(Lead, Lead.external_id == str(leads[0]["id"]))
    [caller] = await rows(Caller, Caller.e164 == "+61412345678")
    assert (lead["caller_id"], lead["caller_number"]) == (caller["id"], "+61 412 345 678")


async def test_attribution_and_traffic_sources_become_sources_of_the_company(
    run_import: Importer, rows: Rows
) -> None:
    await run_import(Vendor.FONE_DYNAMICS, "calls", load("fonedynamics/calls.json"))
    await run_import(Vendor.TRACKDRIVE, "leads", load("trackdrive/leads.json"), company="td-1")

    sources = {(s["vendor"], s["external_id"]): s for s in await rows(Source)}
    prop = "PR4f0c2a9e7b1d4c3a8e5f6a7b8c9d0e1f"
    assert set(sources) == {
        ("FONE_DYNAMICS", f"{prop}:google"),
        ("FONE_DYNAMICS", f"{prop}:yellow-pages"),
        ("TRACKDRIVE", "3310"),
        ("TRACKDRIVE", "3311"),
    }
    google = sources[("FONE_DYNAMICS", f"{prop}:google")]
    [fd_company] = await rows(Company, Company.external_id == prop)
    assert (google["name"], google["tracking_type"], google["company_id"]) == (
        "google", TrackingType.ATTRIBUTION, fd_company["id"],
    )  # fmt: skip
    traffic = sources[("TRACKDRIVE", "3310")]
    assert traffic["tracking_type"] == TrackingType.TRAFFIC_SOURCE
    leads = await rows(Lead, Lead.traffic_source_id == "3310")
    assert {lead["source_id"] for lead in leads} == {traffic["id"]}


async def test_company_option_takes_a_company_global_id(run_import: Importer, rows: Rows) -> None:
    await run_import(Vendor.CALLRAIL, "sources", load("callrail/sources.json"))
    [lmm] = await rows(Company)

    await run_import(Vendor.TRACKDRIVE, "leads", load("trackdrive/leads.json"),
                     company=encode_global_id("Company", lmm["id"]))  # fmt: skip

    assert len(await rows(Company)) == 1
    assert {lead["company_id"] for lead in await rows(Lead)} == {lmm["id"]}


async def test_a_number_a_source_no_longer_lists_loses_the_source(
    run_import: Importer, rows: Rows
) -> None:
    page = load("callrail/sources.json")
    await run_import(Vendor.CALLRAIL, "sources", page)
    pool = page["sources"][1]  # a keyword pool of ten numbers
    kept, dropped = pool["tracking_numbers"][:-1], pool["tracking_numbers"][-1]
    smaller = {**page, "sources": [page["sources"][0], {**pool, "tracking_numbers": kept}]}

    summary = await run_import(Vendor.CALLRAIL, "sources", smaller)

    assert (summary.updated, summary.unchanged) == (1, 1)
    [source] = await rows(Source, Source.external_id == str(pool["id"]))
    numbers = {n["e164"]: n for n in await rows(Number)}
    assert numbers[dropped]["source_id"] is None  # the number stays, without the source
    assert all(numbers[e164]["source_id"] == source["id"] for e164 in kept)
    again = await run_import(Vendor.CALLRAIL, "sources", smaller)
    assert (again.updated, again.unchanged) == (0, 2)
    back = await run_import(Vendor.CALLRAIL, "sources", page)
    assert back.updated == 1
    [number] = await rows(Number, Number.e164 == dropped)
    assert number["source_id"] == source["id"]


async def test_a_source_does_not_release_a_number_another_vendor_named_a_source_for(
    run_import: Importer, rows: Rows
) -> None:
    fd_number = {"Number": "+16781112222", "PropertySid": "PR1", "Attribution_Source": "google"}
    await run_import(Vendor.FONE_DYNAMICS, "numbers", fd_number)
    page = load("callrail/sources.json")
    await run_import(Vendor.CALLRAIL, "sources", page)
    organic = {**page["sources"][0], "tracking_numbers": []}

    summary = await run_import(Vendor.CALLRAIL, "sources", {**page, "sources": [organic]})

    assert summary.unchanged == 1
    [number] = await rows(Number, Number.e164 == "+16781112222")
    [attribution] = await rows(Source, Source.vendor == Vendor.FONE_DYNAMICS)
    assert number["source_id"] == attribution["id"]
