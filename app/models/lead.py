"""Lead: a TrackDrive lead with every column its document lists."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Index, String, UniqueConstraint
from sqlmodel import Field

from app.models.columns import Money, UTCDateTime
from app.models.enums import Vendor
from app.models.table import TableModel


class Lead(TableModel, table=True):
    # account_id trails the foreign-key indexes so counts scoped to the account stay
    # index-only (see the README's performance notes).
    __table_args__ = (
        UniqueConstraint("account_id", "vendor", "external_id"),
        Index("ix_lead_account_created", "account_id", "created_at", "id"),
        Index("ix_lead_account_updated", "account_id", "updated_at", "id"),
        Index("ix_lead_account_next_action", "account_id", "next_action_at", "id"),
        Index("ix_lead_account_revenue", "account_id", "revenue", "id"),
        Index("ix_lead_account_payout", "account_id", "payout", "id"),
        Index("ix_lead_company_created", "company_id", "created_at", "id", "account_id"),
        Index("ix_lead_source_created", "source_id", "created_at", "id", "account_id"),
        Index("ix_lead_caller_created", "caller_id", "created_at", "id", "account_id"),
        # Subscriptions read an account's changes in order (migration 0006, app/live/).
        Index("ix_lead_account_changed", "account_id", "changed_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id")
    company_id: int = Field(foreign_key="company.id")
    source_id: int | None = Field(default=None, foreign_key="source.id")
    caller_id: int | None = Field(default=None, foreign_key="caller.id")
    vendor: Vendor = Field(default=Vendor.TRACKDRIVE, sa_type=String(20))
    external_id: str = Field(max_length=100)
    legacy_id: str | None = Field(default=None, max_length=100)
    lead_type: str | None = Field(default=None, max_length=100)
    uuid: str | None = Field(default=None, max_length=100)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    user_updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    routes_show_path: str | None = Field(default=None, max_length=500)
    routes_edit_path: str | None = Field(default=None, max_length=500)
    external_record_id: str | None = Field(default=None, max_length=200)
    context_menu_name: str | None = Field(default=None, max_length=300)
    name: str | None = Field(default=None, max_length=300)
    caller_number: str | None = Field(default=None, max_length=100)
    email: str | None = Field(default=None, max_length=300)
    full_name: str | None = Field(default=None, max_length=300)
    contact_field_type: str | None = Field(default=None, max_length=100)
    expires_in: str | None = Field(default=None, max_length=100)
    country: str | None = Field(default=None, max_length=100)
    state_province: str | None = Field(default=None, max_length=100)
    zip_postal_code: str | None = Field(default=None, max_length=20)
    time_zone: str | None = Field(default=None, max_length=64)
    sub_id: str | None = Field(default=None, max_length=200)
    offer_id: str | None = Field(default=None, max_length=100)
    schedule_id: str | None = Field(default=None, max_length=100)
    contact_id: str | None = Field(default=None, max_length=100)
    status: str | None = Field(default=None, max_length=100)
    status_wait: str | None = Field(default=None, max_length=100)
    human_status: str | None = Field(default=None, max_length=200)
    css_status: str | None = Field(default=None, max_length=100)
    has_next_action: bool = False
    opt_out: bool = False
    revenue: Decimal = Field(default=Decimal(0), sa_type=Money)
    payout: Decimal = Field(default=Decimal(0), sa_type=Money)
    offer_converted: bool = False
    buyer_converted: bool = False
    traffic_source_id: str | None = Field(default=None, max_length=100)
    buyer_id: str | None = Field(default=None, max_length=100)
    lead_import_id: str | None = Field(default=None, max_length=100)
    remote_ip: str | None = Field(default=None, max_length=64)
    attempted_call_id: str | None = Field(default=None, max_length=100)
    connected_call_id: str | None = Field(default=None, max_length=100)
    scheduled_callback_id: str | None = Field(default=None, max_length=100)
    call_buyer_conversion_id: str | None = Field(default=None, max_length=100)
    call_offer_conversion_id: str | None = Field(default=None, max_length=100)
    sms_number_id: str | None = Field(default=None, max_length=100)
    dial_number_id: str | None = Field(default=None, max_length=100)
    dial_tier: str | None = Field(default=None, max_length=100)
    last_action_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    first_action_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    first_queued_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    schedule_ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    next_action_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_call_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    is_live: bool = False
    schedule_trigger_type: str | None = Field(default=None, max_length=100)
    blocked: bool = False
    data: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    # When an import first stored the row and when one last changed it (app.ingest.stamps).
    imported_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    changed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
