"""node(id:) and nodes(ids:) refetch every type; invisible ids are null, malformed ones errors."""

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.ids import encode_global_id
from app.core.settings import Settings

import helpers.factories as f
from helpers.graphql_client import Gql


async def seed(conn: AsyncConnection) -> dict[str, int]:
    account = await f.account(conn)
    company = await f.company(conn, account, "Acme Plumbing", time_zone="Australia/Sydney")
    source = await f.source(conn, account, company, "Google Ads")
    number = await f.number(conn, account, company, "+61298765432", source_id=source)
    caller = await f.caller(conn, account, "+61400111222")
    call = await f.call(conn, account, company, "CA1", number_id=number, caller_id=caller)
    lead = await f.lead(conn, account, company, "L1", name="Dana", caller_id=caller)
    other = await f.account(conn, "other")
    other_company = await f.company(conn, other, "Other Co")
    return {
        "Company": company,
        "Source": source,
        "Number": number,
        "Caller": caller,
        "Call": call,
        "Lead": lead,
        "other_company": other_company,
    }


@pytest.fixture
def pks(settings: Settings) -> dict[str, int]:
    return f.run_db(settings, seed)


REFETCH = """
query($id: ID!) { node(id: $id) { id __typename
  ... on Company { name timeZone }
  ... on Source { name company { name } }
  ... on Number { e164 source { name } }
  ... on Caller { e164 callCount }
  ... on Call { externalId caller { e164 } }
  ... on Lead { leadName: name caller { e164 } }
} }"""

EXPECTED = {
    "Company": {"name": "Acme Plumbing", "timeZone": "Australia/Sydney"},
    "Source": {"name": "Google Ads", "company": {"name": "Acme Plumbing"}},
    "Number": {"e164": "+61298765432", "source": {"name": "Google Ads"}},
    "Caller": {"e164": "+61400111222", "callCount": 1},
    "Call": {"externalId": "CA1", "caller": {"e164": "+61400111222"}},
    "Lead": {"leadName": "Dana", "caller": {"e164": "+61400111222"}},
}


@pytest.mark.parametrize("type_name", sorted(EXPECTED))
def test_node_refetches_every_type(gql: Gql, pks: dict[str, int], type_name: str) -> None:
    global_id = encode_global_id(type_name, pks[type_name])
    node = gql(REFETCH, {"id": global_id})["node"]
    assert node == {"id": global_id, "__typename": type_name, **EXPECTED[type_name]}


def test_nodes_keeps_order_and_nulls_the_invisible(gql: Gql, pks: dict[str, int]) -> None:
    ids = [
        encode_global_id("Lead", pks["Lead"]),
        encode_global_id("Company", pks["other_company"]),  # another account's
        encode_global_id("Call", 999_999),  # no such row
        encode_global_id("Widget", 1),  # no such type
        encode_global_id("Number", pks["Number"]),
    ]
    nodes = gql("query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }", {"ids": ids})["nodes"]
    assert nodes == [
        {"__typename": "Lead", "id": ids[0]},
        None,
        None,
        None,
        {"__typename": "Number", "id": ids[4]},
    ]


def test_node_of_another_account_is_null(gql: Gql, pks: dict[str, int]) -> None:
    other = encode_global_id("Company", pks["other_company"])
    assert gql(REFETCH, {"id": other}) == {"node": None}


@pytest.mark.parametrize("bad_id", ["%%%", "bm90LWEtZ2xvYmFsLWlk", ""])
def test_malformed_id_is_a_user_error(gql_errors: Any, pks: dict[str, int], bad_id: str) -> None:
    errors = gql_errors("query($id: ID!) { node(id: $id) { id } }", {"id": bad_id})
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert errors[0]["message"].startswith("id:")


def test_too_many_ids_is_a_user_error(gql_errors: Any, pks: dict[str, int]) -> None:
    ids = [encode_global_id("Call", n) for n in range(1, 252)]
    errors = gql_errors("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ids})
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert errors[0]["message"].startswith("ids:")
