"""The common filters are index range scans on both databases.

Each test runs a real GraphQL document, captures the page statement the app sends, and asks the
database for its plan (EXPLAIN on PostgreSQL, EXPLAIN QUERY PLAN on SQLite) with the same
parameters. The tables hold a few thousand rows and are ANALYZEd, so the planner's choice is its
own (no enable_seqscan tricks): the plan must use the named index and never scan the table.
"""

import asyncio
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event, insert
from sqlalchemy.engine import Engine

from app.core.db import create_engine, create_session_factory
from app.core.ids import encode_global_id
from app.core.settings import Settings
from app.ingest import import_payload
from app.models import Call, Caller, Company, Lead, Number, Source
from app.models.enums import Vendor

import helpers.factories as f

COMPANIES, SOURCES_PER_COMPANY, NUMBERS_PER_COMPANY = 20, 150, 200
CALLERS, CALLS, LEADS = 2_000, 8_000, 4_000
START = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def ids(settings: Settings) -> dict[str, str]:
    """Thousands of rows spread over 20 companies, inserted with executemany, then ANALYZEd."""

    async def work(conn: Any) -> dict[str, str]:
        other = await f.account(conn, "other")
        demo = await f.account(conn, "demo")
        companies = [
            {
                "account_id": demo if i else other,
                "vendor": "CALLRAIL",
                "external_id": f"co-{i}",
                "name": f"Company {i:02}",
                "time_zone": "UTC",
                "default_region": "US",
                "created_at": START,
            }
            for i in range(COMPANIES)
        ]
        await conn.execute(insert(Company.__table__), companies)
        company_ids = list(range(1, COMPANIES + 1))
        account_of = {pk: (other if pk == 1 else demo) for pk in company_ids}
        await conn.execute(
            insert(Source.__table__),
            [
                {
                    "account_id": account_of[c],
                    "company_id": c,
                    "vendor": "CALLRAIL",
                    "external_id": f"src-{c}-{i}",
                    "name": f"Source {(c * 7 + i) % 997:03}",
                    "tracking_type": "SOURCE",
                    "created_at": START + timedelta(hours=i),
                }
                for c in company_ids
                for i in range(SOURCES_PER_COMPANY)
            ],
        )
        await conn.execute(
            insert(Number.__table__),
            [
                {
                    "account_id": account_of[c],
                    "company_id": c,
                    "e164": f"+1770{c:03}{i:04}",
                    "number_type": "LOCAL",
                    "has_voice": True,
                    "has_sms": i % 2 == 0,
                    "created_at": START,
                    "updated_at": START,
                }
                for c in company_ids
                for i in range(NUMBERS_PER_COMPANY)
            ],
        )
        await conn.execute(
            insert(Caller.__table__),
            [
                {"account_id": demo, "e164": f"+1404{i:07}", "created_at": START}
                for i in range(CALLERS)
            ],
        )
        await conn.execute(
            insert(Call.__table__),
            [
                {
                    "account_id": account_of[1 + i % COMPANIES],
                    "company_id": 1 + i % COMPANIES,
                    "number_id": 1 + i % (COMPANIES * NUMBERS_PER_COMPANY),
                    "caller_id": 1 + (i * 7) % CALLERS,
                    "vendor": "FONE_DYNAMICS",
                    "external_id": f"call-{i}",
                    "started_at": START + timedelta(minutes=17 * i),
                    "duration_seconds": i % 600,
                    "disposition": "ANSWERED",
                    "is_first_call": False,
                    "notes": "n" * 200,
                }
                for i in range(CALLS)
            ],
        )
        await conn.execute(
            insert(Lead.__table__),
            [
                {
                    "account_id": account_of[1 + i % COMPANIES],
                    "company_id": 1 + i % COMPANIES,
                    "vendor": "TRACKDRIVE",
                    "external_id": f"lead-{i}",
                    "created_at": START + timedelta(minutes=31 * i),
                    "updated_at": START + timedelta(minutes=31 * i),
                    "has_next_action": i % 3 == 0,
                    "next_action_at": START + timedelta(hours=i) if i % 3 == 0 else None,
                    "revenue": Decimal(i % 50),
                    "payout": Decimal(i % 20),
                    "data": {"i": i},
                }
                for i in range(LEADS)
            ],
        )
        await conn.exec_driver_sql("ANALYZE")
        return {
            "company": encode_global_id("Company", 5),
            "number": encode_global_id("Number", 207),
        }

    return f.run_db(settings, work)


