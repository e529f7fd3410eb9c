"""Vendor packages (payload models, mapping to unified rows) and the registry ingest reads:
(vendor, resource) -> ResourceSpec."""

from app.models.enums import Vendor
from app.vendors import butter, callrail, fonedynamics, trackdrive
from app.vendors.base import PayloadError, ResourceSpec

REGISTRY: dict[tuple[Vendor, str], ResourceSpec] = {
    (spec.vendor, spec.resource): spec
    for package in (callrail, fonedynamics, butter, trackdrive)
    for spec in package.RESOURCES
}


def parse_vendor(name: str) -> Vendor:
    """A vendor from how people write it: "callrail", "fone-dynamics", "FONE_DYNAMICS", ..."""
    wanted = name.lower().replace("-", "").replace("_", "").replace(" ", "")
    for vendor in Vendor:
        if vendor.value.lower().replace("_", "") == wanted:
            return vendor
    names = ", ".join(v.value.lower().replace("_", "-") for v in Vendor)
    raise ValueError(f"unknown vendor {name!r} (expected one of: {names})")


def resource_spec(*, vendor: Vendor, resource: str) -> ResourceSpec:
    """The spec for a vendor resource; PayloadError lists what the vendor offers otherwise."""
    spec = REGISTRY.get((vendor, resource))
    if spec is None:
        offered = ", ".join(sorted(r for v, r in REGISTRY if v == vendor))
        raise PayloadError(f"{vendor.value} has no resource {resource!r} (it has: {offered})")
    return spec


__all__ = ["REGISTRY", "PayloadError", "ResourceSpec", "parse_vendor", "resource_spec"]
