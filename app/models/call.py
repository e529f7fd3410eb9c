"""Call: one call to a Number (Fone Dynamics call records)."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlmodel import Field

from app.models.columns import UTCDateTime
from app.models.enums import CallDisposition, TrafficType, Vendor
from app.models.table import TableModel


def checked_at_commit(target: str) -> list[ForeignKey]:
    """A reference SQLite checks when the transaction commits rather than row by row (migration
    0005). With every reference deferred, a multi-row INSERT OR IGNORE has nothing that could
    abort it midway, so SQLite writes no statement journal for it: a third of its time in a
    large import (see app.ingest.sql.insert_rows)."""
    return [ForeignKey(target, deferrable=True, initially="DEFERRED")]


class Call(TableModel, table=True):
    # account_id trails the foreign-key indexes so counts scoped to the account stay
    # index-only (see the README's performance notes).
    __table_args__ = (
        UniqueConstraint("account_id", "vendor", "external_id"),
        Index("ix_call_account_started", "account_id", "started_at", "id"),
        Index("ix_call_account_duration", "account_id", "duration_seconds", "id"),
        Index("ix_call_company_started", "company_id", "started_at", "id", "account_id"),
        Index("ix_call_company_duration", "company_id", "duration_seconds", "id", "account_id"),
        Index("ix_call_number_started", "number_id", "started_at", "id", "account_id"),
        Index("ix_call_source_started", "source_id", "started_at", "id", "account_id"),
        # One index for the caller: its calls in time order, its counts and the first-call
        # lookups per (company, caller) all read it alone (migration 0004).
        Index(
            "ix_call_caller_started", "caller_id", "started_at", "id", "company_id", "account_id"
        ),
        # Subscriptions read an account's changes in order (migration 0006, app/live/).
        Index("ix_call_account_changed", "account_id", "changed_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(sa_column_args=checked_at_commit("account.id"))
    company_id: int = Field(sa_column_args=checked_at_commit("company.id"))
    number_id: int | None = Field(default=None, sa_column_args=checked_at_commit("number.id"))
    source_id: int | None = Field(default=None, sa_column_args=checked_at_commit("source.id"))
    caller_id: int | None = Field(default=None, sa_column_args=checked_at_commit("caller.id"))
    vendor: Vendor = Field(sa_type=String(20))
    external_id: str = Field(max_length=100)
    started_at: datetime = Field(sa_type=UTCDateTime)
    duration_seconds: int = 0
    disposition: CallDisposition = Field(sa_type=String(20))
    is_first_call: bool = False
    caller_raw: str | None = Field(default=None, max_length=100)
    caller_country_code: str | None = Field(default=None, max_length=2)
    caller_region: str | None = Field(default=None, max_length=100)
    caller_city: str | None = Field(default=None, max_length=100)
    dialled_e164: str | None = Field(default=None, max_length=20)
    dialled_friendly: str | None = Field(default=None, max_length=300)
    endpoint_e164: str | None = Field(default=None, max_length=20)
    recording_url: str | None = Field(default=None, max_length=2000)
    attribution_source: str | None = Field(default=None, max_length=300)
    attribution_medium: str | None = Field(default=None, max_length=300)
    attribution_campaign: str | None = Field(default=None, max_length=300)
    attribution_content: str | None = Field(default=None, max_length=300)
    traffic_type: TrafficType | None = Field(default=None, sa_type=String(20))
    keywords: str | None = Field(default=None, max_length=1000)
    conversion_uri: str | None = Field(default=None, max_length=2000)
    landing_uri: str | None = Field(default=None, max_length=2000)
    survey_type: str | None = Field(default=None, max_length=300)
    survey_value: str | None = Field(default=None, max_length=300)
    survey_custom1: str | None = Field(default=None, max_length=1000)
    survey_custom2: str | None = Field(default=None, max_length=1000)
    survey_custom3: str | None = Field(default=None, max_length=1000)
    survey_unique_code: str | None = Field(default=None, max_length=300)
    prompt_keys: str | None = Field(default=None, max_length=300)
    notes: str | None = Field(default=None, sa_type=Text)
    call_type: str | None = Field(default=None, max_length=300)
    ga_client_id: str | None = Field(default=None, max_length=300)
    gads_click_id: str | None = Field(default=None, max_length=300)
    # When an import first stored the row and when one last changed it (the import's change
    # stamp, app.ingest.stamps); NULL for rows stored before migration 0006.
    imported_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    changed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
