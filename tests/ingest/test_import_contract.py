"""Contract: every recorded vendor payload imports as the vendor returns it, every record
created, nothing rejected; a second import of it changes nothing."""

from pathlib import Path

import pytest

from app.models.enums import Vendor

from helpers.imports import FIXTURES, Importer, Snapshot, load

# (vendor folder, file name prefix) -> (vendor, resource, --company)
RESOURCES = {
    ("callrail", "sources"): (Vendor.CALLRAIL, "sources", None),
    ("fonedynamics", "number"): (Vendor.FONE_DYNAMICS, "numbers", None),
    ("fonedynamics", "call"): (Vendor.FONE_DYNAMICS, "calls", None),
    ("butter", "phone_numbers"): (Vendor.BUTTER, "phone-numbers", "org_7f3a9c"),
    ("trackdrive", "leads"): (Vendor.TRACKDRIVE, "leads", "td-company-42"),
}
FILES = sorted(FIXTURES.glob("*/*.json"))


def resource_of(path: Path) -> tuple[Vendor, str, str | None]:
    for (folder, prefix), resource in RESOURCES.items():
        if path.parent.name == folder and path.name.startswith(prefix):
            return resource
    raise AssertionError(f"no resource for fixture {path}: add it to RESOURCES")


def record_count(payload: object) -> int:
    if isinstance(payload, list):
        return len(payload)
    assert isinstance(payload, dict)
    for key in ("sources", "data", "leads"):
        if key in payload:
            return len(payload[key])
    return 1  # a Fone Dynamics single-object response


def test_every_vendor_resource_has_fixtures() -> None:
    covered = {resource_of(path)[:2] for path in FILES}
    assert covered == {(vendor, resource) for vendor, resource, _ in RESOURCES.values()}


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
async def test_fixture_imports_whole_and_then_unchanged(
    path: Path, run_import: Importer, snapshot: Snapshot
) -> None:
    vendor, resource, company = resource_of(path)
    payload = load(f"{path.parent.name}/{path.name}")

    first = await run_import(vendor, resource, payload, company=company)
    assert first.rejects == []
    assert (first.created, first.updated, first.unchanged) == (record_count(payload), 0, 0)

    before = await snapshot()
    again = await run_import(vendor, resource, payload, company=company)
    assert (again.created, again.updated, again.rejected) == (0, 0, 0)
    assert again.unchanged == record_count(payload)
    assert await snapshot() == before
