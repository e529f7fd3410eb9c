"""Unified rows: what vendor mapping produces and ingest writes. Column values are named as the
tables name them; phone numbers stay raw text because they parse with the company's region."""

from dataclasses import dataclass, field
from typing import Any

from app.models.enums import NumberType, TrackingType, Vendor


@dataclass(frozen=True, slots=True)
class CompanyRef:
    """The company a record names (found or created by vendor + external_id)."""

    vendor: Vendor
    external_id: str
    name: str | None = None  # None: the vendor gives no name (the id names a new company)
    vendor_account_id: str | None = None
    default_region: str | None = None  # used only when the company is created


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A Source a record names by value (Fone Dynamics attribution, TrackDrive traffic source)."""

    vendor: Vendor
    external_id: str
    name: str
    tracking_type: TrackingType


@dataclass(slots=True)
class NumberRow:
    """A Number as one vendor reports it; `fields` holds only the columns that vendor owns."""

    company: CompanyRef | None
    vendor: Vendor
    phone: str
    phone_field: str  # the vendor's name for `phone`, for reject reasons
    link_id: str | None  # NumberLink.external_id; None means the E.164 itself
    fields: dict[str, Any]
    number_type: NumberType | None = None  # None: phonenumbers decides when the row is created
    endpoint: str | None = None
    endpoint_field: str = ""
    source: SourceRef | None = None
    link_account_id: str | None = None  # NumberLink.vendor_account_id (FD `AccountSid`)


@dataclass(slots=True)
class SourceRow:
    """A CallRail source with its tracking numbers."""

    company: CompanyRef | None
    external_id: str
    fields: dict[str, Any]
    destination: str | None
    destination_field: str
    numbers: list[NumberRow] = field(default_factory=list)


@dataclass(slots=True)
class CallRow:
    """A call; caller, dialled number and endpoint stay raw until the company's region is known."""

    company: CompanyRef | None
    external_id: str
    fields: dict[str, Any]
    caller: str | None
    dialled: str | None
    endpoint: str | None
    source: SourceRef | None
    dialled_field: str  # the vendor's names for `dialled` and `endpoint`, for reject reasons
    endpoint_field: str


@dataclass(slots=True)
class LeadRow:
    """A TrackDrive lead; `caller` is its raw caller_id."""

    company: CompanyRef | None
    external_id: str
    fields: dict[str, Any]
    caller: str | None
    source: SourceRef | None
