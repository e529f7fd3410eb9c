"""Company: a tracked business (CallRail company, Fone Dynamics property, Butter organization,
TrackDrive company)."""

from datetime import datetime

from sqlalchemy import Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.columns import UTCDateTime
from app.models.enums import Vendor
from app.models.timestamps import utcnow


class Company(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("account_id", "vendor", "external_id"),
        Index("ix_company_account_name", "account_id", "name", "id"),
        Index("ix_company_account_created", "account_id", "created_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    vendor: Vendor = Field(sa_type=String(20))
    external_id: str = Field(max_length=100)
    vendor_account_id: str | None = Field(default=None, max_length=100)
    name: str = Field(max_length=300)
    time_zone: str = Field(default="UTC", max_length=64)
    default_region: str = Field(default="US", max_length=2)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
