"""Account: the tenant. Every other row carries account_id; nothing crosses accounts."""

from datetime import datetime

from sqlmodel import Field

from app.models.columns import UTCDateTime
from app.models.table import TableModel
from app.models.timestamps import utcnow


class Account(TableModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
