"""Loop detection for a sync: stops a vendor that repeats a cursor or a page, sends more records
than its own total, sends an empty page that says more follow, or never stops sending pages."""

import hashlib
import json
from dataclasses import dataclass, field

from app.sync.spec import Position, VendorPage


class PagingError(ValueError):
    """The vendor's paging does not end; the message is one line saying how."""


@dataclass
class PagingGuard:
    """Checks each page of one run before it is imported."""

    max_pages: int
    pages: int = 0
    records: int = 0
    positions: set[Position | None] = field(default_factory=set)
    contents: dict[str, Position | None] = field(default_factory=dict)

    def check(self, page: VendorPage) -> None:
        """PagingError if importing `page` and going on would loop."""
        self.pages += 1
        if self.pages > self.max_pages:
            raise PagingError(
                f"the vendor sent more than {self.max_pages} pages in this run (--max-pages)"
            )
        self.records += page.records
        self.positions.add(page.at)
        self._check_content(page)
        if page.next is None:
            return
        if page.next in self.positions:
            raise PagingError(
                f"the vendor sent position {page.next!r} again after {page.at!r}: a paging loop"
            )
        if not page.items:
            raise PagingError(f"the page at {page.at!r} is empty yet says more follow")
        if page.total is not None and self.records > page.total:
            raise PagingError(
                f"the vendor said {page.total} records in all, sent {self.records} in this run "
                "and still says more follow"
            )

    def _check_content(self, page: VendorPage) -> None:
        """A page whose records repeat an earlier page's: the vendor is not moving on."""
        if not page.items:
            return
        digest = hashlib.sha256(
            json.dumps(page.items, sort_keys=True, default=str).encode()
        ).hexdigest()
        if digest in self.contents:
            raise PagingError(
                f"the page at {page.at!r} repeats the records of the page at "
                f"{self.contents[digest]!r}: the vendor is not moving on"
            )
        self.contents[digest] = page.at
