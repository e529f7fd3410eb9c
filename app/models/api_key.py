"""ApiKey: a bearer secret that reads one account's data within its scopes."""

from datetime import datetime

from sqlmodel import Field

from app.models.columns import UTCDateTime
from app.models.table import TableModel
from app.models.timestamps import utcnow


class ApiKey(TableModel, table=True):
    """Only the SHA-256 of the secret is kept; `prefix` finds the row, the hash proves the key."""

    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    prefix: str = Field(max_length=16, unique=True)
    secret_hash: str = Field(max_length=64)
    scopes: str = Field(max_length=500)  # space-separated, as OAuth writes scopes
    label: str = Field(default="", max_length=200)
    last4: str = Field(max_length=4)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
