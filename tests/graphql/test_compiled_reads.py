"""Differential test of the read-path compiler: every generated document gets the same answer
(status, data, errors) from an app with `compiled_reads=True` as from one with
`compiled_reads=False`, Strawberry's general executor, which is the reference semantics.

The documents are generated from the schema (differential_documents.py) and filled from the
dataset: the demo import (real vendor payloads through the import path) plus factory rows that
give every column a value somewhere and a null somewhere, another account's rows, and an
account whose rows hold values the API cannot serve. Time is frozen, the same for both apps, so
date labels resolve alike."""

import asyncio
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from differential_documents import (
    COLUMNS,
    Dataset,
    Documents,
    filter_inputs,
    object_fields,
    selected_fields,
)
from differential_helpers import Answer, Case, compare, normalize, run_cases, send
from sqlalchemy import Boolean, func, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.testclient import TestClient

from app.db import create_engine, create_session_factory
from app.demo.plan import plan_demo
from app.demo.run import run_demo
from app.graphql.schema import schema
from app.ids import encode_global_id
from app.keys import ALL_SCOPES
from app.main import create_app
from app.migrate import upgrade
from app.models import Call, Caller, Company, Lead, Number, Source
from app.settings import Settings

import factories as f

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")  # as tests/conftest.py reads it
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])
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
# Fields whose reference answer is an internal error today (a bug in the reference, reported):
# Call.dialledFriendlyName is left out of the columns a Call selection reads (entities.py), so
# every row lacks it. Delete an entry once the reference answers the field.
KNOWN_REFERENCE_BUGS = ("dialledFriendlyName",)
FAMILIES = (
    "shapes",
    "paging",
    "nested-paging",
    "filters",
    "nested-filters",
    "nodes",
    "documents",
    "bad-inputs",
    "scopes",
)


def frozen_clock() -> datetime:
    return FROZEN


def _gid(type_name: str, pk: int) -> str:
    return encode_global_id(type_name, pk)


# --- the dataset -----------------------------------------------------------------------------


async def _seed_demo(settings: Settings) -> None:
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


async def _seed_rows(conn: AsyncConnection) -> Seeded:
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


def _read_dataset(seeded: Seeded) -> Any:
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
        )

    return read


async def _on_server(url: str, statement: str) -> None:
    engine = create_engine(Settings(database_url=url))
    try:
        async with engine.connect() as conn:
            await (await conn.execution_options(isolation_level="AUTOCOMMIT")).execute(
                text(statement)
            )
    finally:
        await engine.dispose()


@pytest.fixture(scope="module", params=BACKENDS)
def differential_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database of this module's own (other tests truncate the shared PostgreSQL one)."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("differential") / "differential.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    assert POSTGRES_URL
    server = Settings(database_url=POSTGRES_URL).database_url
    name = f"sb_diff_{uuid.uuid4().hex[:12]}"
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    asyncio.run(_on_server(server, f'CREATE DATABASE "{name}"'))
    try:
        upgrade(Settings(database_url=url))
        yield url
    finally:
        asyncio.run(_on_server(server, f'DROP DATABASE "{name}" WITH (FORCE)'))


@dataclass
class Differential:
    reference: TestClient
    compiled: TestClient
    headers: dict[str, dict[str, str]]
    data: Dataset
    documents: Documents
    settings: Settings


@pytest.fixture(scope="module")
def differential(differential_url: str) -> Iterator[Differential]:
    """The dataset, and an app on it per setting of compiled_reads, with the same frozen clock."""
    settings = Settings(database_url=differential_url)
    asyncio.run(_seed_demo(settings))
    seeded = f.run_db(settings, _seed_rows)
    data = f.run_db(settings, _read_dataset(seeded))
    headers = {key: {"Authorization": f"Bearer {token}"} for key, token in seeded.tokens.items()}
    headers |= {"none": {}, "bogus": {"Authorization": "Bearer sb_bogus0000_notakey"}}
    compiled_app = create_app(
        settings.model_copy(update={"compiled_reads": True}), clock=frozen_clock
    )
    reference_app = create_app(
        settings.model_copy(update={"compiled_reads": False}), clock=frozen_clock
    )
    with TestClient(reference_app) as reference, TestClient(compiled_app) as compiled:
        yield Differential(
            reference, compiled, headers, data, Documents(schema._schema, data), settings
        )


# --- the tests ------------------------------------------------------------------------------


@pytest.mark.parametrize("family", FAMILIES)
def test_compiled_reads_answer_every_document_as_the_reference_executor(
    differential: Differential, family: str
) -> None:
    cases = differential.documents.families()[family]()
    report = run_cases(
        reference=differential.reference,
        compiled=differential.compiled,
        headers=differential.headers,
        cases=cases,
        known_internal=KNOWN_REFERENCE_BUGS,
    )
    assert not report.failures, report.message()
    assert report.sent >= len(cases) > 10


def test_the_two_apps_differ_in_compiled_reads_only(differential: Differential) -> None:
    compiled = differential.compiled.app.state.settings  # type: ignore[attr-defined]
    reference = differential.reference.app.state.settings  # type: ignore[attr-defined]
    assert (compiled.compiled_reads, reference.compiled_reads) == (True, False)
    assert compiled.model_dump(exclude={"compiled_reads"}) == reference.model_dump(
        exclude={"compiled_reads"}
    )


