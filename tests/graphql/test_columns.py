"""The vendors' `columns` parameter, done the GraphQL way: a query reads only the columns its
selection set needs. The SQL each request sends is captured and read: wide columns (a lead's
`data`, a call's `notes`) stay unread unless selected."""

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.core.ids import encode_global_id
from app.core.settings import Settings

import helpers.factories as f


@pytest.fixture
def ids(settings: Settings) -> dict[str, str]:
    async def work(conn: Any) -> dict[str, str]:
        demo = await f.account(conn, "demo")
        acme = await f.company(conn, demo, "Acme")
        lead = await f.lead(
            conn,
            demo,
            acme,
            "L1",
            name="Ann Smith",
            data={"notes": "x" * 5000},
            revenue=Decimal("12.5"),
        )
        call = await f.call(conn, demo, acme, "C1", notes="a long conversation " * 200)
        return {
            "acme": encode_global_id("Company", acme),
            "lead": encode_global_id("Lead", lead),
            "call": encode_global_id("Call", call),
        }

    return f.run_db(settings, work)


@pytest.fixture
def statements() -> Iterator[list[str]]:
    """Every SQL statement sent while the test runs (after the fixtures have seeded)."""
    sent: list[str] = []

    def capture(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        sent.append(statement)

    event.listen(Engine, "before_cursor_execute", capture)
    yield sent
    event.remove(Engine, "before_cursor_execute", capture)


def unaliased(statement: str) -> str:
    """The statement with the compiler's table aliases (`"lead" AS t3`) read as table names."""
    for table, alias in re.findall(r'"?(\w+)"? AS (t\d+)\b', statement):
        statement = re.sub(rf"\b{alias}\.", f"{table}.", statement)
    return statement


def reads(statements: list[str], table: str, column: str) -> bool:
    pattern = re.compile(rf'"?\b{table}"?\."?{column}\b"?')
    return any(pattern.search(unaliased(s)) for s in statements)


def select_list(statements: list[str], table: str) -> set[str]:
    """The columns of the one statement that reads FROM `table` (outside a window subquery)."""
    # The compiler reads a page in its innermost SELECT ... FROM "table" WHERE.
    pattern = rf'SELECT\s((?:(?!SELECT).)*?)\sFROM "?{table}"?(?:\s+WHERE|\s|$)'
    matching = [m for s in statements for m in re.finditer(pattern, s, re.S)]
    assert len(matching) == 1, matching
    columns = matching[0]
    assert columns is not None
    # Column references only: labels ("lead.id AS pk") are the app's business.
    return {c.split(" AS ")[0].strip().replace('"', "") for c in columns.group(1).split(",")}


def test_a_narrow_lead_page_reads_only_its_columns(
    gql: Any, ids: dict[str, str], statements: list[str]
) -> None:
    data = gql("{ leads { nodes { id name } } }")
    assert data["leads"]["nodes"] == [{"id": ids["lead"], "name": "Ann Smith"}]
    assert not reads(statements, "lead", "data")
    # The id, the selected name, and the sort column the cursor needs.
    assert select_list(statements, "lead") == {"lead.id", "lead.name", "lead.created_at"}


def test_selecting_lead_data_reads_it(gql: Any, ids: dict[str, str], statements: list[str]) -> None:
    data = gql("{ leads { nodes { name data } } }")
    assert data["leads"]["nodes"] == [{"name": "Ann Smith", "data": {"notes": "x" * 5000}}]
    assert reads(statements, "lead", "data")


def test_a_narrow_call_page_reads_only_its_columns(
    gql: Any, ids: dict[str, str], statements: list[str]
) -> None:
    data = gql("{ calls { nodes { id } } }")
    assert data["calls"]["nodes"] == [{"id": ids["call"]}]
    assert not reads(statements, "call", "notes")
    assert select_list(statements, "call") == {"call.id", "call.started_at"}


def test_selecting_call_notes_reads_them(
    gql: Any, ids: dict[str, str], statements: list[str]
) -> None:
    data = gql("{ calls { nodes { notes } } }")
    assert data["calls"]["nodes"] == [{"notes": "a long conversation " * 200}]
    assert reads(statements, "call", "notes")


def test_edges_and_fragments_count_as_selections(
    gql: Any, ids: dict[str, str], statements: list[str]
) -> None:
    query = """
    { calls { edges { node { ...Brief } } } }
    fragment Brief on Call { durationSeconds }
    """
    assert gql(query)["calls"]["edges"] == [{"node": {"durationSeconds": 60}}]
    assert not reads(statements, "call", "notes")
    assert reads(statements, "call", "duration_seconds")


def test_nested_lists_read_only_selected_columns(
    gql: Any, ids: dict[str, str], statements: list[str]
) -> None:
    query = (
        "{ companies { nodes { leads { nodes { name } } calls { nodes { durationSeconds } } } } }"
    )
    company = gql(query)["companies"]["nodes"][0]
    assert company["leads"]["nodes"] == [{"name": "Ann Smith"}]
    assert company["calls"]["nodes"] == [{"durationSeconds": 60}]
    assert not reads(statements, "lead", "data")
    assert not reads(statements, "call", "notes")


def test_refetch_reads_only_selected_columns(
    gql: Any, ids: dict[str, str], statements: list[str]
) -> None:
    query = """
    query($ids: [ID!]!) {
      nodes(ids: $ids) { id ... on Lead { revenue } ... on Call { disposition } }
    }"""
    found = gql(query, {"ids": [ids["lead"], ids["call"]]})["nodes"]
    assert found == [
        {"id": ids["lead"], "revenue": "12.5000"},
        {"id": ids["call"], "disposition": "ANSWERED"},
    ]
    assert not reads(statements, "lead", "data")
    assert not reads(statements, "call", "notes")
    statements.clear()
    query = "query($id: ID!) { node(id: $id) { ... on Lead { data } } }"
    assert gql(query, {"id": ids["lead"]})["node"] == {"data": {"notes": "x" * 5000}}
    assert reads(statements, "lead", "data")


def test_a_search_reads_notes_only_to_filter(
    gql: Any, ids: dict[str, str], statements: list[str]
) -> None:
    data = gql('{ calls(filter: { search: "conversation" }) { nodes { id } } }')
    assert data["calls"]["nodes"] == [{"id": ids["call"]}]
    assert "notes" not in " ".join(select_list(statements, "call"))
