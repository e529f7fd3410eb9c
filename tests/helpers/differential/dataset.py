"""The dataset of the compiled-reads differential test: the demo import (real vendor payloads
through the import path), factory rows that give every column a value somewhere and a null
somewhere (and sit on the edges of date labels and orderings), another account's rows, an
account whose rows hold values the API cannot serve, and a key per scope set."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.api_keys import ALL_SCOPES
from app.core.db import create_engine, create_session_factory
from app.core.ids import encode_global_id
from app.core.settings import Settings
from app.demo.plan import plan_demo
from app.demo.run import run_demo
from app.models import Call, Caller, Company, Lead, Number, Source

import helpers.factories as f
from helpers.differential.documents import COLUMNS, VENDOR_ID_FILTERS, Dataset

FROZEN = datetime(2026, 3, 18, 14, 27, 33, 123456, tzinfo=UTC)  # a Wednesday afternoon (UTC)
DEMO_TODAY = date(2026, 3, 19)  # demo calls run to the next UTC midnight: some after "now"
DEMO_CALLS = 450  # and 30 leads
LIMITED = ("calls:read", "leads:read", "sources:read")  # no companies:read, no numbers:read
NARROW = ("ingest:write",)  # reads nothing
TABLES = {
    "Company": Company,
    "Source": Source,
    "Number": Number,
    "Call": Call,
    "Lead": Lead,
    "Caller": Caller,
}


def frozen_clock() -> datetime:
    """The same "now" for both apps, so date labels resolve alike."""
    return FROZEN


def _gid(type_name: str, pk: int) -> str:
    return encode_global_id(type_name, pk)


async def seed_demo(settings: Settings) -> None:
    engine = create_engine(settings)
    try:
        plan = plan_demo(seed=5, calls=DEMO_CALLS, today=DEMO_TODAY)
        await run_demo(session_factory=create_session_factory(engine), account="demo", plan=plan)
    finally:
        await engine.dispose()


async def _scalar(conn: AsyncConnection, sql: str, **params: Any) -> Any:
    return (await conn.execute(text(sql), params)).scalar()


async def _every_field_rows(conn: AsyncConnection, account: int) -> dict[str, str]:
    """Rows with every optional field set, rows with none, and rows on the edges of labels."""
    zephyr = await f.company(
        conn,
        account,
        "Zephyr Sandbox",
        external_id="CR-zephyr",
        vendor_account_id="AC-zephyr",
        time_zone="Asia/Kathmandu",
        default_region="GB",
        created_at=FROZEN - timedelta(days=40, microseconds=7),
    )
    quiet = await f.company(
        conn,
        account,
        "Quiet Butter Co",
        vendor="BUTTER",
        external_id="org-quiet",
        time_zone="America/St_Johns",
        default_region="CA",
        created_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    )
    retired = await f.source(
        conn,
        account,
        zephyr,
        "Zephyr Retired",
        external_id="CR-retired",
        tracking_type="SESSION",
        destination_e164="+442071838750",
        created_at=FROZEN - timedelta(days=20),
        disabled_at=FROZEN - timedelta(days=3, microseconds=250),
    )
    twin_name, twin_created = (
        await conn.execute(
            text("SELECT name, created_at FROM source WHERE account_id = :a ORDER BY id LIMIT 1"),
            {"a": account},
        )
    ).one()
    twin_at = (
        twin_created if isinstance(twin_created, datetime) else datetime.fromisoformat(twin_created)
    )
    twin = await f.source(
        conn,
        account,
        zephyr,
        twin_name,
        vendor="FONE_DYNAMICS",
        external_id="PSzephyr:twin",
        tracking_type="ATTRIBUTION",
        created_at=twin_at.replace(tzinfo=UTC),
    )
    full_number = await f.number(
        conn,
        account,
        zephyr,
        "+442071838751",
        vendors=["CALLRAIL", "BUTTER", "FONE_DYNAMICS"],
        source_id=retired,
        number_type="TOLL_FREE",
        friendly_name="Zephyr Main — ☎ 100%",
        has_voice=True,
        has_sms=True,
        has_mms=True,
        status="PENDING",
        provider="sip",
        assigned=False,
        supports_inbound=False,
        supports_outbound=True,
        assigned_agent_id="agent-zephyr",
        routing_method="ENDPOINT",
        endpoint_e164="+442071838799",
        recording_mode="CALL",
        attribution_source="newsletter",
        attribution_medium="email",
        attribution_campaign="spring_100%",
        attribution_content="hero",
        country_code="GB",
        region="London",
        city="London",
        keyword_pool=True,
        created_at=FROZEN - timedelta(days=30),
        updated_at=FROZEN - timedelta(hours=1, microseconds=1),
    )
    bare_number = await f.number(
        conn,
        account,
        quiet,
        "+15550001234",
        vendors=[],
        is_valid=False,
        number_type="UNKNOWN",
        created_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        updated_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    )
    rich_caller = await f.caller(conn, account, "+447700900123")
    invalid_caller = await f.caller(conn, account, "+15550009999")
    await conn.execute(
        update(Caller.__table__)
        .where(Caller.__table__.c.id == invalid_caller)
        .values(is_valid=False)
    )
    lone_caller = await f.caller(conn, account, "+61491570156")
    regular = await _scalar(
        conn,
        "SELECT caller_id FROM call WHERE account_id = :a AND caller_id IS NOT NULL "
        "GROUP BY caller_id ORDER BY count(*) DESC, caller_id LIMIT 1",
        a=account,
    )
    rich_call = await f.call(
        conn,
        account,
        zephyr,
        "CA-zephyr-rich",
        number_id=full_number,
        source_id=retired,
        caller_id=rich_caller,
        started_at=FROZEN - timedelta(minutes=3, microseconds=789),
        duration_seconds=3725,
        disposition="IVR",
        is_first_call=True,
        caller_raw="+44 7700 900123",
        caller_country_code="GB",
        caller_region="England",
        caller_city="Lon_don 100%",
        dialled_e164="+442071838751",
        dialled_friendly="Zephyr Main",
        endpoint_e164="+442071838799",
        recording_url="https://rec.example/zephyr/1.mp3?x=1&y=2",
        attribution_source="newsletter",
        attribution_medium="email",
        attribution_campaign="spring_100%",
        attribution_content="hero",
        traffic_type="REFERRAL",
        keywords="emergency plumber",
        conversion_uri="https://zephyr.example/book?ref=a",
        landing_uri="https://zephyr.example/",
        survey_type="nps",
        survey_value="9",
        survey_custom1="c1",
        survey_custom2="c2 ü",
        survey_custom3='c3 "quoted"',
        survey_unique_code="UQ-1",
        prompt_keys="1,2,3",
        notes="Café ☕ — called back\nsecond line",
        call_type="sales",
        ga_client_id="GA1.2.3",
        gads_click_id="gclid-xyz",
    )
    sparse_call = await f.call(
        conn,
        account,
        zephyr,
        "CA-zephyr-sparse",
        started_at=datetime(2026, 3, 16, tzinfo=UTC),
        duration_seconds=0,
        disposition="FAILED",
    )
    anonymous_call = await f.call(
        conn,
        account,
        zephyr,
        "CA-zephyr-anonymous",
        caller_raw="anonymous",
        number_id=full_number,
        started_at=FROZEN,
        disposition="NO_ANSWER",
        duration_seconds=0,
    )
    for index in (1, 2):  # ties on every ordering: ids break them
        await f.call(
            conn,
            account,
            zephyr,
            f"CA-zephyr-tie-{index}",
            number_id=full_number,
            caller_id=regular,
            started_at=datetime(2026, 3, 1, 12, tzinfo=UTC),
            duration_seconds=42,
        )
    # Local midnight in Kathmandu (+05:45) today, and a call in the future.
    await f.call(
        conn,
        account,
        zephyr,
        "CA-zephyr-midnight",
        caller_id=regular,
        number_id=full_number,
        started_at=datetime(2026, 3, 17, 18, 15, tzinfo=UTC),
        disposition="BUSY",
    )
    await f.call(
        conn,
        account,
        zephyr,
        "CA-zephyr-future",
        caller_id=rich_caller,
        started_at=FROZEN + timedelta(days=2),
        disposition="BUSY",
        duration_seconds=5,
    )
    await f.call(
        conn,
        account,
        quiet,
        "CA-quiet-1",
        number_id=bare_number,
        caller_id=invalid_caller,
        started_at=datetime(2025, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        duration_seconds=1,
        dialled_e164="+15550001234",
    )
    rich_lead = await f.lead(
        conn,
        account,
        zephyr,
        "L-zephyr-rich",
        source_id=twin,
        caller_id=rich_caller,
        legacy_id="legacy-1",
        lead_type="Lead",
        uuid="5f0c6f4e-0000-4000-8000-000000000001",
        created_at=FROZEN - timedelta(days=1, microseconds=3),
        updated_at=FROZEN - timedelta(hours=2),
        deleted_at=FROZEN - timedelta(minutes=30),
        user_updated_at=FROZEN - timedelta(hours=5),
        routes_show_path="/leads/1",
        routes_edit_path="/leads/1/edit",
        external_record_id="rec-1",
        context_menu_name="Rich Lead",
        name="Zoë O'Rich",
        caller_number="+44 7700 900123",
        email="Mixed.Case@Example.com",
        full_name="Zoë Ann O'Rich",
        contact_field_type="phone",
        expires_in="3600",
        country="GB",
        state_province="London",
        zip_postal_code="EC1A 1BB",
        time_zone="Europe/London",
        sub_id="sub-1",
        offer_id="offer-z",
        schedule_id="sched-z",
        contact_id="contact-z",
        status="sold",
        status_wait="waiting_on_buyer",
        human_status="Sold",
        css_status="success",
        has_next_action=True,
        opt_out=True,
        revenue=Decimal("12.3456"),
        payout=Decimal("0.0001"),
        offer_converted=True,
        buyer_converted=True,
        traffic_source_id="ts-z",
        buyer_id="buyer-z",
        lead_import_id="import-z",
        remote_ip="2001:db8::1",
        attempted_call_id="att-1",
        connected_call_id="con-1",
        scheduled_callback_id="cb-1",
        call_buyer_conversion_id="bc-1",
        call_offer_conversion_id="oc-1",
        sms_number_id="sms-1",
        dial_number_id="dial-1",
        dial_tier="2",
        last_action_at=FROZEN - timedelta(minutes=10),
        first_action_at=FROZEN - timedelta(days=1),
        first_queued_at=FROZEN - timedelta(days=1, seconds=-1),
        schedule_ended_at=FROZEN + timedelta(days=1),
        next_action_at=FROZEN + timedelta(hours=2),
        last_call_at=FROZEN - timedelta(minutes=3),
        is_live=True,
        schedule_trigger_type="manual",
        blocked=True,
        data={"nested": {"list": [1, 2.5, None, True, "x"]}, "unicode": "ü ☕", "empty": {}},
    )
    sparse_lead = await f.lead(
        conn,
        account,
        quiet,
        "L-quiet-sparse",
        created_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        updated_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    )
    for index, revenue in enumerate(("12.3456", "12.3456", "-0.0050")):
        await f.lead(
            conn,
            account,
            zephyr,
            f"L-zephyr-tie-{index}",
            caller_id=regular,
            revenue=Decimal(revenue),
            payout=Decimal("1.5"),
            has_next_action=True,
            next_action_at=FROZEN + timedelta(hours=2),
            created_at=datetime(2026, 3, 1, 12, tzinfo=UTC),
            updated_at=datetime(2026, 3, 1, 12, tzinfo=UTC),
            data={},
        )
    lone_lead = await f.lead(
        conn,
        account,
        quiet,
        "L-quiet-lone",
        caller_id=lone_caller,
        email="UPPER@EXAMPLE.COM",
        name="Lone",
        created_at=FROZEN - timedelta(days=400),
        updated_at=FROZEN - timedelta(days=400),
    )
    pks = {
        "zephyr": ("Company", zephyr),
        "quiet": ("Company", quiet),
        "retired_source": ("Source", retired),
        "twin_source": ("Source", twin),
        "full_number": ("Number", full_number),
        "bare_number": ("Number", bare_number),
        "rich_caller": ("Caller", rich_caller),
        "invalid_caller": ("Caller", invalid_caller),
        "lone_caller": ("Caller", lone_caller),
        "rich_call": ("Call", rich_call),
        "sparse_call": ("Call", sparse_call),
        "anonymous_call": ("Call", anonymous_call),
        "rich_lead": ("Lead", rich_lead),
        "sparse_lead": ("Lead", sparse_lead),
        "lone_lead": ("Lead", lone_lead),
    }
    return {name: _gid(type_name, pk) for name, (type_name, pk) in pks.items()}


async def _one_of_each(
    conn: AsyncConnection, name: str, phone: str, **odd: dict[str, Any]
) -> dict[str, str]:
    """An account with a row of every type; `odd` overrides columns per table (bad values)."""
    account = await f.account(conn, name)
    company = await f.company(conn, account, f"{name} Co", time_zone="Europe/Berlin")
    source = await f.source(conn, account, company, f"{name} Source", **odd.get("source", {}))
    number = await f.number(
        conn, account, company, phone, source_id=source, **odd.get("number", {})
    )
    caller = await f.caller(conn, account, phone.replace("55", "77"))
    call = await f.call(
        conn,
        account,
        company,
        f"{name}-call",
        number_id=number,
        source_id=source,
        caller_id=caller,
        **odd.get("call", {}),
    )
    await f.call(conn, account, company, f"{name}-call-2", number_id=number, caller_id=caller)
    lead = await f.lead(conn, account, company, f"{name}-lead", source_id=source, caller_id=caller)
    pks = {
        "Company": company,
        "Source": source,
        "Number": number,
        "Caller": caller,
        "Call": call,
        "Lead": lead,
    }
    return {type_name: _gid(type_name, pk) for type_name, pk in pks.items()}


@dataclass
class Seeded:
    tokens: dict[str, str]
    picks: dict[str, str]
    other: dict[str, str]
    mangled: dict[str, str]


async def seed_rows(conn: AsyncConnection) -> Seeded:
    account = await f.account(conn)
    picks = await _every_field_rows(conn, account)
    other = await _one_of_each(conn, "zenith", "+61255501234")
    mangled = await _one_of_each(
        conn,
        "mangled",
        "+61255509876",
        source={"tracking_type": "NOPE"},
        number={"number_type": "ODD", "status": "MAYBE"},
        call={"disposition": "WEIRD", "traffic_type": "ZZZ"},
    )
    mangled_account = await f.account(conn, "mangled")
    tokens = {
        "full": await f.api_key(conn, account, ALL_SCOPES),
        "limited": await f.api_key(conn, account, LIMITED),
        "narrow": await f.api_key(conn, account, NARROW),
        "mangled": await f.api_key(conn, mangled_account, ALL_SCOPES),
    }
    return Seeded(tokens=tokens, picks=picks, other=other, mangled=mangled)


async def _vendor_id_rows(conn: AsyncConnection, table: str, account: int) -> list[dict[str, Any]]:
    """A few vendor ids of `table`, those with a vendor account id first."""
    has_account = table != "source"
    account_column = "vendor_account_id" if has_account else "NULL"
    rows = await conn.execute(
        text(
            f"SELECT vendor, external_id, {account_column} FROM {table} WHERE account_id = :a "
            f"ORDER BY {account_column} IS NULL, id LIMIT 5"
        ),
        {"a": account},
    )
    return [
        {"vendor": vendor, "externalId": external_id}
        | ({"accountId": account_id} if has_account else {})
        for vendor, external_id, account_id in rows
    ]


def read_dataset(seeded: Seeded) -> Callable[[AsyncConnection], Awaitable[Dataset]]:
    async def read(conn: AsyncConnection) -> Dataset:
        account = await f.account(conn)
        ids = {}
        for type_name, model in TABLES.items():
            table = model.__table__
            rows = await conn.execute(
                select(table.c.id).where(table.c.account_id == account).order_by(table.c.id)
            )
            ids[type_name] = [_gid(type_name, pk) for pk in rows.scalars()]
        busiest = await conn.execute(
            text(
                "SELECT company.id FROM company LEFT JOIN call ON call.company_id = company.id "
                "WHERE company.account_id = :a GROUP BY company.id ORDER BY count(call.id) DESC, company.id"
            ),
            {"a": account},
        )
        values = {}
        for table, column in {*COLUMNS.values()}:
            sql = (
                f"SELECT {column} FROM {table} WHERE account_id = :a AND {column} IS NOT NULL "
                f"GROUP BY {column} ORDER BY count(*) DESC, {column} LIMIT 5"
            )
            if (table, column) == ("caller", "e164"):  # callers who called, the most frequent first
                sql = (
                    "SELECT caller.e164 FROM call JOIN caller ON caller.id = call.caller_id WHERE "
                    "call.account_id = :a GROUP BY caller.e164 ORDER BY count(*) DESC, caller.e164 LIMIT 5"
                )
            values[(table, column)] = list(
                (await conn.execute(text(sql), {"a": account})).scalars()
            )
        vendor_ids = {
            table: await _vendor_id_rows(conn, table, account)
            for table in set(VENDOR_ID_FILTERS.values())
        }
        started = await _scalar(
            conn, "SELECT started_at FROM call WHERE external_id = 'CA-zephyr-rich'"
        )
        instant = started if isinstance(started, datetime) else datetime.fromisoformat(started)
        return Dataset(
            ids=ids,
            picks=seeded.picks,
            companies=[_gid("Company", pk) for pk in busiest.scalars()],
            values=values,
            other=seeded.other,
            mangled=seeded.mangled,
            instant=instant.replace(tzinfo=UTC).isoformat(),
            vendor_ids=vendor_ids,
        )

    return read
