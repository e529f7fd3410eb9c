"""Bad input: a malformed record is rejected with its position and reason while the good
records of the same payload import; a payload of the wrong shape changes nothing; a failure
midway rolls the whole payload back."""

from typing import Any

import pytest

import app.ingest.pipeline
from app.ingest import PayloadError, Reject
from app.models.enums import Vendor

from helpers.imports import Importer, Snapshot, load

CALL_SID = "CA9f3a5b7c1d4e6f8a0b2c3d5e7f9a1b23"  # record 2 of fonedynamics/calls.json


def calls_with(position: int, **changes: Any) -> list[dict[str, Any]]:
    calls = load("fonedynamics/calls.json")
    for name, value in changes.items():
        if value is None:
            del calls[position][name]
        else:
            calls[position][name] = value
    return calls


@pytest.mark.parametrize(
    ("changes", "external_id", "reason"),
    [
        ({"CallSid": None}, None, "CallSid: Field required"),
        ({"DateTime": "abc"}, CALL_SID, "DateTime: not a Unix timestamp: 'abc'"),
        ({"Duration": "long"}, CALL_SID, "Duration: Input should be a valid integer"),
        ({"Duration": [1]}, CALL_SID, "Duration: Input should be a valid integer"),
        ({"Disposition": "Voicemail"}, CALL_SID, "Disposition: Input should be 'Answered'"),
        ({"Session_Traffic_Type": "Paid"}, CALL_SID, "Session_Traffic_Type: Input should be"),
        ({"To": "not a number"}, CALL_SID, "To: not a phone number: 'not a number'"),
    ],
    ids=[
        "missing id",
        "bad date",
        "wrong type",
        "list for int",
        "unknown enum",
        "unknown traffic type",
        "bad dialled number",
    ],
)
async def test_bad_call_is_rejected_and_the_rest_import(
    run_import: Importer, changes: dict[str, Any], external_id: str | None, reason: str
) -> None:
    summary = await run_import(Vendor.FONE_DYNAMICS, "calls", calls_with(2, **changes))

    assert (summary.created, summary.rejected) == (4, 1)
    [reject] = summary.rejects
    assert (reject.position, reject.external_id) == (2, external_id)
    assert reject.reason.startswith(reason), reject.reason


async def test_bad_records_of_every_vendor_name_field_and_position(run_import: Importer) -> None:
    sources = load("callrail/sources.json")
    sources["sources"][1]["type"] = "Keyword"
    numbers = load("fonedynamics/numbers.json")
    numbers[0]["Capabilities"] = "Voice,Fax"
    butter = load("butter/phone_numbers.json")
    butter["data"][0]["status"] = "busy"
    leads = load("trackdrive/leads.json")
    leads["leads"][2]["created_at"] = "yesterday"
    leads["leads"][1]["revenue"] = "lots"

    summaries = [
        await run_import(Vendor.CALLRAIL, "sources", sources),
        await run_import(Vendor.FONE_DYNAMICS, "numbers", numbers),
        await run_import(Vendor.BUTTER, "phone-numbers", butter, company="org_1"),
        await run_import(Vendor.TRACKDRIVE, "leads", leads, company="td-1"),
    ]

    assert [s.rejects for s in summaries] == [
        [Reject(1, "335667046", "type: Input should be 'Source' or 'Session': 'Keyword'")],
        [Reject(0, "+61290001234",
                "Capabilities.1: Input should be 'Voice', 'SMS' or 'MMS': 'Fax'")],
        [Reject(0, "phon_a1b2c3d4e5f6", "status: Input should be 'free' or 'assigned': 'busy'")],
        [Reject(1, "18452212", "revenue: not an amount of money: 'lots'"),
         Reject(2, "18452213", "created_at: not a date like '2016-01-01 12:25:15 -0500' "
                               "or ISO 8601: 'yesterday'")],
    ]  # fmt: skip
    assert [s.created for s in summaries] == [1, 3, 1, 1]


async def test_record_that_is_not_an_object_is_rejected(run_import: Importer) -> None:
    calls = load("fonedynamics/calls.json")
    calls.insert(1, "CA123")
    summary = await run_import(Vendor.FONE_DYNAMICS, "calls", calls)
    assert summary.rejects == [Reject(1, None, "record: expected an object, got str")]
    assert summary.created == 5


