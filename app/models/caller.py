"""Caller: the person behind one E.164 number, across vendors."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from app.models.columns import UTCDateTime
from app.models.table import TableModel
from app.models.timestamps import utcnow


class Caller(TableModel, table=True):
    __table_args__ = (UniqueConstraint("account_id", "e164"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id")
    e164: str = Field(max_length=20)
    is_valid: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
