"""What a vendor client declares for the sync: its credentials, auth, paging, and the pages it
yields (each exactly as the vendor sent it)."""

from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from app.models.enums import Vendor

Position = int | str
"""Where a page starts: a page number, a skip offset or an opaque cursor."""


@dataclass(frozen=True, kw_only=True)
class VendorPage:
    """One response page exactly as the vendor sent it, and where the following page starts."""

    payload: Any
    items: list[Any]  # the records in `payload`
    at: Position | None  # where this page started (None: the vendor's default first page)
    next: Position | None  # None: this was the last page
    total: int | None = None  # total records, when the vendor says

    @property
    def records(self) -> int:
        return len(self.items)


@dataclass(frozen=True, kw_only=True)
class Credential:
    """A value a vendor client needs, read from its CLI option or else its environment variable."""

    name: str
    env: str
    help: str
    secret: bool = True  # secrets never reach the state file

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")


@dataclass(frozen=True, kw_only=True)
class SyncRequest:
    """What to sync: everything a client needs to build its requests."""

    resource: str
    credentials: Mapping[str, str]
    filters: Mapping[str, str] = field(default_factory=dict)
    page_size: int | None = None
    subtree: str | None = None  # a vendor sub-tree, e.g. a Fone Dynamics property


class Fetch(Protocol):
    async def __call__(self, path: str, *, params: Mapping[str, Any]) -> Any: ...


PageIterator = Callable[..., AsyncIterator[VendorPage]]


@dataclass(frozen=True, kw_only=True)
class ClientSpec:
    """Everything the generic sync needs to know about one vendor's API."""

    vendor: Vendor
    resources: tuple[str, ...]
    credentials: tuple[Credential, ...]
    auth: Callable[[Mapping[str, str]], httpx.Auth]
    pages: PageIterator  # pages(*, fetch, request, start) -> AsyncIterator[VendorPage]
    paging_params: frozenset[str]  # owned by the client; refused as --filter
    default_page_size: int | None
    max_page_size: int | None
    subtree_option: str | None = None  # a CLI option naming a vendor sub-tree, e.g. "property"
    subtree_help: str = ""


class HeaderAuth(httpx.Auth):
    """Adds fixed headers to every request (API-key style vendors)."""

    def __init__(self, headers: Mapping[str, str]) -> None:
        self._headers = dict(headers)

    def auth_flow(self, request: httpx.Request) -> Any:
        request.headers.update(self._headers)
        yield request
