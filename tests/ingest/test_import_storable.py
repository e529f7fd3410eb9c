"""Values no column can store (NUL, lone surrogates, integers beyond their column, overlong
strings, dates that leave years 1-9999) reject THAT record, naming it and the field, the same
on SQLite and PostgreSQL; the other records of the file are kept. Property-based over every
documented field of every vendor payload."""

import copy
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.ingest import ImportSummary
from app.models.enums import Vendor
from app.vendors.base import ResourceSpec, unstorable
from app.vendors.registry import resource_spec

from helpers.imports import Importer, load


@dataclass(frozen=True)
class Resource:
    vendor: Vendor
    resource: str
    fixture: str
    key: str | None  # the envelope's record list, None for a bare list

    @property
    def spec(self) -> ResourceSpec:
        return resource_spec(vendor=self.vendor, resource=self.resource)

    @property
    def id(self) -> str:
        return f"{self.vendor.value.lower()}-{self.resource}"

    def payload(self, records: list[dict[str, Any]]) -> Any:
        if self.key is None:
            return records
        return {**load(self.fixture), self.key: records}

    def records(self) -> list[dict[str, Any]]:
        payload = load(self.fixture)
        return copy.deepcopy(payload if self.key is None else payload[self.key])

    def fields(self) -> list[str]:
        return sorted(field.alias or name for name, field in self.spec.model.model_fields.items())

    async def run(self, run_import: Importer, records: list[dict[str, Any]]) -> ImportSummary:
        company = None if self.spec.names_company else "ACME"
        return await run_import(self.vendor, self.resource, self.payload(records), company=company)


RESOURCES = [
    Resource(Vendor.CALLRAIL, "sources", "callrail/sources.json", "sources"),
    Resource(Vendor.FONE_DYNAMICS, "numbers", "fonedynamics/numbers.json", None),
    Resource(Vendor.FONE_DYNAMICS, "calls", "fonedynamics/calls.json", None),
    Resource(Vendor.BUTTER, "phone-numbers", "butter/phone_numbers.json", "data"),
    Resource(Vendor.TRACKDRIVE, "leads", "trackdrive/leads.json", "leads"),
]
BY_ID = {resource.id: resource for resource in RESOURCES}


def _kept(summary: ImportSummary) -> int:
    return summary.created + summary.updated + summary.unchanged


@pytest.mark.parametrize(
    ("resource", "field", "value", "reason"),
    [
        ("fone_dynamics-calls", "Duration", 3_000_000_000, "Duration: Input should be less than"),
        ("fone_dynamics-calls", "Notes", "call\x00back", "Notes: contains a NUL character"),
        ("fone_dynamics-calls", "CallSid", "CA\x00", "CallSid: contains a NUL character"),
        ("fone_dynamics-numbers", "Friendly", "line \ud800", "Friendly: contains a lone surrogate"),
        ("callrail-sources", "id", 2**70, "id: an integer beyond the 64-bit range"),
        ("callrail-sources", "name", "x" * 50_000, "name: String should have at most"),
        ("butter-phone-numbers", "provider", "\x00", "provider: contains a NUL character"),
        ("trackdrive-leads", "data", {"note": ["a\x00"]}, "data: contains a NUL character"),
        (
            "trackdrive-leads",
            "created_at",
            "9999-12-31 23:00:00 -0500",
            "created_at: not a date like '2016-01-01 12:25:15 -0500' or ISO 8601",
        ),
        (
            "callrail-sources",
            "created_at",
            "0001-01-01T00:30:00+01:00",
            "created_at: outside the years 1-9999 once in UTC",
        ),
    ],
)
async def test_an_unstorable_value_rejects_its_record_and_keeps_the_rest(
    run_import: Importer, resource: str, field: str, value: Any, reason: str
) -> None:
    target = BY_ID[resource]
    records = target.records()
    records[0][field] = value
    summary = await target.run(run_import, records)

    [reject] = summary.rejects
    assert reject.position == 0
    assert reject.reason.startswith(reason), reject.reason
    assert _kept(summary) == len(records) - 1


def _never_storable() -> st.SearchStrategy[Any]:
    """Values no column stores, whatever the field's type."""
    text = st.text(max_size=5)
    return st.one_of(
        st.tuples(text, text).map(lambda parts: f"{parts[0]}\x00{parts[1]}"),
        st.tuples(text, st.characters(categories=["Cs"])).map("".join),
        st.integers(min_value=2**63, max_value=2**80),
        st.integers(min_value=-(2**80), max_value=-(2**63) - 1),
        st.lists(st.just("\x00"), min_size=1, max_size=2),
        st.dictionaries(st.just("k"), st.just("v\x00"), min_size=1),
    )


def _adversarial() -> st.SearchStrategy[Any]:
    """Values a field may or may not accept; none may fail the whole file."""
    return st.one_of(
        _never_storable(),
        st.sampled_from([None, True, False, 0, -1, 2**31, 2**63 - 1, -(2**63), 1.5, -0.0]),
        st.sampled_from([float("inf"), float("-inf"), 1e308, [], {}, [[]], {"a": 1}, "", " "]),
        st.sampled_from(["9" * 30, "-1", "1e400", "NaN", "Infinity", "0x10", "00:00"]),
        st.sampled_from([101, 301, 2_001, 50_000]).map(lambda n: "x" * n),
        st.sampled_from(
            [
                "9999-12-31T23:59:59-05:00",
                "0001-01-01T00:00:00+05:00",
                "9999-12-31 23:00:00 -0500",
                "253402300800",
                "-62135596801",
                "2024-02-30T00:00:00Z",
            ]
        ),
        st.text(max_size=40),
    )


@st.composite
def _changes(draw: st.DrawFn, resource: Resource) -> dict[int, tuple[str, Any]]:
    """For some records of the file, one documented field and the value it is given."""
    count = len(resource.records())
    positions = draw(st.sets(st.integers(0, count - 1), min_size=1, max_size=count - 1))
    fields = resource.fields()
    return {p: (draw(st.sampled_from(fields)), draw(_adversarial())) for p in sorted(positions)}


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.id)
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
async def test_any_value_in_any_field_rejects_only_its_record_naming_the_field(
    run_import: Importer, resource: Resource, data: st.DataObject
) -> None:
    changes = data.draw(_changes(resource))
    records = resource.records()
    for position, (field, value) in changes.items():
        records[position][field] = value

    summary = await resource.run(run_import, records)  # never raises for a bad record

    rejected = {reject.position: reject for reject in summary.rejects}
    assert set(rejected) <= set(changes)  # the untouched records are kept
    assert _kept(summary) + summary.rejected == len(records)
    for position, (field, value) in changes.items():
        if unstorable(value):
            assert position in rejected, (field, value)
        if position in rejected:
            assert rejected[position].reason.startswith(f"{field}"), rejected[position].reason