@pytest.fixture
def statements() -> Iterator[list[tuple[str, Any]]]:
    sent: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        sent.append((statement, parameters))

    event.listen(Engine, "before_cursor_execute", capture)
    yield sent
    event.remove(Engine, "before_cursor_execute", capture)


def page_statement(sent: list[tuple[str, Any]], table: str) -> tuple[str, Any]:
    """The one statement that reads a page from `table`: it limits, or ranks rows per parent."""
    pages = [
        (sql, params)
        for sql, params in sent
        if re.search(rf'\bFROM "?{table}"?\b', sql) and ("LIMIT" in sql or "row_number" in sql)
    ]
    assert len(pages) == 1, pages
    return pages[0]


def plan_of(settings: Settings, statement: tuple[str, Any]) -> str:
    sql, params = statement
    explain = "EXPLAIN QUERY PLAN " if settings.is_sqlite else "EXPLAIN "

    async def work(conn: Any) -> str:
        rows = (await conn.exec_driver_sql(explain + sql, params)).all()
        # SQLite rows are (id, parent, notused, detail); PostgreSQL's are one line each.
        return "\n".join(str(row[-1]) for row in rows)

    return f.run_db(settings, work)


def assert_index_range_scan(settings: Settings, plan: str, table: str, index: str) -> None:
    if settings.is_sqlite:
        assert re.search(rf"SEARCH {table} USING (COVERING )?INDEX ({index}) \(", plan), plan
        assert not re.search(rf"\bSCAN {table}\b", plan), plan
    else:
        scan = rf"(Index|Index Only|Bitmap Index) Scan (Backward )?(using|on) ({index})\b"
        assert re.search(scan, plan), plan
        assert not re.search(rf'Seq Scan on "?{table}"?\b', plan), plan


BY_COMPANY = (
    "query($company: ID!) { %s(first: 50, filter: { companies: [$company] }, orderBy: %s) %s }"
)
FEB_1 = '{ from: "2026-02-01T00:00:00Z", to: "2026-02-02T00:00:00Z" }'

CASES = [
    pytest.param(
        BY_COMPANY % ("calls", "STARTED_AT_DESC", "{ nodes { id } }"),
        "call",
        "ix_call_company_started",
        id="calls-by-company-by-started-at",
    ),
    pytest.param(
        "query($number: ID!) { calls(first: 50, filter: { numbers: [$number] }) { nodes { id } } }",
        "call",
        "ix_call_number_started",
        id="calls-by-number",
    ),
    pytest.param(
        '{ calls(first: 50, filter: { caller: "(404) 000-0123" }) { nodes { id } } }',
        "call",
        # the caller index: a range scan on the caller
        "ix_call_caller_started",
        id="calls-by-caller",
    ),
    pytest.param(
        "{ calls(first: 50, filter: { startedAt: %s }) { nodes { id } } }" % FEB_1,
        "call",
        "ix_call_account_started",
        id="calls-by-date-range",
    ),
    pytest.param(
        BY_COMPANY % ("numbers", "E164_ASC", "{ nodes { e164 } }"),
        "number",
        "ix_number_company_e164",
        id="numbers-by-company-by-e164",
    ),
    pytest.param(
        "{ leads(first: 100, filter: { hasNextAction: true }, orderBy: NEXT_ACTION_AT_ASC) "
        "{ nodes { id } } }",
        "lead",
        "ix_lead_account_next_action",
        id="leads-by-next-action",
    ),
    pytest.param(
        BY_COMPANY % ("sources", "NAME_ASC", "{ nodes { name } }"),
        "source",
        "ix_source_company_name",
        id="sources-by-company-by-name",
    ),
    # Nested lists rank each parent's rows in one windowed statement: any index on company_id
    # narrows it (PostgreSQL picks either company index for a bitmap scan of several parents).
    pytest.param(
        "{ companies(first: 3) { nodes { calls(first: 10) { nodes { id } } } } }",
        "call",
        "ix_call_company_(started|duration)",
        id="nested-calls-of-each-company",
    ),
    pytest.param(
        "{ companies(first: 3) { nodes { numbers(first: 10) { nodes { e164 } } } } }",
        "number",
        "ix_number_company_(e164|created)",
        id="nested-numbers-of-each-company",
    ),
]


