"""`switchboard demo`: the generated pages are valid vendor payloads with the documented fields,
they are deterministic, and seeding imports them idempotently through ingest."""

import asyncio
import collections
import functools
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.testclient import TestClient

from app.cli.demo import summary_text
from app.core.api_keys import account_id_for, create_key
from app.core.db import create_engine, create_session_factory
from app.core.ids import encode_global_id
from app.core.settings import Settings
from app.demo.plan import Batch, DemoPlan, plan_demo
from app.demo.run import DemoReport, run_demo
from app.models.enums import Vendor
from app.vendors.registry import REGISTRY
from app.web.app import create_app

TODAY = date(2026, 3, 18)  # a Wednesday; Sydney is on daylight time, New York just left it
ANCHOR = datetime(2026, 3, 18, tzinfo=UTC)

# Every field each vendor document lists, as the vendor spells it.
DOCUMENTED = {
    (Vendor.CALLRAIL, "sources"): {
        "id", "name", "created_at", "disabled_at", "company_name", "company_id",
        "destination_number", "tracking_numbers", "type",
    },
    (Vendor.FONE_DYNAMICS, "numbers"): {
        "Number", "PropertySid", "AccountSid", "Friendly", "RoutingMethod", "EndpointNumber",
        "Recording", "Attribution_Source", "Attribution_Medium", "Attribution_Campaign",
        "Attribution_Content", "Type", "Capabilities", "CountryCode", "Region", "City", "Status",
    },
    (Vendor.FONE_DYNAMICS, "calls"): {
        "CallSid", "PropertySid", "DateTime", "From", "From_CountryCode", "From_Region",
        "From_City", "To", "To_Friendly", "Duration", "Disposition", "Recording_Uri", "Endpoint",
        "Attribution_Source", "Attribution_Medium", "Attribution_Campaign", "Attribution_Content",
        "Session_Traffic_Type", "Session_Keywords", "Session_ConversionUri",
        "Session_LandingUri", "Survey_Type", "Survey_Value", "Survey_Custom1", "Survey_Custom2",
        "Survey_Custom3", "Survey_UniqueCode", "Prompts_Keys", "Notes", "CallType",
        "Google_Analytics_ClientId", "Google_Adwords_ClickId",
    },
    (Vendor.BUTTER, "phone-numbers"): {
        "phone_number_id", "phone_number", "provider", "status", "supports_inbound",
        "supports_outbound", "assigned_agent_id", "created_at",
    },
    (Vendor.TRACKDRIVE, "leads"): {
        "id", "legacy_id", "type", "uuid", "created_at", "updated_at", "deleted_at",
        "user_updated_at", "routes_show_path", "routes_edit_path", "external_record_id",
        "context_menu_name", "name", "caller_id", "email", "full_name", "contact_field_type",
        "expires_in", "country", "state_province", "zip_postal_code", "time_zone", "sub_id",
        "offer_id", "schedule_id", "status", "human_status", "css_status", "has_next_action",
        "opt_out", "revenue", "payout", "offer_converted", "buyer_converted",
        "traffic_source_id", "buyer_id", "lead_import_id", "remote_ip", "attempted_call_id",
        "connected_call_id", "scheduled_callback_id", "call_buyer_conversion_id",
        "call_offer_conversion_id", "sms_number_id", "dial_number_id", "dial_tier",
        "last_action_at", "first_action_at", "first_queued_at", "schedule_ended_at",
        "next_action_at", "last_call_at", "is_live", "schedule_trigger_type", "blocked", "data",
    },
}  # fmt: skip


@pytest.fixture(scope="module")
def plan() -> DemoPlan:
    return plan_demo(seed=3, calls=10_000, today=TODAY)


def records(plan: DemoPlan, vendor: Vendor, resource: str) -> list[dict[str, Any]]:
    batch = next(b for b in plan.batches if (b.vendor, b.resource) == (vendor, resource))
    return [r for page in batch.pages for r in REGISTRY[(vendor, resource)].records(page)]


