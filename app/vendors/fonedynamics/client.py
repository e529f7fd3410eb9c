"""Fone Dynamics REST API v2 client: account or property Numbers and Calls, paged by
Results_Skip/Results_Count (max 200)."""

from collections.abc import AsyncIterator, Mapping

import httpx

from app.models.enums import Vendor
from app.sync.spec import ClientSpec, Credential, Fetch, SyncRequest, VendorPage
from app.vendors.fonedynamics.payloads import call_records, number_records

MAX_COUNT = 200
PATHS = {"numbers": "Numbers", "calls": "Calls"}
RECORDS = {"numbers": number_records, "calls": call_records}  # what the importer reads too


def auth(credentials: Mapping[str, str]) -> httpx.Auth:
    """The account credentials as HTTP Basic: AccountSid and auth token."""
    return httpx.BasicAuth(credentials["account_sid"], credentials["token"])


def path(request: SyncRequest) -> str:
    """The property's list when a property is given, else the whole account's."""
    collection = PATHS[request.resource]
    if request.subtree:
        return f"/v2/Properties/{request.subtree}/{collection}"
    return f"/v2/Accounts/{request.credentials['account_sid']}/{collection}"


async def pages(
    *, fetch: Fetch, request: SyncRequest, start: int | None
) -> AsyncIterator[VendorPage]:
    """Pages of up to Results_Count records; a shorter page is the last one."""
    skip = start or 0
    count = request.page_size or MAX_COUNT
    while True:
        params = {**request.filters, "Results_Skip": skip, "Results_Count": count}
        payload = await fetch(path(request), params=params)
        items = RECORDS[request.resource](payload)
        # The API gives no total, so only a short page marks the end (an empty one if the
        # total is a multiple of the page size).
        last = len(items) < count
        next_skip = None if last else skip + len(items)
        yield VendorPage(payload=payload, items=items, at=skip, next=next_skip)
        if last:
            return
        skip += len(items)


SPEC = ClientSpec(
    vendor=Vendor.FONE_DYNAMICS,
    resources=tuple(PATHS),
    credentials=(
        Credential(
            name="account_sid",
            env="FONEDYNAMICS_ACCOUNT_SID",
            help="Fone Dynamics AccountSid",
            secret=False,
        ),
        Credential(name="token", env="FONEDYNAMICS_TOKEN", help="Fone Dynamics auth token"),
    ),
    auth=auth,
    pages=pages,
    paging_params=frozenset({"Results_Skip", "Results_Count"}),
    default_page_size=MAX_COUNT,
    max_page_size=MAX_COUNT,
    subtree_option="property",
    subtree_help="a PropertySid: sync that property's numbers or calls instead of the account's",
)
