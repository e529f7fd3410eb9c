"""A nested page costs a fixed number of SQL statements whatever its size (no N+1)."""

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.settings import Settings

import helpers.factories as f
from helpers.graphql_client import Gql

DEEP = """
query($first: Int!) {
  calls(first: $first) {
    nodes {
      startedAt
      number { e164 source { name company { name } } }
      caller { e164 callCount }
    }
  }
}"""

NESTED_LISTS = """
query($first: Int!) {
  companies(first: $first) {
    nodes { name calls(first: 3) { totalCount nodes { caller { e164 } } } }
  }
}"""


async def seed(conn: AsyncConnection) -> None:
    account = await f.account(conn)
    companies = [await f.company(conn, account, f"Company {i}") for i in range(5)]
    sources = [
        await f.source(conn, account, c, f"Source {i}", external_id=f"S{i}")
        for i, c in enumerate(companies)
    ]
    numbers = [
        await f.number(
            conn, account, companies[i % 5], f"+1770555{i:04d}", source_id=sources[i % 5]
        )
        for i in range(40)
    ]
    callers = [await f.caller(conn, account, f"+1404555{i:04d}") for i in range(60)]
    for i in range(260):
        await f.call(
            conn,
            account,
            companies[i % 5],
            f"CA{i}",
            number_id=numbers[i % 40],
            caller_id=None if i % 7 == 3 else callers[i % 60],
            started_at=f.UTC_2026 + timedelta(minutes=i),
        )


@pytest.fixture(params=["compiled", "general"])
def settings(request: pytest.FixtureRequest, database_url: str) -> Settings:
    """Both read paths: the compiler, and Strawberry's executor with its DataLoaders."""
    return Settings(database_url=database_url, compiled_reads=request.param == "compiled")


@pytest.fixture
def statements(settings: Settings) -> Iterator[list[str]]:
    f.run_db(settings, seed)
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.lstrip().upper().startswith("PRAGMA"):
            seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    yield seen
    event.remove(Engine, "before_cursor_execute", record)


def count(gql: Gql, statements: list[str], query: str, first: int) -> int:
    gql("{ companies(first: 1) { nodes { id } } }")  # warm up: account lookup is cached
    statements.clear()
    result = gql(query, {"first": first})
    assert result, result
    return len(statements)


def test_deep_call_page_statement_count_is_constant(
    gql: Gql, statements: list[str], settings: Settings
) -> None:
    one = count(gql, statements, DEEP, 1)
    many = count(gql, statements, DEEP, 250)
    # Compiled: one statement, the page with its number, source, company and caller joined and
    # each caller's call count correlated. General: the page, then one batch per relation
    # (number, source, company, caller) and one for the call counts.
    assert one == many == (1 if settings.compiled_reads else 6), statements


def test_nested_lists_under_a_page_are_batched(
    gql: Gql, statements: list[str], settings: Settings
) -> None:
    one = count(gql, statements, NESTED_LISTS, 1)
    many = count(gql, statements, NESTED_LISTS, 5)
    # Compiled: one statement with each company's calls as a correlated subquery. General:
    # companies, windowed calls, grouped counts, callers (nested lists use DataLoaders).
    assert one == many == (1 if settings.compiled_reads else 4), statements


COUNTING = re.compile(r'SELECT count\(\*\)( AS \w+)?\s+FROM "?call"?', re.I)


def test_total_count_runs_only_when_selected(gql: Gql, statements: list[str]) -> None:
    count(gql, statements, "query($first: Int!) { calls(first: $first) { nodes { id } } }", 5)
    assert not any(COUNTING.search(s) for s in statements)
    count(gql, statements, "query($first: Int!) { calls(first: $first) { totalCount } }", 5)
    assert sum(len(COUNTING.findall(s)) for s in statements) == 1


def test_a_company_filter_reads_the_company_only_when_the_filter_needs_it(
    gql: Gql, statements: list[str], settings: Settings
) -> None:
    gql("{ companies(first: 1) { nodes { id } } }")  # warm up
    company = gql("{ companies(first: 1) { nodes { id } } }")["companies"]["nodes"][0]["id"]
    plain = "query($c: ID!) { calls(first: 5, filter: { companies: [$c] }) { nodes { id } } }"
    dated = (
        "query($c: ID!) { calls(first: 5, filter: { companies: [$c], startedAt: { label: TODAY } })"
        " { nodes { id } } }"
    )
    statements.clear()
    gql(plain, {"c": company})
    assert len(statements) == 1, statements  # the page only
    statements.clear()
    gql(dated, {"c": company})
    assert len(statements) == 2, statements  # the company's time zone, then the page
    statements.clear()
    gql(dated, {"c": company})
    # The compiler remembers the zone and checks it in the page's own statement.
    assert len(statements) == (1 if settings.compiled_reads else 2), statements
