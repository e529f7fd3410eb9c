"""Relations in both directions return the rows they should (hand-picked fixture)."""

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.ids import encode_global_id
from app.core.settings import Settings

import helpers.factories as f
from helpers.graphql_client import Gql


async def seed(conn: AsyncConnection) -> dict[str, int]:
    account = await f.account(conn)
    acme = await f.company(conn, account, "Acme")
    other = await f.company(conn, account, "Other Co", external_id="other")
    google = await f.source(conn, account, acme, "Google")
    line = await f.number(conn, account, acme, "+17705550001", source_id=google)
    dana = await f.caller(conn, account, "+14045550001")
    sam = await f.caller(conn, account, "+14045550002")
    hour = timedelta(hours=1)
    await f.call(conn, account, acme, "A1", caller_id=dana, number_id=line, source_id=google)
    await f.call(conn, account, other, "A2", caller_id=dana, started_at=f.UTC_2026 + hour)
    await f.call(conn, account, acme, "A3", caller_id=sam, number_id=line)
    await f.call(conn, account, acme, "A4", caller_id=None, started_at=f.UTC_2026 + 2 * hour)
    lead = await f.lead(conn, account, acme, "L-dana", caller_id=dana, source_id=google)
    anonymous = await f.lead(conn, account, acme, "L-anon", caller_id=None)
    return {"lead": lead, "anonymous": anonymous, "dana": dana, "acme": acme, "google": google}


@pytest.fixture
def pks(settings: Settings) -> dict[str, int]:
    return f.run_db(settings, seed)


def ids_of(connection: dict[str, Any]) -> list[str]:
    return [node["externalId"] for node in connection["nodes"]]


LEAD = """query($id: ID!) { node(id: $id) { ... on Lead {
  calls { totalCount nodes { externalId } } caller { e164 } source { name } company { name } } } }"""


def test_lead_calls_are_its_callers_calls_at_any_company(gql: Gql, pks: dict[str, int]) -> None:
    lead = gql(LEAD, {"id": encode_global_id("Lead", pks["lead"])})["node"]
    assert ids_of(lead["calls"]) == ["A2", "A1"]
    assert lead["calls"]["totalCount"] == 2
    assert (lead["caller"], lead["source"], lead["company"]) == (
        {"e164": "+14045550001"},
        {"name": "Google"},
        {"name": "Acme"},
    )


def test_an_anonymous_lead_has_no_calls(gql: Gql, pks: dict[str, int]) -> None:
    lead = gql(LEAD, {"id": encode_global_id("Lead", pks["anonymous"])})["node"]
    assert lead["calls"] == {"totalCount": 0, "nodes": []}
    assert lead["caller"] is None


def test_caller_source_and_company_lists(gql: Gql, pks: dict[str, int]) -> None:
    caller = gql(
        "query($id: ID!) { node(id: $id) { ... on Caller { callCount calls { nodes { externalId } }"
        " leads { nodes { externalId } } } } }",
        {"id": encode_global_id("Caller", pks["dana"])},
    )["node"]
    source = gql(
        "query($id: ID!) { node(id: $id) { ... on Source { calls { nodes { externalId } }"
        " numbers { nodes { e164 } } leads { nodes { externalId } } company { name } } } }",
        {"id": encode_global_id("Source", pks["google"])},
    )["node"]
    company = gql(
        "query($id: ID!) { node(id: $id) { ... on Company { calls { nodes { externalId } }"
        " sources { nodes { name } } numbers { nodes { e164 } } leads { nodes { externalId } } } } }",
        {"id": encode_global_id("Company", pks["acme"])},
    )["node"]

    assert caller["callCount"] == 2
    assert ids_of(caller["calls"]) == ["A2", "A1"]
    assert ids_of(caller["leads"]) == ["L-dana"]
    assert ids_of(source["calls"]) == ["A1"]
    assert source["numbers"]["nodes"] == [{"e164": "+17705550001"}]
    assert ids_of(source["leads"]) == ["L-dana"]
    assert source["company"] == {"name": "Acme"}
    assert ids_of(company["calls"]) == ["A4", "A3", "A1"]
    assert company["sources"]["nodes"] == [{"name": "Google"}]
    assert company["numbers"]["nodes"] == [{"e164": "+17705550001"}]
    assert sorted(ids_of(company["leads"])) == ["L-anon", "L-dana"]
