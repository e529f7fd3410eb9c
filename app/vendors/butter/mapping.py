"""Butter phone numbers -> unified Numbers (status free/assigned becomes Number.assigned)."""

from app.models.enums import Vendor
from app.vendors.butter.payloads import ButterPhoneNumber
from app.vendors.rows import NumberRow


def map_phone_number(number: ButterPhoneNumber) -> NumberRow:
    """One phone number; Butter names no company, so ingest uses --company."""
    fields: dict[str, object] = {
        "provider": number.provider,
        "assigned": number.status == "assigned",
        "supports_inbound": number.supports_inbound,
        "supports_outbound": number.supports_outbound,
        "assigned_agent_id": number.assigned_agent_id,
    }
    if number.created_at is not None:
        fields["created_at"] = number.created_at
    return NumberRow(
        company=None,
        vendor=Vendor.BUTTER,
        phone=number.phone_number,
        phone_field="phone_number",
        link_id=number.phone_number_id,
        fields=fields,
    )
