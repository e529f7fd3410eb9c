"""TrackDrive API v1 client: GET /api/v1/leads, paged by page/per_page in the
{"leads": [...], "metadata": {...}} envelope."""

from collections.abc import AsyncIterator, Mapping
from typing import Any

import httpx

from app.models.enums import Vendor
from app.sync.spec import ClientSpec, Credential, Fetch, SyncRequest, VendorPage

DEFAULT_PER_PAGE = 100


def auth(credentials: Mapping[str, str]) -> httpx.Auth:
    """TrackDrive's account token: HTTP Basic with the public and private keys."""
    return httpx.BasicAuth(credentials["public_key"], credentials["private_key"])


def more_after(*, page: int, metadata: Mapping[str, Any]) -> bool:
    """Whether the envelope's metadata says pages follow `page` (True when it does not say)."""
    if "next_page" in metadata:
        return bool(metadata["next_page"])
    if metadata.get("total_pages") is not None:
        return page < int(metadata["total_pages"])
    return True


async def pages(*, fetch: Fetch, request: SyncRequest, start: int | None) -> AsyncIterator[VendorPage]:
    """Leads page by page until an empty page or metadata saying there are no more."""
    page = start or 1
    per_page = request.page_size or DEFAULT_PER_PAGE
    while True:
        params = {**request.filters, "page": page, "per_page": per_page}
        payload = await fetch("/api/v1/leads", params=params)
        leads = payload.get("leads") or []
        metadata = payload.get("metadata") or {}
        last = not leads or not more_after(page=page, metadata=metadata)
        next_page = None if last else page + 1
        yield VendorPage(
            payload=payload,
            records=len(leads),
            at=page,
            next=next_page,
            total=metadata.get("total_count"),
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
