"""Butter AI client: GET /api/phone-numbers, paged by cursor (pagination.next_cursor/has_more)."""

from collections.abc import AsyncIterator, Mapping

import httpx

from app.models.enums import Vendor
from app.sync.spec import ClientSpec, Credential, Fetch, HeaderAuth, SyncRequest, VendorPage
from app.vendors.base import parse_envelope
from app.vendors.butter.payloads import (
    ButterPagination,
    ButterPhoneNumbersPage,
    phone_number_records,
)

WHAT = "a Butter phone-numbers response"


def auth(credentials: Mapping[str, str]) -> httpx.Auth:
    """Butter's API key and organization headers."""
    return HeaderAuth(
        {
            "X-API-Key": credentials["api_key"],
            "X-Organization-Id": credentials["organization_id"],
        }
    )


async def pages(
    *, fetch: Fetch, request: SyncRequest, start: str | None
) -> AsyncIterator[VendorPage]:
    """Pages until `has_more` is false; the server picks the page size."""
    cursor = start
    while True:
        # The document shows next_cursor only in responses; `cursor` is the request name.
        params = {**request.filters, **({"cursor": cursor} if cursor else {})}
        payload = await fetch("/api/phone-numbers", params=params)
        items = phone_number_records(payload)  # refuses success=false
        envelope = parse_envelope(payload, envelope=ButterPhoneNumbersPage, key="data", what=WHAT)
        pagination = envelope.pagination or ButterPagination()
        at, cursor = cursor, pagination.next_cursor if pagination.has_more else None
        yield VendorPage(
            payload=payload, items=items, at=at, next=cursor, total=pagination.total_count
        )
        if cursor is None:
            return


SPEC = ClientSpec(
    vendor=Vendor.BUTTER,
    resources=("phone-numbers",),
    credentials=(
        Credential(name="api_key", env="BUTTER_API_KEY", help="Butter AI API key"),
        Credential(
            name="organization_id",
            env="BUTTER_ORGANIZATION_ID",
            help="Butter AI organization id",
            secret=False,
        ),
    ),
    auth=auth,
    pages=pages,
    paging_params=frozenset({"cursor"}),
    default_page_size=None,
    max_page_size=None,
)
