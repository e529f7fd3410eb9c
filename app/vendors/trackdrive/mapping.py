"""TrackDrive leads -> unified Lead rows; traffic_source_id becomes a Source of the company."""

from decimal import Decimal

from app.models.enums import TrackingType, Vendor
from app.vendors.rows import LeadRow, SourceRef
from app.vendors.trackdrive.payloads import TrackDriveLead

# Lead columns named exactly as TrackDrive names them.
_SAME_NAME = (
    "legacy_id", "uuid", "created_at", "updated_at", "deleted_at", "user_updated_at",
    "routes_show_path", "routes_edit_path", "external_record_id", "context_menu_name", "name",
    "email", "full_name", "contact_field_type", "expires_in", "country", "state_province",
    "zip_postal_code", "time_zone", "sub_id", "offer_id", "schedule_id", "contact_id", "status",
    "status_wait", "human_status", "css_status", "traffic_source_id", "buyer_id",
    "lead_import_id", "remote_ip", "attempted_call_id", "connected_call_id",
    "scheduled_callback_id", "call_buyer_conversion_id", "call_offer_conversion_id",
    "sms_number_id", "dial_number_id", "dial_tier", "last_action_at", "first_action_at",
    "first_queued_at", "schedule_ended_at", "next_action_at", "last_call_at",
    "schedule_trigger_type", "data",
)  # fmt: skip
_FLAGS = (
    "has_next_action", "opt_out", "offer_converted", "buyer_converted", "is_live", "blocked",
)  # fmt: skip


def traffic_source(traffic_source_id: str | None) -> SourceRef | None:
    """The Source for a traffic source id (a lead carries only the id, which names it)."""
    if not traffic_source_id:
        return None
    return SourceRef(
        vendor=Vendor.TRACKDRIVE,
        external_id=traffic_source_id,
        name=f"Traffic source {traffic_source_id}",
        tracking_type=TrackingType.TRAFFIC_SOURCE,
    )


def map_lead(lead: TrackDriveLead) -> LeadRow:
    """One lead; `caller_id` is kept raw in caller_number and resolved to a Caller by ingest."""
    fields = {name: getattr(lead, name) for name in _SAME_NAME}
    fields |= {name: bool(getattr(lead, name)) for name in _FLAGS}  # null means no
    fields |= {
        "lead_type": lead.type,
        "caller_number": lead.caller_id,
        "revenue": lead.revenue if lead.revenue is not None else Decimal(0),
        "payout": lead.payout if lead.payout is not None else Decimal(0),
    }
    return LeadRow(
        company=None,
        external_id=lead.id,
        fields=fields,
        caller=lead.caller_id,
        source=traffic_source(lead.traffic_source_id),
    )