def calls_of(plan: DemoPlan) -> list[dict[str, Any]]:
    return records(plan, Vendor.FONE_DYNAMICS, "calls")


def test_every_page_validates_and_maps_with_the_vendor_models(plan: DemoPlan) -> None:
    for batch in plan.batches:
        spec = REGISTRY[(batch.vendor, batch.resource)]
        for page in batch.pages:
            for record in spec.records(page):
                spec.map_record(spec.model.model_validate(record))


def test_every_record_carries_every_documented_field(plan: DemoPlan) -> None:
    for (vendor, resource), fields in DOCUMENTED.items():
        for record in records(plan, vendor, resource):
            assert set(record) == fields, (vendor, resource)


def test_pages_follow_each_vendors_paging(plan: DemoPlan) -> None:
    calls: Batch = next(b for b in plan.batches if b.resource == "calls")
    assert [len(page) for page in calls.pages] == [200] * 50
    times = [int(r["DateTime"]) for page in calls.pages for r in page]
    assert times == sorted(times)  # Fone Dynamics lists calls earliest to latest
    leads = next(b for b in plan.batches if b.resource == "leads")
    assert [p["metadata"]["page"] for p in leads.pages] == list(range(1, 8))
    assert sum(len(p["leads"]) for p in leads.pages) == leads.pages[0]["metadata"]["total_count"]
    butter = next(b for b in plan.batches if b.vendor is Vendor.BUTTER).pages
    assert [p["pagination"]["has_more"] for p in butter] == [True, False]
    assert butter[0]["pagination"]["next_cursor"] and not butter[1]["pagination"]["next_cursor"]
    assert plan.records == 29 + 6 + 4 + 10_000 + 10_000 // 15  # what the progress bar counts


def test_same_arguments_give_identical_pages() -> None:
    first = plan_demo(seed=5, calls=600, today=TODAY)
    again = plan_demo(seed=5, calls=600, today=TODAY)
    assert [b.pages for b in first.batches] == [b.pages for b in again.batches]
    other_seed = plan_demo(seed=6, calls=600, today=TODAY)
    assert calls_of(first) != calls_of(other_seed)


def test_a_later_day_keeps_every_vendor_id() -> None:
    today = plan_demo(seed=5, calls=600, today=TODAY)
    tomorrow = plan_demo(seed=5, calls=600, today=TODAY + timedelta(days=1))
    for batch_today, batch_tomorrow in zip(today.batches, tomorrow.batches, strict=True):
        spec = REGISTRY[(batch_today.vendor, batch_today.resource)]

        def ids(batch: Batch, spec: Any = spec) -> set[str]:
            return {str(r[spec.id_field]) for p in batch.pages for r in spec.records(p)}

        assert ids(batch_today) == ids(batch_tomorrow)
    assert calls_of(today) != calls_of(tomorrow)  # the calls moved with the window


def test_calls_fill_the_90_days_before_todays_utc_midnight(plan: DemoPlan) -> None:
    moments = [datetime.fromtimestamp(int(r["DateTime"]), UTC) for r in calls_of(plan)]
    assert min(moments) >= ANCHOR - timedelta(days=90)
    assert max(moments) < ANCHOR  # never in the future
    sydney = ZoneInfo("Australia/Sydney")
    local_today = (ANCHOR - timedelta(seconds=1)).astimezone(sydney).date()
    assert any(m.astimezone(sydney).date() == local_today for m in moments)


def test_calls_keep_local_business_hours_and_weekdays(plan: DemoPlan) -> None:
    zones = {c.external_id: ZoneInfo(c.time_zone) for c in plan.companies}
    local = [
        datetime.fromtimestamp(int(r["DateTime"]), zones[r["PropertySid"]])
        for r in calls_of(plan)
    ]
    office = sum(8 <= m.hour < 18 for m in local) / len(local)
    assert office > 0.75
    weekdays = collections.Counter(m.weekday() for m in local)
    assert weekdays[2] > 2 * weekdays[6]  # Wednesday against Sunday


