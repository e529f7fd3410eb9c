"""WebhookEndpoint: an unguessable URL token that imports one vendor resource into one account."""

from datetime import datetime

from sqlmodel import Field

from app.models.columns import UTCDateTime
from app.models.table import TableModel
from app.models.timestamps import utcnow


class WebhookEndpoint(TableModel, table=True):
    """Stored like an ApiKey: `prefix` finds the row, only the token's SHA-256 is kept."""

    __tablename__ = "webhook_endpoint"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    vendor: str = Field(max_length=20)  # app.models.enums.Vendor value
    resource: str = Field(max_length=40)  # a resource of app.vendors.registry
    company: str | None = Field(default=None, max_length=200)  # what `import --company` takes
    prefix: str = Field(max_length=16, unique=True)
    secret_hash: str = Field(max_length=64)
    label: str = Field(default="", max_length=200)
    last4: str = Field(max_length=4)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