async def test_duplicate_id_in_one_payload_keeps_the_first(run_import: Importer) -> None:
    calls = load("fonedynamics/calls.json")
    calls.append(dict(calls[0], Notes="second copy"))
    summary = await run_import(Vendor.FONE_DYNAMICS, "calls", calls)
    assert summary.rejects == [
        Reject(5, calls[0]["CallSid"], "CallSid: duplicate of record 0 of this payload")
    ]


async def test_too_long_text_is_rejected_not_truncated(run_import: Importer) -> None:
    summary = await run_import(Vendor.FONE_DYNAMICS, "calls", calls_with(0, CallType="x" * 301))
    assert summary.rejects[0].reason.startswith("CallType: String should have at most 300")


@pytest.mark.parametrize(
    ("vendor", "resource", "payload", "message"),
    [
        (Vendor.CALLRAIL, "sources", [], "not a CallRail sources page"),
        (Vendor.CALLRAIL, "sources", {"page": "one", "sources": []}, "page: Input should be"),
        (Vendor.FONE_DYNAMICS, "calls", {"page": 1, "sources": []}, "not a Fone Dynamics calls"),
        (Vendor.FONE_DYNAMICS, "numbers", [{"id": 1}, {"name": "x"}], "no item has any"),
        (Vendor.FONE_DYNAMICS, "calls", "CA123", "expected a record object or a list"),
        (Vendor.BUTTER, "phone-numbers", {"success": False, "data": []}, "success=false"),
        (Vendor.TRACKDRIVE, "leads", {"calls": []}, "expected an object with a 'leads' list"),
    ],
)
async def test_wrong_shape_fails_whole_and_changes_nothing(
    run_import: Importer, snapshot: Snapshot, vendor: Vendor, resource: str, payload: Any,
    message: str,
) -> None:  # fmt: skip
    await run_import(Vendor.FONE_DYNAMICS, "calls", load("fonedynamics/calls.json"))
    before = await snapshot()

    with pytest.raises(PayloadError, match=message) as raised:
        await run_import(vendor, resource, payload, company="org_1")

    assert "\n" not in str(raised.value)
    assert await snapshot() == before


async def test_company_is_required_where_the_payload_names_none(
    run_import: Importer, snapshot: Snapshot
) -> None:
    with pytest.raises(PayloadError, match="--company"):
        await run_import(Vendor.TRACKDRIVE, "leads", load("trackdrive/leads.json"))
    assert all(rows == [] for rows in (await snapshot()).values())


async def test_unknown_company_id_changes_nothing(run_import: Importer, snapshot: Snapshot) -> None:
    with pytest.raises(PayloadError, match="no such Company"):
        await run_import(Vendor.BUTTER, "phone-numbers", load("butter/phone_numbers.json"),
                         company="Q29tcGFueTo5OTk")  # Company:999  # fmt: skip
    assert all(rows == [] for rows in (await snapshot()).values())


async def test_crash_midway_leaves_nothing_of_the_payload(
    run_import: Importer, snapshot: Snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    await run_import(Vendor.FONE_DYNAMICS, "calls", load("fonedynamics/call_single.json"))
    before = await snapshot()
    monkeypatch.setattr(app.ingest.pipeline, "CHUNK", 2)
    written = []
    real_write = app.ingest.pipeline.WRITERS["calls"]

    async def write_then_crash(**kwargs: Any) -> None:
        await real_write(**kwargs)
        written.append(len(kwargs["batch"]))
        if len(written) == 2:
            raise RuntimeError("disk full")

    monkeypatch.setitem(app.ingest.pipeline.WRITERS, "calls", write_then_crash)
    with pytest.raises(RuntimeError, match="disk full"):
        await run_import(Vendor.FONE_DYNAMICS, "calls", load("fonedynamics/calls.json"))

    assert written == [2, 2]  # two chunks were written before the crash ...
    assert await snapshot() == before  # ... and rolled back with the transaction
    monkeypatch.setitem(app.ingest.pipeline.WRITERS, "calls", real_write)
    summary = await run_import(Vendor.FONE_DYNAMICS, "calls", load("fonedynamics/calls.json"))
    assert summary.created == 5  # a rerun is safe
