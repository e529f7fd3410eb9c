"""First call vs repeat: the caller's earliest call to a company by (started_at, id) is the
first, whatever order the calls arrive in; anonymous calls are never first."""

import random
from typing import Any

import pytest

import app.ingest.pipeline
from app.models import Call
from app.models.enums import Vendor

from helpers.imports import Importer, Rows, load

PROPERTY = "PR4f0c2a9e7b1d4c3a8e5f6a7b8c9d0e1f"
OTHER_PROPERTY = "PR9a8b7c6d5e4f30211f2e3d4c5b6a7980"


def call(sid: str, when: int, caller: str, prop: str = PROPERTY) -> dict[str, Any]:
    return {
        "CallSid": sid,
        "PropertySid": prop,
        "DateTime": str(when),
        "From": caller,
        "To": "+61290001234",
        "Duration": 30,
        "Disposition": "Answered",
    }


async def first_flags(rows: Rows) -> dict[str, bool]:
    return {row["external_id"]: row["is_first_call"] for row in await rows(Call)}


async def test_older_call_imported_later_becomes_first(run_import: Importer, rows: Rows) -> None:
    # The property's numbers (CountryCode AU) make AU its region for national-format callers.
    await run_import(Vendor.FONE_DYNAMICS, "numbers", load("fonedynamics/numbers.json"))
    await run_import(Vendor.FONE_DYNAMICS, "calls", [
        call("CA-2", 1_717_300_000, "+61412345678"),
        call("CA-3", 1_717_400_000, "+61412345678"),
    ])  # fmt: skip
    assert await first_flags(rows) == {"CA-2": True, "CA-3": False}

    summary = await run_import(Vendor.FONE_DYNAMICS, "calls", [
        call("CA-1", 1_717_200_000, "0412 345 678"),  # same caller, written nationally
    ])  # fmt: skip

    assert summary.created == 1
    assert await first_flags(rows) == {"CA-2": False, "CA-3": False, "CA-1": True}


async def test_out_of_order_within_one_payload(run_import: Importer, rows: Rows) -> None:
    await run_import(Vendor.FONE_DYNAMICS, "calls", [
        call("CA-late", 1_717_400_000, "+61412345678"),
        call("CA-early", 1_717_200_000, "+61412345678"),
        call("CA-mid", 1_717_300_000, "+61412345678"),
    ])  # fmt: skip
    assert await first_flags(rows) == {"CA-late": False, "CA-early": True, "CA-mid": False}


async def test_same_second_keeps_the_lower_id(run_import: Importer, rows: Rows) -> None:
    await run_import(Vendor.FONE_DYNAMICS, "calls", [call("CA-a", 1_717_200_000, "+61412345678")])
    await run_import(Vendor.FONE_DYNAMICS, "calls", [call("CA-b", 1_717_200_000, "+61412345678")])
    assert await first_flags(rows) == {"CA-a": True, "CA-b": False}


async def test_moving_the_first_call_later_hands_first_to_the_next(
    run_import: Importer, rows: Rows
) -> None:
    calls = [
        call("CA-1", 1_717_200_000, "+61412345678"),
        call("CA-2", 1_717_300_000, "+61412345678"),
    ]
    await run_import(Vendor.FONE_DYNAMICS, "calls", calls)
    calls[0]["DateTime"] = "1717900000"

    summary = await run_import(Vendor.FONE_DYNAMICS, "calls", calls)

    assert (summary.updated, summary.unchanged) == (1, 1)
    assert await first_flags(rows) == {"CA-1": False, "CA-2": True}


async def test_first_call_is_per_company(run_import: Importer, rows: Rows) -> None:
    await run_import(Vendor.FONE_DYNAMICS, "calls", [
        call("CA-1", 1_717_200_000, "+61412345678", PROPERTY),
        call("CA-2", 1_717_300_000, "+61412345678", OTHER_PROPERTY),
        call("CA-3", 1_717_400_000, "+61412345678", PROPERTY),
    ])  # fmt: skip
    assert await first_flags(rows) == {"CA-1": True, "CA-2": True, "CA-3": False}