@pytest.mark.parametrize(("query", "table", "index"), CASES)
def test_common_filters_are_index_range_scans(
    settings: Settings,
    ids: dict[str, str],
    gql: Any,
    statements: list[tuple[str, Any]],
    query: str,
    table: str,
    index: str,
) -> None:
    variables = {name: value for name, value in ids.items() if f"${name}" in query}
    assert gql(query, variables)
    plan = plan_of(settings, page_statement(statements, table))
    print(f"\n{table} via {index}:\n{plan}")
    assert_index_range_scan(settings, plan, table, index)


def fone_calls(first: int, count: int, prop: str) -> list[dict[str, Any]]:
    return [
        {
            "CallSid": f"CA-plan-{prop}-{i}",
            "PropertySid": prop,
            "DateTime": str(1_767_225_600 + i),
            "From": f"+1404{i * 13 % 250:07}",  # callers call again
            "To": "+17700050001",
            "Duration": 30,
            "Disposition": "Answered",
        }
        for i in range(first, first + count)
    ]


def import_calls(settings: Settings, payload: list[dict[str, Any]]) -> None:
    async def run() -> None:
        engine = create_engine(settings)
        try:
            await import_payload(
                session_factory=create_session_factory(engine),
                account="demo",
                vendor=Vendor.FONE_DYNAMICS,
                resource="calls",
                payload=payload,
            )
        finally:
            await engine.dispose()

    asyncio.run(run())


def assert_caller_lookups_use_the_caller_index(
    settings: Settings, statements: list[tuple[str, Any]]
) -> None:
    lookups = [
        (sql, params)
        for sql, params in statements
        if re.search(r'\bFROM "?call"?\b', sql) and re.search(r"\bcaller_id IN\b", sql)
    ]
    assert lookups, [sql for sql, _ in statements]
    for lookup in lookups:
        plan = plan_of(settings, lookup)
        print(f"\n{lookup[0]}\n{plan}")
        assert_index_range_scan(settings, plan, "call", "ix_call_caller_started")


def test_first_call_lookups_of_an_import_read_the_caller_index(
    settings: Settings, ids: dict[str, str], statements: list[tuple[str, Any]]
) -> None:
    """Importing calls from known callers reads their earlier calls by caller."""
    import_calls(settings, fone_calls(0, 20, "PR-plans"))
    assert_caller_lookups_use_the_caller_index(settings, statements)


# SQLite only: PostgreSQL plans from the statistics autovacuum keeps (see the test above).
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_first_call_lookups_use_the_caller_index_without_statistics(
    settings: Settings, statements: list[tuple[str, Any]]
) -> None:
    """As imports leave SQLite: never ANALYZEd. Given `company_id = ?` next to the callers,
    SQLite read the company's time index instead, a scan that grew with every import (1M calls:
    4.6 s of lookups per 100k calls, 0.3 s by caller)."""
    for round_ in range(3):
        import_calls(settings, fone_calls(0, 300, f"PR-{round_ % 2}"))
    statements.clear()
    import_calls(settings, fone_calls(300, 300, "PR-0"))
    assert_caller_lookups_use_the_caller_index(settings, statements)
