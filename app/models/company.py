"""Company: a tracked business (CallRail company, Fone Dynamics property, Butter organization,
TrackDrive company); CompanyLink remembers each vendor id that names it."""

from datetime import datetime

from sqlalchemy import Index, String, UniqueConstraint
from sqlmodel import Field

from app.models.columns import UTCDateTime
from app.models.enums import NamedBy, Vendor
from app.models.table import TableModel
from app.models.timestamps import utcnow


class Company(TableModel, table=True):
    __table_args__ = (
        UniqueConstraint("account_id", "vendor", "external_id"),
        Index("ix_company_account_name", "account_id", "name", "id"),
        Index("ix_company_account_created", "account_id", "created_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    # The vendor id the company was first seen under (also one of its CompanyLinks).
    vendor: Vendor = Field(sa_type=String(20))
    external_id: str = Field(max_length=100)
    vendor_account_id: str | None = Field(default=None, max_length=100)
    name: str = Field(max_length=300)
    # VENDOR: imports keep the name in step with the vendor's; USER: `companies set` named it,
    # and imports leave it alone.
    named_by: NamedBy = Field(
        default=NamedBy.VENDOR,
        sa_type=String(10),
        sa_column_kwargs={"server_default": NamedBy.VENDOR.value},
    )
    time_zone: str = Field(default="UTC", max_length=64)
    default_region: str = Field(default="US", max_length=2)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CompanyLink(TableModel, table=True):
    """One vendor id of a Company (CallRail `company_id`, Fone Dynamics `PropertySid`, Butter
    organization, TrackDrive company), with the vendor's account (FD `AccountSid`) if it has
    one. Each id names one company of the account; a company may have several."""

    __tablename__ = "company_link"
    __table_args__ = (UniqueConstraint("account_id", "vendor", "external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id")
    company_id: int = Field(foreign_key="company.id", index=True)
    vendor: Vendor = Field(sa_type=String(20))
    external_id: str = Field(max_length=100)
    vendor_account_id: str | None = Field(default=None, max_length=100)
