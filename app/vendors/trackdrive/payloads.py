"""TrackDrive API v1 `GET /api/v1/leads`: `{"leads": [...], "metadata": {...}}`, or with
`root=false` a bare list. Field names are the document's `columns` list."""

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, ConfigDict, Field

from app.models import Lead
from app.vendors.base import (
    VendorEnvelope,
    VendorModel,
    aware,
    envelope_records,
    list_records,
    max_len,
)

_MONEY_LIMIT = Decimal("900000000000000")  # what four-decimal money fits in a BIGINT


def _trackdrive_datetime(value: Any) -> datetime:
    # TrackDrive writes "2016-01-01 12:25:15 -0500"; ISO 8601 is accepted too.
    if isinstance(value, str):
        for parse in (_spaced, datetime.fromisoformat):
            try:
                return aware(parse(value))
            except ValueError:
                continue
    raise ValueError(f"not a date like '2016-01-01 12:25:15 -0500' or ISO 8601: {value!r}")


def _spaced(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%d %H:%M:%S %z")


def _money(value: Any) -> Decimal | None:
    # Money comes as strings ("12.50") or numbers; floats go through str to stay exact.
    if value is None or value == "":
        return None
    try:
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            raise InvalidOperation
        amount = Decimal(str(value).strip())
        if not amount.is_finite() or abs(amount) >= _MONEY_LIMIT:
            raise InvalidOperation
    except InvalidOperation:
        raise ValueError(f"not an amount of money: {value!r}") from None
    return amount.quantize(Decimal("0.0001"))


TrackDriveDatetime = Annotated[datetime, BeforeValidator(_trackdrive_datetime)]
Money = Annotated[Decimal | None, BeforeValidator(_money)]


def _text(column: str) -> Any:
    return Field(None, max_length=max_len(Lead, column))


class TrackDriveLead(VendorModel):
    """One lead, every column the document lists (ids may be numbers or strings)."""

    model_config = ConfigDict(coerce_numbers_to_str=True)

    id: str = Field(max_length=max_len(Lead, "external_id"))
    legacy_id: str | None = _text("legacy_id")
    type: str | None = _text("lead_type")
    uuid: str | None = _text("uuid")
    created_at: TrackDriveDatetime
    updated_at: TrackDriveDatetime
    deleted_at: TrackDriveDatetime | None = None
    user_updated_at: TrackDriveDatetime | None = None
    routes_show_path: str | None = _text("routes_show_path")
    routes_edit_path: str | None = _text("routes_edit_path")
    external_record_id: str | None = _text("external_record_id")
    context_menu_name: str | None = _text("context_menu_name")
    name: str | None = _text("name")
    caller_id: str | None = _text("caller_number")
    email: str | None = _text("email")
    full_name: str | None = _text("full_name")
    contact_field_type: str | None = _text("contact_field_type")
    expires_in: str | None = _text("expires_in")
    country: str | None = _text("country")
    state_province: str | None = _text("state_province")
    zip_postal_code: str | None = _text("zip_postal_code")
    time_zone: str | None = _text("time_zone")
    sub_id: str | None = _text("sub_id")
    offer_id: str | None = _text("offer_id")
    schedule_id: str | None = _text("schedule_id")
    contact_id: str | None = _text("contact_id")  # a documented filter; kept when sent
    status: str | None = _text("status")
    status_wait: str | None = _text("status_wait")  # a documented filter; kept when sent
    human_status: str | None = _text("human_status")
    css_status: str | None = _text("css_status")
    has_next_action: bool | None = None
    opt_out: bool | None = None
    revenue: Money = None
    payout: Money = None
    offer_converted: bool | None = None
    buyer_converted: bool | None = None
    traffic_source_id: str | None = _text("traffic_source_id")
    buyer_id: str | None = _text("buyer_id")
    lead_import_id: str | None = _text("lead_import_id")
    remote_ip: str | None = _text("remote_ip")
    attempted_call_id: str | None = _text("attempted_call_id")
    connected_call_id: str | None = _text("connected_call_id")
    scheduled_callback_id: str | None = _text("scheduled_callback_id")
    call_buyer_conversion_id: str | None = _text("call_buyer_conversion_id")
    call_offer_conversion_id: str | None = _text("call_offer_conversion_id")
    sms_number_id: str | None = _text("sms_number_id")
    dial_number_id: str | None = _text("dial_number_id")
    dial_tier: str | None = _text("dial_tier")
    last_action_at: TrackDriveDatetime | None = None
    first_action_at: TrackDriveDatetime | None = None
    first_queued_at: TrackDriveDatetime | None = None
    schedule_ended_at: TrackDriveDatetime | None = None
    next_action_at: TrackDriveDatetime | None = None
    last_call_at: TrackDriveDatetime | None = None
    is_live: bool | None = None
    schedule_trigger_type: str | None = _text("schedule_trigger_type")
    blocked: bool | None = None
    data: dict[str, Any] | None = None


class TrackDriveLeadsPage(VendorEnvelope):
    """The default envelope; `leads` are validated one by one."""

    leads: list[Any]
    metadata: dict[str, Any] | None = None


def lead_records(payload: Any) -> list[Any]:
    """The leads of a response, with the root envelope or without it (root=false)."""
    what = "a TrackDrive leads response"
    if isinstance(payload, list):
        return list_records(payload, model=TrackDriveLead, what=what)
    return envelope_records(payload, envelope=TrackDriveLeadsPage, key="leads", what=what)
