"""CallRail (API v1): sources with their tracking numbers and companies."""

from app.models.enums import Vendor
from app.vendors.base import ResourceSpec
from app.vendors.callrail.mapping import map_source
from app.vendors.callrail.payloads import CallRailSource, source_records

RESOURCES = (
    ResourceSpec(
        vendor=Vendor.CALLRAIL,
        resource="sources",
        kind="sources",
        records=source_records,
        model=CallRailSource,
        id_field="id",
        map_record=map_source,
        names_company=True,
    ),
)
