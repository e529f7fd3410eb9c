"""Shared pieces of the sync tests (imported explicitly): doc-shaped records for each vendor,
one `VendorCase` per vendor, an in-test import sink, a helper that runs a sync with its state
in a database and one that reads the saved state back."""

import io
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from app.cli.progress import ProgressTracker, track
from app.core.db import create_engine
from app.core.settings import Settings
from app.models import StoredSyncState
from app.models.enums import Vendor
from app.sync.fetcher import RetryPolicy
from app.sync.limits import SyncLimits
from app.sync.run import SyncResult, sync_vendor
from app.sync.spec import SyncRequest
from app.sync.state import state_key
from app.sync.store import RESUMABLE, DatabaseStateStore
from app.vendors.registry import client_spec

from helpers.fake_vendor import FakeVendor, Records, serving

FAST = RetryPolicy(attempts=3, base_delay=0.001, max_delay=0.01)
ACCOUNT = "acme"


def callrail_sources(count: int) -> list[dict[str, Any]]:
    """Sources shaped like CallRail's GET /v1/sources.json example."""
    return [
        {
            "id": 240917258 + i,
            "name": f"Google Organic {i}",
            "disabled_at": None,
            "created_at": "2012-06-20T19:14:26Z",
            "company_name": "LMM",
            "company_id": 254822795 if i % 2 else 254822796,
            "destination_number": "+17701112222",
            "tracking_numbers": [f"+1678890{4100 + i}"],
            "type": "Source" if i % 3 else "Session",
        }
        for i in range(count)
    ]


def fone_numbers(count: int) -> list[dict[str, Any]]:
    """Numbers shaped like Fone Dynamics' GET /v2/Accounts/{AccountSid}/Numbers."""
    return [
        {
            "Number": f"+6129000{1000 + i}",
            "PropertySid": "PR_SYDNEY" if i % 2 else "PR_MELBOURNE",
            "AccountSid": "AC_TEST",
            "Friendly": f"Line {i}",
            "RoutingMethod": "Endpoint",
            "EndpointNumber": "+61290000000",
            "Recording": "Call",
            "Attribution_Source": "google",
            "Attribution_Medium": "cpc",
            "Attribution_Campaign": "winter",
            "Attribution_Content": "ad-1",
            "Type": "Local",
            "Capabilities": "Voice,SMS",
            "CountryCode": "AU",
            "Region": "NSW",
            "City": "Sydney",
            "Status": "Active",
        }
        for i in range(count)
    ]


def fone_calls(count: int) -> list[dict[str, Any]]:
    """Calls shaped like Fone Dynamics' GET /v2/Accounts/{AccountSid}/Calls, earliest first."""
    return [
        {
            "CallSid": f"CA{i:08d}",
            "PropertySid": "PR_SYDNEY" if i % 2 else "PR_MELBOURNE",
            "DateTime": 1700000000 + 60 * i,
            "From": f"+6140000{1000 + i}" if i % 5 else "anonymous",
            "From_CountryCode": "AU",
            "From_Region": "NSW",
            "From_City": "Sydney",
            "To": "+61290001000",
            "To_Friendly": "Line 0",
            "Duration": 30 + i,
            "Disposition": "Answered" if i % 4 else "NoAnswer",
            "Recording_Uri": None,
            "Endpoint": "+61290000000",
            "Attribution_Source": "google",
            "Attribution_Medium": "cpc",
            "Attribution_Campaign": "winter",
            "Attribution_Content": "ad-1",
            "Session_Traffic_Type": "Organic",
            "Session_Keywords": "plumber sydney",
            "Session_ConversionUri": "/contact",
            "Session_LandingUri": "/",
            "Prompts_Keys": "1,2",
            "Notes": "",
            "CallType": "Sales",
        }
        for i in range(count)
    ]


def butter_phone_numbers(count: int) -> list[dict[str, Any]]:
    """Phone numbers shaped like Butter AI's GET /api/phone-numbers."""
    return [
        {
            "phone_number_id": f"phon_{i:012x}",
            "phone_number": f"+1555123{4000 + i}",
            "provider": "twilio" if i % 2 else "sip",
            "status": "assigned" if i % 2 else "free",
            "supports_inbound": True,
            "supports_outbound": bool(i % 3),
            "assigned_agent_id": f"agent_{i:012x}" if i % 2 else None,
            "created_at": "2024-01-15T10:30:00Z",
        }
        for i in range(count)
    ]


def trackdrive_leads(count: int) -> list[dict[str, Any]]:
    """Leads shaped like TrackDrive's GET /api/v1/leads (the document's columns)."""
    return [
        {
            "id": 9000 + i,
            "uuid": f"lead-{i:04d}",
            "type": "Lead",
            "created_at": "2024-03-01T09:00:00-05:00",
            "updated_at": "2024-03-01T09:05:00-05:00",
            "caller_id": f"+1678890{4200 + i}",
            "email": f"lead{i}@example.com",
            "full_name": f"Lead {i}",
            "time_zone": "Eastern Time (US & Canada)",
            "status": "active",
            "offer_id": 11,
            "traffic_source_id": 22,
            "buyer_id": 33,
            "revenue": "12.50",
            "payout": "7.25",
            "offer_converted": bool(i % 2),
            "buyer_converted": False,
        }
        for i in range(count)
    ]


