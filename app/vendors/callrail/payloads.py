"""CallRail API v1 `GET /v1/sources.json`: the sources page and one source."""

from typing import Any, Literal

from pydantic import Field

from app.models import Company, Source
from app.vendors.base import IsoDatetime, VendorEnvelope, VendorModel, envelope_records, max_len


class CallRailSource(VendorModel):
    """One element of `sources`."""

    id: int
    name: str = Field(max_length=max_len(Source, "name"))
    created_at: IsoDatetime
    disabled_at: IsoDatetime | None = None
    company_name: str = Field(max_length=max_len(Company, "name"))
    company_id: int
    destination_number: str | None = None
    tracking_numbers: list[str] = Field(default_factory=list)
    type: Literal["Source", "Session"]


class CallRailSourcesPage(VendorEnvelope):
    """The page envelope; `sources` are validated one by one so a bad one is only rejected."""

    page: int | None = None
    per_page: int | None = None
    total_pages: int | None = None
    total_records: int | None = None
    sources: list[Any]


def source_records(payload: Any) -> list[Any]:
    """The `sources` of a sources page."""
    return envelope_records(
        payload, envelope=CallRailSourcesPage, key="sources", what="a CallRail sources page"
    )