def test_the_generated_documents_cover_the_schema(differential: Differential) -> None:
    documents = differential.documents
    queries = [
        case.query for family in documents.families().values() for case in family() if case.query
    ]
    graphql_schema = schema._schema
    unselected = object_fields(graphql_schema) - selected_fields(
        graphql_schema, _parseable(queries)
    )
    unselected = {(t, name) for t, name in unselected if not name.startswith("__")}
    assert not unselected, f"no generated document selects {sorted(unselected)}"
    assert not filter_inputs(graphql_schema) - documents.used_inputs


def test_the_dataset_has_values_and_nulls_in_every_column(differential: Differential) -> None:
    async def gaps(conn: AsyncConnection) -> list[str]:
        account = await f.account(conn)
        found = []
        for model in TABLES.values():
            table = model.__table__
            for column in table.columns:
                if column.name in ("id", "account_id"):
                    continue
                counts = select(func.count(column), func.count()).where(
                    table.c.account_id == account
                )
                present, rows = (await conn.execute(counts)).one()
                if present == 0:
                    found.append(f"{table.name}.{column.name} is never set")
                if column.nullable and present == rows:
                    found.append(f"{table.name}.{column.name} is never null")
                if isinstance(column.type, Boolean):
                    kinds = select(func.count(func.distinct(column))).where(
                        table.c.account_id == account
                    )
                    if (await conn.execute(kinds)).scalar() != 2:
                        found.append(f"{table.name}.{column.name} is not both true and false")
        return found

    assert f.run_db(differential.settings, gaps) == []


def _parseable(queries: list[str]) -> list[str]:
    from graphql import GraphQLError, parse

    kept = []
    for query in queries:
        try:
            parse(query)
        except GraphQLError:
            continue
        kept.append(query)
    return kept


class _Tampered:
    """A client whose answers are the real client's, changed by `change` (a compiler bug)."""

    def __init__(self, client: TestClient, change: Any) -> None:
        self.client, self.change = client, change

    def post(self, url: str, **kwargs: Any) -> Any:
        response = self.client.post(url, **kwargs)
        return _Response(*self.change(response.status_code, response.json()))

    get = post


@dataclass
class _Response:
    status_code: int
    body: Any
    text: str = ""

    def json(self) -> Any:
        return self.body


def test_the_comparison_finds_a_changed_answer(differential: Differential) -> None:
    """The comparison must fail when the compiled answer differs: a test that cannot fail
    would pass however broken the compiler is."""
    case = Case(
        "self-check",
        "{ calls(first: 3, orderBy: DURATION_DESC) { totalCount nodes { id durationSeconds "
        "attribution { source } } } bad: calls(first: -1) { totalCount } }",
    )
    headers = differential.headers["full"]
    real = send(differential.reference, case, headers)
    again = send(differential.compiled, case, headers)
    assert real.body["data"]["calls"]["totalCount"] > 3 and real.body["errors"]
    assert compare(real, again) is None

    body = real.body
    node = body["data"]["calls"]["nodes"][1]
    changed = {
        "value": {
            **body,
            "data": {**body["data"], "calls": {**body["data"]["calls"], "totalCount": 0}},
        },
        "order": {**body, "data": dict(reversed(list(body["data"].items())))},
        "item": _replace_node(body, {**node, "durationSeconds": node["durationSeconds"] + 1}),
        "key-order": _replace_node(body, dict(reversed(list(node.items())))),
        "bool-for-int": _replace_node(
            body,
            {**node, "durationSeconds": True}
            if node["durationSeconds"] == 1
            else {**node, "durationSeconds": float(node["durationSeconds"])},
        ),
        "error": {**body, "errors": [{**body["errors"][0], "message": "something else"}]},
        "no-errors": {k: v for k, v in body.items() if k != "errors"},
    }
    where = {
        "value": "$.data.calls.totalCount",
        "order": "$.data: keys",
        "item": "$.data.calls.nodes[1].durationSeconds",
        "key-order": "$.data.calls.nodes[1]: keys",
        "bool-for-int": "$.data.calls.nodes[1].durationSeconds",
        "error": "$.errors[0].message",
        "no-errors": "$: keys",
    }
    for name, wrong in changed.items():
        found = compare(real, Answer(real.status, wrong))
        assert found is not None and where[name] in found, (name, found)
    assert compare(real, Answer(400, real.body)) == "HTTP status 200 (reference) != 400 (compiled)"

    # Request ids and the order of errors are not part of the answer.
    errors = [{"message": "b", "extensions": {"code": "X", "requestId": "1"}}, {"message": "a"}]
    shuffled = [{"message": "a"}, {"message": "b", "extensions": {"code": "X", "requestId": "2"}}]
    assert (
        compare(
            Answer(200, normalize({"errors": errors})), Answer(200, normalize({"errors": shuffled}))
        )
        is None
    )

    # And the runner reports a tampered answer with its document and the path.
    tampered = _Tampered(
        differential.compiled,
        lambda status, b: (
            status,
            _replace_node(
                normalize(b), {**normalize(b)["data"]["calls"]["nodes"][1], "durationSeconds": -1}
            ),
        ),
    )
    report = run_cases(
        reference=differential.reference,
        compiled=tampered,  # type: ignore[arg-type]
        headers=differential.headers,
        cases=[case],
    )
    assert report.sent == 1 and len(report.failures) == 1
    assert (
        case.query in report.failures[0]
        and "$.data.calls.nodes[1].durationSeconds" in report.failures[0]
    )


def _replace_node(body: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    calls = body["data"]["calls"]
    nodes = [*calls["nodes"][:1], node, *calls["nodes"][2:]]
    return {**body, "data": {**body["data"], "calls": {**calls, "nodes": nodes}}}