def test_dispositions_and_durations_look_like_real_traffic(plan: DemoPlan) -> None:
    calls = calls_of(plan)
    share = {
        k: v / len(calls) for k, v in collections.Counter(r["Disposition"] for r in calls).items()
    }
    assert 0.58 <= share["Answered"] <= 0.67
    assert 0.07 <= share["IVR"] <= 0.13
    assert 0.11 <= share["NoAnswer"] <= 0.19
    assert 0.03 <= share["Busy"] <= 0.07
    assert 0.015 <= share["Failed"] <= 0.05
    silent = [r["Duration"] for r in calls if r["Disposition"] in ("Busy", "NoAnswer", "Failed")]
    assert set(silent) == {0}
    talk = sorted(r["Duration"] for r in calls if r["Disposition"] == "Answered")
    median, p95 = talk[len(talk) // 2], talk[int(len(talk) * 0.95)]
    assert 90 <= median <= 240 and p95 > 2 * median  # log-normal: a long right tail


def test_ivr_paths_sessions_notes_and_call_types_appear(plan: DemoPlan) -> None:
    calls = calls_of(plan)
    paths = collections.Counter(r["Prompts_Keys"] for r in calls if r["Prompts_Keys"])
    assert {"1", "2", "1,2"} <= set(paths)
    assert all(not r["Prompts_Keys"] for r in calls if r["Disposition"] in ("Busy", "Failed"))
    sessions = [r for r in calls if r["Session_Traffic_Type"]]
    assert {r["Session_Traffic_Type"] for r in sessions} >= {"Campaign", "Organic", "Direct"}
    assert any(r["Session_Keywords"] for r in sessions)
    assert any(r["Google_Adwords_ClickId"] for r in sessions)
    sources = {(r["Attribution_Source"], r["Attribution_Medium"]) for r in calls}
    assert {("google", "cpc"), ("google", "organic"), ("facebook", "paid"), ("bing", "cpc"),
            ("direct", "(none)")} <= sources
    assert any(medium == "referral" for _, medium in sources)
    assert 0.005 < sum(bool(r["Notes"]) for r in calls) / len(calls) < 0.05
    assert 0.05 < sum(bool(r["CallType"]) for r in calls) / len(calls) < 0.2


def test_callers_repeat_heavy_tailed_and_some_are_anonymous(plan: DemoPlan) -> None:
    callers = collections.Counter(r["From"] for r in calls_of(plan))
    total = sum(callers.values())
    assert 0.04 <= callers.pop("anonymous") / total <= 0.06
    repeats = sum(n - 1 for n in callers.values())
    assert 0.25 <= repeats / total <= 0.5
    assert callers.most_common(1)[0][1] >= 20  # a regular
    assert sum(n == 1 for n in callers.values()) > len(callers) / 2  # most call once


def test_callrail_has_a_keyword_pool_a_session_source_and_shares_numbers(plan: DemoPlan) -> None:
    sources = records(plan, Vendor.CALLRAIL, "sources")
    pool = next(s for s in sources if s["name"] == "Keyword Pool")
    assert len(pool["tracking_numbers"]) == 10 and pool["type"] == "Session"
    assert any(s["disabled_at"] for s in sources)
    callrail = {n for s in sources for n in s["tracking_numbers"]}
    fone = {n["Number"] for n in records(plan, Vendor.FONE_DYNAMICS, "numbers")}
    assert len(callrail & fone) >= 5
    dialled = {r["To"] for r in calls_of(plan)}
    assert callrail & fone & dialled


def test_leads_cover_offers_buyers_conversions_and_future_actions(plan: DemoPlan) -> None:
    leads = records(plan, Vendor.TRACKDRIVE, "leads")
    assert len(leads) == 10_000 // 15
    assert len({r["offer_id"] for r in leads}) >= 3
    assert len({r["buyer_id"] for r in leads if r["buyer_id"]}) >= 3
    assert len({r["traffic_source_id"] for r in leads}) >= 3
    converted = [r for r in leads if r["buyer_converted"]]
    assert converted and all(float(r["revenue"]) > 0 for r in converted)
    assert all(r["revenue"] == "0.00" for r in leads if not r["buyer_converted"])
    upcoming = [r for r in leads if r["has_next_action"]
                and datetime.fromisoformat(r["next_action_at"]) > ANCHOR]
    assert upcoming
    assert all(r["next_action_at"] for r in leads if r["has_next_action"])
    assert any(r["opt_out"] for r in leads)
    callers = {r["From"] for r in calls_of(plan)}
    # some lead callers also phoned a business: one Caller across two vendors
    assert any("+" + r["caller_id"].lstrip("+") in callers for r in leads)


# --- seeding a database through ingest --------------------------------------------------------

SMALL = 2_000


@pytest.fixture
async def session_factory(settings: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(settings)
    yield create_session_factory(engine)
    await engine.dispose()


async def seed(factory: async_sessionmaker[AsyncSession], today: date = TODAY) -> DemoReport:
    plan = plan_demo(seed=3, calls=SMALL, today=today)
    return await run_demo(session_factory=factory, account="demo", plan=plan)


async def scalar(factory: async_sessionmaker[AsyncSession], sql: str) -> Any:
    async with factory() as session:
        return (await session.execute(text(sql))).scalar_one()


async def table_counts(factory: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    tables = ("account", "company", "source", "number", "number_link", "caller", "call", "lead")
    return {t: await scalar(factory, f"SELECT count(*) FROM {t}") for t in tables}


def outcomes(report: DemoReport) -> dict[str, tuple[int, int, int, int]]:
    return {s.resource: (s.created, s.updated, s.unchanged, s.rejected) for s in report.summaries}


async def test_demo_fills_every_table_from_every_vendor(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    report = await seed(session_factory)

    assert outcomes(report) == {
        "FONE_DYNAMICS numbers": (29, 0, 0, 0),
        "CALLRAIL sources": (6, 0, 0, 0),
        "BUTTER phone-numbers": (4, 0, 0, 0),
        "FONE_DYNAMICS calls": (SMALL, 0, 0, 0),
        "TRACKDRIVE leads": (SMALL // 15, 0, 0, 0),
    }
    counts = await table_counts(session_factory)
    # 29 Fone Dynamics + 10 CallRail-only + 4 Butter numbers; 7 are in CallRail and FD both
    assert {k: counts[k] for k in ("account", "company", "number", "number_link", "call",
                                   "lead")} == {
        "account": 1, "company": 4, "number": 43, "number_link": 50, "call": SMALL,
        "lead": SMALL // 15,
    }
    assert list(report.companies) == [
        "Harbour City Plumbing", "Peachtree Auto Garage", "Mile High Dental Group",
        "Bluebird Pay-Per-Call",
    ]


async def test_demo_shows_unification_pools_repeats_and_anonymous_callers(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await seed(session_factory)
    q = functools.partial(scalar, session_factory)

    shared = await q(
        "SELECT count(*) FROM (SELECT number_id FROM number_link GROUP BY number_id "
        "HAVING count(DISTINCT vendor) = 2) AS shared"
    )
    assert shared == 7
    assert await q("SELECT count(DISTINCT vendor) FROM number_link") == 3
    assert await q("SELECT count(DISTINCT vendor) FROM company") == 2  # FD properties, TrackDrive
    assert await q("SELECT count(*) FROM number WHERE keyword_pool") == 13
    assert await q("SELECT count(*) FROM source WHERE tracking_type = 'SESSION'") == 2
    assert await q("SELECT count(*) FROM source WHERE tracking_type = 'TRAFFIC_SOURCE'") == 5
    anonymous = await q("SELECT count(*) FROM call WHERE caller_id IS NULL")
    assert 0.03 * SMALL < anonymous < 0.07 * SMALL
    assert await q("SELECT count(*) FROM call WHERE NOT is_first_call AND caller_id IS NOT NULL")
    assert await q("SELECT max(n) FROM (SELECT count(*) AS n FROM call GROUP BY caller_id) c") > 5
    assert await q("SELECT count(*) FROM lead l JOIN call c ON c.caller_id = l.caller_id")
    dialled = await q("SELECT count(*) FROM call WHERE number_id IN "
                      "(SELECT number_id FROM number_link WHERE vendor = 'CALLRAIL')")
    assert dialled > 0  # calls land on numbers CallRail also tracks


async def test_a_same_day_rerun_changes_nothing(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await seed(session_factory)
    before = await table_counts(session_factory)

    again = await seed(session_factory)

    assert all(created == updated == rejected == 0
               for created, updated, _, rejected in outcomes(again).values())
    assert await table_counts(session_factory) == before


async def test_a_later_day_rerun_updates_in_place(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await seed(session_factory)
    before = await table_counts(session_factory)

    later = await seed(session_factory, today=TODAY + timedelta(days=1))

    calls = outcomes(later)["FONE_DYNAMICS calls"]
    assert calls[0] == 0 and calls[1] > SMALL / 2  # same CallSids, new times: updated
    assert (await table_counts(session_factory))["call"] == before["call"]
    assert (await table_counts(session_factory))["lead"] == before["lead"]


def switchboard(
    *args: str, database_url: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "--database-url", database_url, *args],
        capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, **(env or {})},
    )


def test_switchboard_demo_runs_as_a_command(database_url: str) -> None:
    done = switchboard(
        "demo", "--calls", "300", "--seed", "9", database_url=database_url, env={"PORT": "8123"}
    )

    assert done.returncode == 0, done.stderr
    assert "then http://127.0.0.1:8123/graphql" in done.stdout  # where scripts/run serves
    assert "FONE_DYNAMICS calls: created 300, updated 0, unchanged 0, rejected 0" in done.stdout
    assert f"{encode_global_id('Company', 1)}  Harbour City Plumbing" in done.stdout
    again = switchboard("demo", "--calls", "300", "--seed", "9", database_url=database_url)
    assert "FONE_DYNAMICS calls: created 0, updated 0, unchanged 300, rejected 0" in again.stdout


def test_switchboard_demo_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    done = switchboard("demo", "--calls", "10", database_url=f"sqlite:///{tmp_path}/empty.db")

    assert done.returncode == 2
    assert "switchboard migrate" in done.stderr


async def demo_key(settings: Settings) -> str:
    """A key for the demo account, as `serve --demo-key` mints one."""
    engine = create_engine(settings)
    try:
        async with engine.begin() as conn:
            account_id = await account_id_for(conn, name="demo", create=False)
            assert account_id is not None
            return (await create_key(conn, account_id=account_id)).token
    finally:
        await engine.dispose()


def test_the_query_the_summary_suggests_shows_the_demo_calls(settings: Settings) -> None:
    async def seed_and_key() -> tuple[DemoReport, str]:
        engine = create_engine(settings)
        try:
            report = await seed(create_session_factory(engine))
        finally:
            await engine.dispose()
        return report, await demo_key(settings)

    report, token = asyncio.run(seed_and_key())
    summary = summary_text(report=report, account="demo", calls=SMALL, seed=3, today=TODAY,
                           seconds=1.0, default_account="demo")
    assert "switchboard serve --demo-key" in summary
    query = summary.splitlines()[-1].strip()

    with TestClient(create_app(settings), headers={"Authorization": f"Bearer {token}"}) as client:
        body = client.post("/graphql", json={"query": query}).json()

    assert "errors" not in body, body
    company = body["data"]["node"]
    assert company["name"] == "Harbour City Plumbing"
    assert company["timeZone"] == "Australia/Sydney"
    assert company["calls"]["totalCount"] > SMALL / 3
    assert len(company["calls"]["nodes"]) == 5