@dataclass(frozen=True, kw_only=True)
class VendorCase:
    """One vendor as the shared sync tests see it."""

    vendor: Vendor
    resource: str
    records: Records
    credentials: dict[str, str]
    headers: dict[str, str]  # what the fake server demands, i.e. the vendor's auth
    page_size: int | None  # small, so a few records make several pages
    position: str  # the query parameter that moves from page to page
    positions: list[str]  # its value on each page of a full sync ("" when absent)
    items: Callable[[Any], list[Any]]  # the records in one response page
    server: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.vendor.value.lower()


CASES = [
    VendorCase(
        vendor=Vendor.CALLRAIL,
        resource="sources",
        records={"sources": callrail_sources(7)},
        credentials={"api_key": "cr-key"},
        headers={"Authorization": "Token token=cr-key"},
        page_size=3,
        position="page",
        positions=["1", "2", "3"],
        items=lambda payload: payload["sources"],
    ),
    VendorCase(
        vendor=Vendor.FONE_DYNAMICS,
        resource="calls",
        records={"calls": fone_calls(7), "numbers": []},
        credentials={"account_sid": "AC_TEST", "token": "fd-token"},
        headers={"Authorization": "Basic QUNfVEVTVDpmZC10b2tlbg=="},  # AC_TEST:fd-token
        page_size=3,
        position="Results_Skip",
        positions=["0", "3", "6"],
        items=lambda payload: payload,
    ),
    VendorCase(
        vendor=Vendor.BUTTER,
        resource="phone-numbers",
        records={"phone-numbers": butter_phone_numbers(7)},
        credentials={"api_key": "bt-key", "organization_id": "org_1"},
        headers={"X-API-Key": "bt-key", "X-Organization-Id": "org_1"},
        page_size=None,
        position="cursor",
        positions=["", "cur_3", "cur_6"],
        items=lambda payload: payload["data"],
        server={"butter_page_size": 3},
    ),
    VendorCase(
        vendor=Vendor.TRACKDRIVE,
        resource="leads",
        records={"leads": trackdrive_leads(7)},
        credentials={"public_key": "td-public", "private_key": "td-private"},
        headers={"Authorization": "Basic dGQtcHVibGljOnRkLXByaXZhdGU="},  # td-public:td-private
        page_size=3,
        position="page",
        positions=["1", "2", "3"],
        items=lambda payload: payload["leads"],
    ),
]


@dataclass
class Counts:
    created: int
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0


@dataclass
class Sink:
    """Stands in for app.ingest.import_payload: keeps each page's payload, counts it as created."""

    items: Callable[[Any], list[Any]]
    payloads: list[Any] = field(default_factory=list)

    async def __call__(self, *, payload: Any) -> Counts:
        self.payloads.append(payload)
        return Counts(created=len(self.items(payload)))

    @property
    def imported(self) -> list[Any]:
        return [item for payload in self.payloads for item in self.items(payload)]


@dataclass
class Sleeps:
    """Records requested backoff delays instead of waiting them out."""

    delays: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


async def saved_states(settings: Settings) -> list[dict[str, Any]]:
    """Every sync_state row, positions decoded (a page number stays a number)."""
    engine = create_engine(settings)
    try:
        async with engine.connect() as conn:
            table = StoredSyncState.__table__
            rows = (await conn.execute(select(table).order_by(table.c.id))).mappings().all()
    finally:
        await engine.dispose()
    return [_decoded(dict(row)) for row in rows]


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    for name in ("last_completed", "next_position"):
        row[name] = None if row[name] is None else json.loads(row[name])
    return row


async def unfinished(settings: Settings) -> list[dict[str, Any]]:
    """The saved state of every sync a rerun would resume (the old state files)."""
    return [row for row in await saved_states(settings) if row["status"] in RESUMABLE]


@dataclass(frozen=True)
class Live:
    """A vendor case with its fake server running at `url`."""

    case: VendorCase
    server: FakeVendor
    url: str


@contextmanager
def fake_vendor(case: VendorCase, **server: Any) -> Iterator[Live]:
    """The fake server for `case`, running until the block ends."""
    app = FakeVendor(
        records=case.records, expected_headers=case.headers, **{**case.server, **server}
    )
    with serving(app) as url:
        yield Live(case, app, url)


async def sync(
    live: Live,
    *,
    database: Settings,
    import_page: Any,
    sleep: Any = None,
    policy: RetryPolicy = FAST,
    progress: ProgressTracker | None = None,
    http_timeout: float = 2.0,
    limits: SyncLimits = SyncLimits(),
    **request: Any,
) -> SyncResult:
    """Run one sync of `live.case` against its fake server with fast retries, its state in
    `database`; `request` overrides SyncRequest fields (credentials, page_size, filters,
    subtree, resource) and `limits` the sync's bounds."""
    fields = {
        "resource": live.case.resource,
        "credentials": live.case.credentials,
        "page_size": live.case.page_size,
        **request,
    }
    spec, sync_request = client_spec(live.case.vendor), SyncRequest(**fields)
    key = state_key(spec=spec, request=sync_request, base_url=live.url, account=ACCOUNT)
    engine = create_engine(database)
    try:
        with track(description="sync", stream=io.StringIO()) as tracker:
            return await sync_vendor(
                spec=spec,
                request=sync_request,
                base_url=live.url,
                import_page=import_page,
                progress=progress or tracker,
                store=DatabaseStateStore(engine=engine, key=key),
                policy=policy,
                http_timeout=http_timeout,
                limits=limits,
                sleep=sleep or Sleeps(),
            )
    finally:
        await engine.dispose()
