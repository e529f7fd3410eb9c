"""CallRail sources -> unified Source rows, each with its tracking Numbers."""

from app.models.enums import TrackingType, Vendor
from app.vendors.callrail.payloads import CallRailSource
from app.vendors.rows import CompanyRef, NumberRow, SourceRow

_TRACKING_TYPES = {"Source": TrackingType.SOURCE, "Session": TrackingType.SESSION}


def map_source(source: CallRailSource) -> SourceRow:
    """One source: its company, the Source row, and a Number per tracking number."""
    # Several tracking numbers on one source means a keyword pool.
    pool = len(source.tracking_numbers) > 1
    numbers = [
        NumberRow(
            company=None,  # the source's company, resolved by ingest
            vendor=Vendor.CALLRAIL,
            phone=number,
            phone_field="tracking_numbers",
            link_id=None,
            fields={"keyword_pool": pool},
        )
        for number in source.tracking_numbers
    ]
    return SourceRow(
        company=CompanyRef(
            vendor=Vendor.CALLRAIL,
            external_id=str(source.company_id),
            name=source.company_name,
        ),
        external_id=str(source.id),
        fields={
            "name": source.name,
            "tracking_type": _TRACKING_TYPES[source.type],
            "created_at": source.created_at,
            "disabled_at": source.disabled_at,
        },
        destination=source.destination_number,
        destination_field="destination_number",
        numbers=numbers,
    )
