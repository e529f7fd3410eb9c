"""Source: where calls come from (CallRail sources, Fone Dynamics attribution sources,
TrackDrive traffic sources)."""

from datetime import datetime

from sqlalchemy import Index, String, UniqueConstraint
from sqlmodel import Field

from app.models.columns import UTCDateTime
from app.models.enums import TrackingType, Vendor
from app.models.table import TableModel
from app.models.timestamps import utcnow


class Source(TableModel, table=True):
    # account_id trails the foreign-key indexes so counts scoped to the account stay
    # index-only (see the README's performance notes).
    __table_args__ = (
        UniqueConstraint("account_id", "vendor", "external_id"),
        Index("ix_source_account_name", "account_id", "name", "id"),
        Index("ix_source_account_created", "account_id", "created_at", "id"),
        Index("ix_source_company_name", "company_id", "name", "id", "account_id"),
        Index("ix_source_company_created", "company_id", "created_at", "id", "account_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id")
    company_id: int = Field(foreign_key="company.id")
    vendor: Vendor = Field(sa_type=String(20))
    external_id: str = Field(max_length=200)
    name: str = Field(max_length=300)
    tracking_type: TrackingType = Field(sa_type=String(20))
    destination_e164: str | None = Field(default=None, max_length=20)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    disabled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
