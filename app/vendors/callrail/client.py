"""CallRail API v1 client: GET /v1/sources.json, paged by page/per_page (max 250)."""

from collections.abc import AsyncIterator, Mapping

import httpx

from app.models.enums import Vendor
from app.sync.spec import ClientSpec, Credential, Fetch, HeaderAuth, SyncRequest, VendorPage
from app.vendors.base import parse_envelope
from app.vendors.callrail.payloads import CallRailSourcesPage

MAX_PER_PAGE = 250


def auth(credentials: Mapping[str, str]) -> httpx.Auth:
    """CallRail's token header."""
    return HeaderAuth({"Authorization": f"Token token={credentials['api_key']}"})


async def pages(
    *, fetch: Fetch, request: SyncRequest, start: int | None
) -> AsyncIterator[VendorPage]:
    """Sources page by page until `total_pages` is reached."""
    page = start or 1  # CallRail pages count from 1
    per_page = request.page_size or MAX_PER_PAGE
    while True:
        payload = await fetch(
            "/v1/sources.json", params={**request.filters, "page": page, "per_page": per_page}
        )
        envelope = parse_envelope(
            payload, envelope=CallRailSourcesPage, key="sources", what="a CallRail sources page"
        )
        last = page >= (envelope.total_pages or 0) or not envelope.sources
        yield VendorPage(
            payload=payload,
            items=envelope.sources,
            at=page,
            next=None if last else page + 1,
            total=envelope.total_records,
        )
        if last:
            return
        page += 1


SPEC = ClientSpec(
    vendor=Vendor.CALLRAIL,
    resources=("sources",),
    credentials=(Credential(name="api_key", env="CALLRAIL_API_KEY", help="CallRail API key"),),
    auth=auth,
    pages=pages,
    paging_params=frozenset({"page", "per_page"}),
    default_page_size=MAX_PER_PAGE,
    max_page_size=MAX_PER_PAGE,
)
