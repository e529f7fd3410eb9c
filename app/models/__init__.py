"""SQLModel tables, one module per entity. Importing this package registers them all."""

from sqlmodel import SQLModel

from app.models.account import Account
from app.models.api_key import ApiKey
from app.models.call import Call
from app.models.caller import Caller
from app.models.company import Company, CompanyLink
from app.models.lead import Lead
from app.models.number import Number, NumberLink
from app.models.source import Source
from app.models.sync import StoredSyncState, SyncSchedule
from app.models.webhook import WebhookEndpoint

metadata = SQLModel.metadata

__all__ = [
    "Account",
    "ApiKey",
    "Call",
    "Caller",
    "Company",
    "CompanyLink",
    "Lead",
    "Number",
    "NumberLink",
    "Source",
    "StoredSyncState",
    "SyncSchedule",
    "WebhookEndpoint",
    "metadata",
]
