"""Butter AI `GET /api/phone-numbers`: the list response and one phone number summary."""

from typing import Any, Literal

from pydantic import Field

from app.models import Number, NumberLink
from app.vendors.base import (
    IsoDatetime,
    PayloadError,
    VendorEnvelope,
    VendorModel,
    envelope_records,
    max_len,
)


class ButterPhoneNumber(VendorModel):
    """One element of `data`."""

    phone_number_id: str = Field(max_length=max_len(NumberLink, "external_id"))
    phone_number: str
    provider: str | None = Field(None, max_length=max_len(Number, "provider"))
    status: Literal["free", "assigned"]
    supports_inbound: bool | None = None
    supports_outbound: bool | None = None
    assigned_agent_id: str | None = Field(None, max_length=max_len(Number, "assigned_agent_id"))
    created_at: IsoDatetime | None = None


class ButterPagination(VendorEnvelope):
    next_cursor: str | None = None
    has_more: bool | None = None
    page_size: int | None = None
    total_count: int | None = None


class ButterPhoneNumbersPage(VendorEnvelope):
    """The response envelope; `data` items are validated one by one."""

    success: bool
    data: list[Any]
    pagination: ButterPagination | None = None


def phone_number_records(payload: Any) -> list[Any]:
    """The `data` of a phone-numbers response (a response with success=false is refused)."""
    what = "a Butter phone-numbers response"
    records = envelope_records(payload, envelope=ButterPhoneNumbersPage, key="data", what=what)
    if payload.get("success") is False:
        raise PayloadError(f"{what} with success=false: the request failed, nothing to import")
    return records
