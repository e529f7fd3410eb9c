"""The one registry of vendors: each vendor's command-line name, the resources ingest imports
(vendor, resource) -> ResourceSpec, and the client the sync pages through. Import, sync and
the CLI all read it."""

from dataclasses import dataclass

from app.models.enums import Vendor
from app.sync.spec import ClientSpec
from app.vendors import butter, callrail, fonedynamics, trackdrive
from app.vendors.base import PayloadError, ResourceSpec
from app.vendors.butter import client as butter_client
from app.vendors.callrail import client as callrail_client
from app.vendors.fonedynamics import client as fonedynamics_client
from app.vendors.trackdrive import client as trackdrive_client


@dataclass(frozen=True, kw_only=True)
class VendorEntry:
    """One vendor: how the CLI names it, what it imports, and how it is synced."""

    vendor: Vendor
    name: str  # the CLI's sub-command name
    aliases: tuple[str, ...] = ()
    resources: tuple[ResourceSpec, ...]
    client: ClientSpec


VENDORS: dict[Vendor, VendorEntry] = {
    entry.vendor: entry
    for entry in (
        VendorEntry(
            vendor=Vendor.CALLRAIL,
            name="callrail",
            resources=callrail.RESOURCES,
            client=callrail_client.SPEC,
        ),
        VendorEntry(
            vendor=Vendor.FONE_DYNAMICS,
            name="fonedynamics",
            aliases=("fone-dynamics", "fone_dynamics"),
            resources=fonedynamics.RESOURCES,
            client=fonedynamics_client.SPEC,
        ),
        VendorEntry(
            vendor=Vendor.BUTTER,
            name="butter",
            resources=butter.RESOURCES,
            client=butter_client.SPEC,
        ),
        VendorEntry(
            vendor=Vendor.TRACKDRIVE,
            name="trackdrive",
            resources=trackdrive.RESOURCES,
            client=trackdrive_client.SPEC,
        ),
    )
}

REGISTRY: dict[tuple[Vendor, str], ResourceSpec] = {
    (spec.vendor, spec.resource): spec for entry in VENDORS.values() for spec in entry.resources
}


def parse_vendor(name: str) -> Vendor:
    """A vendor from how people write it: "callrail", "fone-dynamics", "FONE_DYNAMICS", ..."""
    wanted = _normal(name)
    for entry in VENDORS.values():
        if wanted in {_normal(n) for n in (entry.vendor.value, entry.name, *entry.aliases)}:
            return entry.vendor
    names = ", ".join(v.value.lower().replace("_", "-") for v in Vendor)
    raise ValueError(f"unknown vendor {name!r} (expected one of: {names})")


def _normal(name: str) -> str:
    return name.lower().replace("-", "").replace("_", "").replace(" ", "")


def resource_spec(*, vendor: Vendor, resource: str) -> ResourceSpec:
    """The spec for a vendor resource; PayloadError lists what the vendor offers otherwise."""
    spec = REGISTRY.get((vendor, resource))
    if spec is None:
        offered = ", ".join(sorted(r for v, r in REGISTRY if v == vendor))
        raise PayloadError(f"{vendor.value} has no resource {resource!r} (it has: {offered})")
    return spec


def client_spec(vendor: Vendor) -> ClientSpec:
    """What the sync needs to page through one vendor's API."""
    return VENDORS[vendor].client
