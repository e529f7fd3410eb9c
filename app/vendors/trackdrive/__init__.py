"""TrackDrive (API v1, pay-per-call): leads."""

from app.models.enums import Vendor
from app.vendors.base import ResourceSpec
from app.vendors.trackdrive.mapping import map_lead
from app.vendors.trackdrive.payloads import TrackDriveLead, lead_records

RESOURCES = (
    ResourceSpec(
        vendor=Vendor.TRACKDRIVE,
        resource="leads",
        kind="leads",
        records=lead_records,
        model=TrackDriveLead,
        id_field="id",
        map_record=map_lead,
        names_company=False,
    ),
)
