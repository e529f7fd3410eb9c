"""TrackDrive API v1 client: GET /api/v1/leads, paged by page/per_page in the
{"leads": [...], "metadata": {...}} envelope."""

from collections.abc import AsyncIterator, Mapping
from typing import Any

import httpx
from pydantic import ValidationError

from app.models.enums import Vendor
from app.sync.spec import ClientSpec, Credential, Fetch, SyncRequest, VendorPage
from app.vendors.base import PayloadError, VendorModel, error_reason, parse_envelope
from app.vendors.trackdrive.payloads import TrackDriveLeadsPage

WHAT = "a TrackDrive leads response"

DEFAULT_PER_PAGE = 100


def auth(credentials: Mapping[str, str]) -> httpx.Auth:
    """TrackDrive's account token: HTTP Basic with the public and private keys."""
    return httpx.BasicAuth(credentials["public_key"], credentials["private_key"])


class Metadata(VendorModel):
    """The envelope's paging metadata, as far as the sync reads it."""

    next_page: Any = None
    total_pages: int | None = None
    total_count: int | None = None


def more_after(*, page: int, metadata: Mapping[str, Any]) -> bool:
    """Whether the envelope's metadata says pages follow `page` (True when it does not say);
    PayloadError when its paging fields are not numbers."""
    try:
        known = Metadata.model_validate(metadata)
    except ValidationError as exc:
        raise PayloadError(f"not {WHAT}: metadata.{error_reason(exc)}") from None
    if "next_page" in metadata:
        return bool(known.next_page)
    if known.total_pages is not None:
        return page < known.total_pages
    return True


def total_count(metadata: Mapping[str, Any]) -> int | None:
    return Metadata.model_validate(metadata).total_count  # checked by more_after first


async def pages(
    *, fetch: Fetch, request: SyncRequest, start: int | None
) -> AsyncIterator[VendorPage]:
    """Leads page by page until an empty page or metadata saying there are no more."""
    page = start or 1
    per_page = request.page_size or DEFAULT_PER_PAGE
    while True:
        params = {**request.filters, "page": page, "per_page": per_page}
        payload = await fetch("/api/v1/leads", params=params)
        envelope = parse_envelope(payload, envelope=TrackDriveLeadsPage, key="leads", what=WHAT)
        leads, metadata = envelope.leads, envelope.metadata or {}
        more = more_after(page=page, metadata=metadata)  # first: it checks the metadata
        last = not leads or not more
        yield VendorPage(
            payload=payload,
            items=leads,
            at=page,
            next=None if last else page + 1,
            total=total_count(metadata),
        )
        if last:
            return
        page += 1


SPEC = ClientSpec(
    vendor=Vendor.TRACKDRIVE,
    resources=("leads",),
    credentials=(
        Credential(name="public_key", env="TRACKDRIVE_PUBLIC_KEY", help="TrackDrive public key"),
        Credential(name="private_key", env="TRACKDRIVE_PRIVATE_KEY", help="TrackDrive private key"),
    ),
    auth=auth,
    pages=pages,
    # root=false would drop the envelope that paging and import rely on.
    paging_params=frozenset({"page", "per_page", "root"}),
    default_page_size=DEFAULT_PER_PAGE,
    max_page_size=None,
)