async def test_moves_in_two_companies_of_one_caller_are_recomputed_per_company(
    run_import: Importer, rows: Rows
) -> None:
    calls = [
        call("CA-1", 1_717_200_000, "+61412345678", PROPERTY),
        call("CA-2", 1_717_300_000, "+61412345678", PROPERTY),
        call("CA-3", 1_717_250_000, "+61412345678", OTHER_PROPERTY),
        call("CA-4", 1_717_350_000, "+61412345678", OTHER_PROPERTY),
        call("CA-5", 1_717_100_000, "+61412345699", OTHER_PROPERTY),  # another caller, untouched
    ]
    await run_import(Vendor.FONE_DYNAMICS, "calls", calls)
    calls[0]["DateTime"] = "1717900000"  # each company's first moves after its second
    calls[2]["DateTime"] = "1717900000"

    summary = await run_import(Vendor.FONE_DYNAMICS, "calls", calls)

    assert summary.updated == 2
    assert await first_flags(rows) == {
        "CA-1": False, "CA-2": True, "CA-3": False, "CA-4": True, "CA-5": True
    }  # fmt: skip


async def test_anonymous_calls_are_never_first(run_import: Importer, rows: Rows) -> None:
    await run_import(Vendor.FONE_DYNAMICS, "calls", [
        call("CA-anon", 1_717_100_000, "anonymous"),
        call("CA-empty", 1_717_150_000, ""),
        call("CA-junk", 1_717_160_000, "not a number"),
        call("CA-1", 1_717_200_000, "+61412345678"),
    ])  # fmt: skip

    stored = {row["external_id"]: row for row in await rows(Call)}
    assert await first_flags(rows) == {
        "CA-anon": False, "CA-empty": False, "CA-junk": False, "CA-1": True,
    }  # fmt: skip
    assert [stored[sid]["caller_id"] for sid in ("CA-anon", "CA-empty", "CA-junk")] == [None] * 3
    assert stored["CA-junk"]["caller_raw"] == "not a number"
    assert stored["CA-anon"]["caller_raw"] == "anonymous"


async def test_changing_the_caller_moves_first_between_callers(
    run_import: Importer, rows: Rows
) -> None:
    calls = [
        call("CA-1", 1_717_200_000, "+61412345678"),
        call("CA-2", 1_717_300_000, "+61400000001"),
    ]
    await run_import(Vendor.FONE_DYNAMICS, "calls", calls)
    calls[1]["From"] = "+61412345678"

    await run_import(Vendor.FONE_DYNAMICS, "calls", calls)

    assert await first_flags(rows) == {"CA-1": True, "CA-2": False}


async def test_many_chunks_and_files_out_of_order_match_a_recount(
    run_import: Importer, rows: Rows, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small chunks, so each chunk's INSERT runs behind the next chunk's work: callers repeat
    within and across chunks, files and both properties, in shuffled time order. The flags must
    equal a recount: per (company, caller), the earliest call by (start, id) is first."""
    monkeypatch.setattr(app.ingest.pipeline, "CHUNK", 3)
    rng = random.Random(7)
    files = [
        [
            call(
                f"CA-{n}-{i}",
                1_717_200_000 + rng.randrange(10_000),
                f"+6141234{rng.randrange(6):04}",
                rng.choice([PROPERTY, OTHER_PROPERTY]),
            )
            for i in range(17)
        ]
        for n in range(4)
    ]
    for payload in files:
        assert (await run_import(Vendor.FONE_DYNAMICS, "calls", payload)).created == 17

    stored = await rows(Call)
    earliest: dict[tuple[int, int], tuple[Any, int]] = {}
    for row in stored:
        pair = (row["company_id"], row["caller_id"])
        earliest[pair] = min(earliest.get(pair, (row["started_at"], row["id"])), (row["started_at"], row["id"]))
    expected = {row["external_id"]: earliest[(row["company_id"], row["caller_id"])][1] == row["id"] for row in stored}
    assert await first_flags(rows) == expected
    assert sum(expected.values()) == len(earliest) > 6  # several pairs, one first call each
