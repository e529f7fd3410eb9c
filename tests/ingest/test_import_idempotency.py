"""Idempotency: importing every fixture again, in the same order, reports all unchanged and
leaves every row of every table exactly as it was."""

from app.models.enums import Vendor

from helpers.imports import Importer, Snapshot, load

ORDER = [
    (Vendor.CALLRAIL, "sources", "callrail/sources.json", None),
    (Vendor.FONE_DYNAMICS, "numbers", "fonedynamics/numbers.json", None),
    (Vendor.FONE_DYNAMICS, "numbers", "fonedynamics/number_single.json", None),
    (Vendor.FONE_DYNAMICS, "calls", "fonedynamics/calls.json", None),
    (Vendor.FONE_DYNAMICS, "calls", "fonedynamics/call_single.json", None),
    (Vendor.BUTTER, "phone-numbers", "butter/phone_numbers.json", "org_7f3a9c"),
    (Vendor.TRACKDRIVE, "leads", "trackdrive/leads.json", "td-company-42"),
    (Vendor.TRACKDRIVE, "leads", "trackdrive/leads_root_false.json", "td-company-42"),
]


async def test_second_import_of_everything_is_unchanged(
    run_import: Importer, snapshot: Snapshot
) -> None:
    for vendor, resource, path, company in ORDER:
        await run_import(vendor, resource, load(path), company=company)
    before = await snapshot()
    assert sum(len(rows) for rows in before.values()) > 40

    for vendor, resource, path, company in ORDER:
        summary = await run_import(vendor, resource, load(path), company=company)
        assert (summary.created, summary.updated, summary.rejected) == (0, 0, 0), path
        assert summary.unchanged > 0

    assert await snapshot() == before


async def test_a_changed_field_is_one_update(run_import: Importer, snapshot: Snapshot) -> None:
    calls = load("fonedynamics/calls.json")
    await run_import(Vendor.FONE_DYNAMICS, "calls", calls)
    calls[2]["Notes"] = "Called back; booked."

    summary = await run_import(Vendor.FONE_DYNAMICS, "calls", calls)

    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 4)
    rows = (await snapshot())["call"]
    assert [row["notes"] for row in rows if row["external_id"] == calls[2]["CallSid"]] == [
        "Called back; booked."
    ]
