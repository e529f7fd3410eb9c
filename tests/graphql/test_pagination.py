"""Keyset paging: forward through a whole list and back again gives the same items mirrored,
under every ordering; bad cursors and sizes are BAD_USER_INPUT."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.ids import encode_global_id
from app.core.settings import Settings

import helpers.factories as f
from helpers.graphql_client import Gql

# Started-at hours and durations with deliberate ties, so the id tie-breaker matters.
CALL_HOURS = [5, 3, 3, 9, 1, 3, 7, 7, 0, 2, 9, 4, 6, 6, 8, 5, 1, 3, 2, 0, 7, 4, 9]
CALL_DURATIONS = [
    30,
    60,
    30,
    0,
    120,
    60,
    60,
    5,
    30,
    0,
    600,
    60,
    45,
    45,
    30,
    5,
    0,
    60,
    30,
    90,
    5,
    5,
    30,
]
NEXT_ACTION_DAYS = [3, None, 1, 3, None, 2, 1, None, 0, 3, 2]
REVENUES = ["10.50", "0", "10.50", "99.99", "1.25", "0", "10.50", "7", "7", "100", "0.01"]
NUMBERS = ["+17705550003", "+17705550001", "+61298765432", "+17705550002", "+14045550100"]
SOURCE_NAMES = ["Google Ads", "Bing", "Direct", "Facebook", "Bing", "Yelp"]


async def seed(conn: AsyncConnection) -> dict[str, Any]:
    account = await f.account(conn)
    company = await f.company(conn, account, "Acme Plumbing")
    calls = []
    for index, (hours, duration) in enumerate(zip(CALL_HOURS, CALL_DURATIONS, strict=True)):
        pk = await f.call(
            conn,
            account,
            company,
            f"CA{index}",
            started_at=f.UTC_2026 + timedelta(hours=hours),
            duration_seconds=duration,
        )
        calls.append({"pk": pk, "started_at": hours, "duration_seconds": duration})
    leads = []
    for index, (days, revenue) in enumerate(zip(NEXT_ACTION_DAYS, REVENUES, strict=True)):
        next_action = None if days is None else f.UTC_2026 + timedelta(days=days)
        pk = await f.lead(
            conn,
            account,
            company,
            f"L{index}",
            next_action_at=next_action,
            revenue=Decimal(revenue),
            created_at=f.UTC_2026 + timedelta(minutes=index % 4),
        )
        leads.append(
            {"pk": pk, "next_action_at": days, "revenue": Decimal(revenue), "created_at": index % 4}
        )
    numbers = [
        {"pk": await f.number(conn, account, company, e164), "e164": e164} for e164 in NUMBERS
    ]
    sources = [
        {"pk": await f.source(conn, account, company, name, external_id=f"S{i}"), "name": name}
        for i, name in enumerate(SOURCE_NAMES)
    ]
    return {"company": company, "Call": calls, "Lead": leads, "Number": numbers, "Source": sources}


@pytest.fixture
def data(settings: Settings) -> dict[str, Any]:
    return f.run_db(settings, seed)


def expected_order(rows: list[dict[str, Any]], key: str, descending: bool) -> list[int]:
    """The order written independently of the SQL: by key then id, NULLs last either way."""
    present = [r for r in rows if r[key] is not None]
    missing = [r for r in rows if r[key] is None]
    ordered = sorted(present, key=lambda r: (r[key], r["pk"]), reverse=descending)
    ordered += sorted(missing, key=lambda r: r["pk"], reverse=descending)
    return [r["pk"] for r in ordered]


PAGE_QUERY = """
query Page($first: Int, $after: String, $last: Int, $before: String) {
  %s(orderBy: %s, first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""

CASES = [
    ("calls", "Call", "STARTED_AT_DESC", "started_at", True),
    ("calls", "Call", "STARTED_AT_ASC", "started_at", False),
    ("calls", "Call", "DURATION_DESC", "duration_seconds", True),
    ("calls", "Call", "DURATION_ASC", "duration_seconds", False),
    ("leads", "Lead", "NEXT_ACTION_AT_ASC", "next_action_at", False),
    ("leads", "Lead", "NEXT_ACTION_AT_DESC", "next_action_at", True),
    ("leads", "Lead", "REVENUE_DESC", "revenue", True),
    ("leads", "Lead", "CREATED_AT_ASC", "created_at", False),
    ("numbers", "Number", "E164_ASC", "e164", False),
    ("numbers", "Number", "E164_DESC", "e164", True),
    ("sources", "Source", "NAME_ASC", "name", False),
    ("sources", "Source", "NAME_DESC", "name", True),
]


def walk(gql: Gql, query: str, field: str, *, size: int, backward: bool) -> list[str]:
    """Every id in the list, paging with `size` forward (first/after) or backward (last/before)."""
    seen: list[str] = []
    cursor = None
    for page_number in range(100):
        variables = (
            {"last": size, "before": cursor} if backward else {"first": size, "after": cursor}
        )
        connection = gql(query, variables)[field]
        ids = [edge["node"]["id"] for edge in connection["edges"]]
        info = connection["pageInfo"]
        seen = ids + seen if backward else seen + ids
        more = info["hasPreviousPage"] if backward else info["hasNextPage"]
        came_from_cursor = info["hasNextPage"] if backward else info["hasPreviousPage"]
        assert came_from_cursor is (page_number > 0)
        if ids:
            assert info["startCursor"] == connection["edges"][0]["cursor"]
            assert info["endCursor"] == connection["edges"][-1]["cursor"]
        if not more:
            return seen
        cursor = info["startCursor"] if backward else info["endCursor"]
    raise AssertionError("paging did not end")


@pytest.mark.parametrize(("field", "type_name", "order", "key", "descending"), CASES)
@pytest.mark.parametrize("size", [1, 4])
def test_forward_and_backward_paging_mirror(
    gql: Gql,
    data: dict[str, Any],
    field: str,
    type_name: str,
    order: str,
    key: str,
    descending: bool,
    size: int,
) -> None:
    query = PAGE_QUERY % (field, order)
    expected = [
        encode_global_id(type_name, pk) for pk in expected_order(data[type_name], key, descending)
    ]

    forward = walk(gql, query, field, size=size, backward=False)
    backward = walk(gql, query, field, size=size, backward=True)

    assert forward == expected
    assert backward == expected


def test_nested_connection_pages_both_ways(gql: Gql, data: dict[str, Any]) -> None:
    company_id = encode_global_id("Company", data["company"])
    query = """
    query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
      node(id: $id) { ... on Company {
        calls(orderBy: DURATION_DESC, first: $first, after: $after, last: $last, before: $before) {
          edges { cursor node { id } }
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        } } }
    }"""

    def page(variables: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = gql(query, {"id": company_id, **variables})["node"]["calls"]
        return result

    first_page = page({"first": 5})
    second_page = page({"first": 5, "after": first_page["pageInfo"]["endCursor"]})
    back_to_first = page({"last": 5, "before": second_page["pageInfo"]["startCursor"]})

    expected = [
        encode_global_id("Call", pk)
        for pk in expected_order(data["Call"], "duration_seconds", True)
    ]
    ids = lambda c: [e["node"]["id"] for e in c["edges"]]  # noqa: E731
    assert ids(first_page) == expected[:5]
    assert ids(second_page) == expected[5:10]
    assert ids(back_to_first) == expected[:5]
    assert back_to_first["pageInfo"]["hasPreviousPage"] is False


def test_first_zero_gives_an_empty_page_with_count(gql: Gql, data: dict[str, Any]) -> None:
    result = gql("{ calls(first: 0) { totalCount edges { cursor } pageInfo { hasNextPage } } }")
    assert result["calls"] == {"totalCount": 23, "edges": [], "pageInfo": {"hasNextPage": True}}


def cursor_of(gql: Gql, field: str, order: str) -> str:
    edges = gql("{ %s(orderBy: %s, first: 1) { edges { cursor } } }" % (field, order))[field][
        "edges"
    ]
    cursor: str = edges[0]["cursor"]
    return cursor


@pytest.mark.parametrize(
    ("arguments", "named", "code"),
    [
        # Pages over the cap are refused by the query limits, before any SQL (tests/test_limits.py).
        ("first: 251", "first", "QUERY_TOO_COMPLEX"),
        ("last: 1000", "last", "QUERY_TOO_COMPLEX"),
        ("first: -1", "first", "BAD_USER_INPUT"),
        ("first: 5, last: 5", "first and last", "BAD_USER_INPUT"),
        ('first: 5, after: "not-a-cursor"', "after", "BAD_USER_INPUT"),
        ('last: 5, before: "eyJ4IjoxfQ"', "before", "BAD_USER_INPUT"),
    ],
)
def test_bad_paging_arguments_are_user_errors(
    gql_errors: Any, data: dict[str, Any], arguments: str, named: str, code: str
) -> None:
    errors = gql_errors("{ calls(%s) { edges { cursor } } }" % arguments)
    assert errors[0]["extensions"]["code"] == code
    assert errors[0]["message"].startswith(named)


def test_cursor_from_another_ordering_or_list_is_rejected(
    gql: Gql, gql_errors: Any, data: dict[str, Any]
) -> None:
    by_start = cursor_of(gql, "calls", "STARTED_AT_DESC")
    number_cursor = cursor_of(gql, "numbers", "E164_ASC")

    wrong_order = gql_errors(
        '{ calls(orderBy: DURATION_DESC, after: "%s") { nodes { id } } }' % by_start
    )
    wrong_list = gql_errors('{ calls(after: "%s") { nodes { id } } }' % number_cursor)

    for errors in (wrong_order, wrong_list):
        assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
        assert "another list or ordering" in errors[0]["message"]
