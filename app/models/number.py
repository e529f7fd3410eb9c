"""Number: a phone number the business owns, one row per account and E.164 whichever vendors
report it; NumberLink remembers each vendor that does and its id for the number."""

from datetime import datetime

from sqlalchemy import Index, String, UniqueConstraint
from sqlmodel import Field

from app.models.columns import UTCDateTime
from app.models.enums import NumberStatus, NumberType, RecordingMode, RoutingMethod, Vendor
from app.models.table import TableModel
from app.models.timestamps import utcnow


class Number(TableModel, table=True):
    # account_id trails the foreign-key indexes so counts scoped to the account stay
    # index-only (see the README's performance notes).
    __table_args__ = (
        UniqueConstraint("account_id", "e164"),
        Index("ix_number_account_created", "account_id", "created_at", "id"),
        Index("ix_number_company_e164", "company_id", "e164", "id", "account_id"),
        Index("ix_number_company_created", "company_id", "created_at", "id", "account_id"),
        Index("ix_number_source_e164", "source_id", "e164", "id", "account_id"),
        Index("ix_number_source_created", "source_id", "created_at", "id", "account_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id")
    company_id: int = Field(foreign_key="company.id")
    source_id: int | None = Field(default=None, foreign_key="source.id")
    e164: str = Field(max_length=20)
    is_valid: bool = True
    number_type: NumberType = Field(default=NumberType.UNKNOWN, sa_type=String(20))
    friendly_name: str | None = Field(default=None, max_length=300)
    has_voice: bool = False
    has_sms: bool = False
    has_mms: bool = False
    status: NumberStatus | None = Field(default=None, sa_type=String(20))
    provider: str | None = Field(default=None, max_length=100)
    assigned: bool | None = None
    supports_inbound: bool | None = None
    supports_outbound: bool | None = None
    assigned_agent_id: str | None = Field(default=None, max_length=100)
    routing_method: RoutingMethod | None = Field(default=None, sa_type=String(20))
    endpoint_e164: str | None = Field(default=None, max_length=20)
    recording_mode: RecordingMode | None = Field(default=None, sa_type=String(20))
    attribution_source: str | None = Field(default=None, max_length=300)
    attribution_medium: str | None = Field(default=None, max_length=300)
    attribution_campaign: str | None = Field(default=None, max_length=300)
    attribution_content: str | None = Field(default=None, max_length=300)
    country_code: str | None = Field(default=None, max_length=2)
    region: str | None = Field(default=None, max_length=100)
    city: str | None = Field(default=None, max_length=100)
    keyword_pool: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class NumberLink(TableModel, table=True):
    """One vendor's record of a Number (Butter's phone_number_id, CallRail's or Fone Dynamics'
    E.164)."""

    __tablename__ = "number_link"
    __table_args__ = (UniqueConstraint("account_id", "vendor", "external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id")
    number_id: int = Field(foreign_key="number.id", index=True)
    vendor: Vendor = Field(sa_type=String(20))
    external_id: str = Field(max_length=100)
    vendor_account_id: str | None = Field(default=None, max_length=100)  # FD `AccountSid`
