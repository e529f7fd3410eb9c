"""NumberFilter over HTTP: every field on a hand-built fixture, combined, nested and refused.

    name  e164           company  source       type       caps          status   provider
    N1    +17705550100   Acme     acme-google  LOCAL      voice sms     ACTIVE   twilio
    N2    +18005550199   Acme     -            TOLL_FREE  voice         PENDING  sip
    N3    +17705550101   Acme     acme-bing    LOCAL      voice sms mms ACTIVE   twilio
    N4    +61291234567   Bravo    -            LOCAL      sms           ACTIVE   telstra
    N5    +61412345678   Bravo    -            MOBILE     voice sms     -        twilio

    name  assigned  inbound  outbound  agent    country  vendors                city / friendly
    N1    yes       yes      yes       agent-1  US       FONE_DYNAMICS          Atlanta / Main line
    N2    no        yes      no        -        US       CALLRAIL, BUTTER       - / Spring promo
    N3    yes       no       yes       agent-2  US       BUTTER                 Marietta / -
    N4    -         -        -         -        AU       FONE_DYNAMICS          Sydney / -
    N5    yes       -        -         agent-1  AU       BUTTER                 - / -

Created: N4 Jan 1, N2 Jan 2, N5 Jan 3, N1 Jan 4, N3 Jan 5. Another account owns +17705550100 too.
"""

from datetime import UTC, datetime
from typing import Any

import pytest

from app.core.ids import encode_global_id
from app.core.settings import Settings

import helpers.factories as f

N1, N2, N3, N4, N5 = "+17705550100", "+18005550199", "+17705550101", "+61291234567", "+61412345678"
EVERY = [N1, N3, N2, N4, N5]  # E164_ASC

NUMBERS = """
query Numbers($filter: NumberFilter, $order: NumberOrder! = E164_ASC) {
  numbers(first: 50, filter: $filter, orderBy: $order) { totalCount nodes { e164 } }
}"""

COMPANY_NUMBERS = """
query CompanyNumbers($id: ID!, $filter: NumberFilter) {
  node(id: $id) {
    ... on Company { numbers(first: 50, filter: $filter) { totalCount nodes { e164 } } }
  }
}"""

EVERY_COMPANY_NUMBERS = """
query EveryCompanysNumbers($filter: NumberFilter) {
  companies(first: 10) {
    nodes { name numbers(first: 50, filter: $filter) { totalCount nodes { e164 } } }
  }
}"""


def day(n: int) -> datetime:
    return datetime(2026, 1, n, tzinfo=UTC)


@pytest.fixture
def ids(settings: Settings) -> dict[str, str]:
    async def work(conn: Any) -> dict[str, str]:
        other = await f.account(conn, "other")
        other_company = await f.company(conn, other, "Other Co")
        await f.number(
            conn, other, other_company, N1, has_voice=True, has_sms=True, provider="twilio",
            assigned=True, country_code="US", city="Atlanta",
        )
        demo = await f.account(conn, "demo")
        acme = await f.company(conn, demo, "Acme", default_region="US")
        bravo = await f.company(conn, demo, "Bravo", default_region="AU")
        google = await f.source(conn, demo, acme, "acme-google")
        bing = await f.source(conn, demo, acme, "acme-bing")
        await f.number(
            conn, demo, bravo, N4, number_type="LOCAL", has_sms=True, status="ACTIVE",
            provider="telstra", country_code="AU", city="Sydney", created_at=day(1),
            vendors=["FONE_DYNAMICS"],
        )
        await f.number(
            conn, demo, acme, N2, number_type="TOLL_FREE", has_voice=True, status="PENDING",
            provider="sip", assigned=False, supports_inbound=True, supports_outbound=False,
            country_code="US", friendly_name="Spring promo", created_at=day(2),
            vendors=["CALLRAIL", "BUTTER"],
        )
        await f.number(
            conn, demo, bravo, N5, number_type="MOBILE", has_voice=True, has_sms=True,
            provider="twilio", assigned=True, assigned_agent_id="agent-1", country_code="AU",
            created_at=day(3), vendors=["BUTTER"],
        )
        await f.number(
            conn, demo, acme, N1, source_id=google, number_type="LOCAL", has_voice=True,
            has_sms=True, status="ACTIVE", provider="twilio", assigned=True,
            supports_inbound=True, supports_outbound=True, assigned_agent_id="agent-1",
            country_code="US", city="Atlanta", friendly_name="Main line", created_at=day(4),
            vendors=["FONE_DYNAMICS"],
        )
        await f.number(
            conn, demo, acme, N3, source_id=bing, number_type="LOCAL", has_voice=True,
            has_sms=True, has_mms=True, status="ACTIVE", provider="twilio", assigned=True,
            supports_inbound=False, supports_outbound=True, assigned_agent_id="agent-2",
            country_code="US", city="Marietta", created_at=day(5), vendors=["BUTTER"],
        )
        pks = {
            "acme": ("Company", acme), "bravo": ("Company", bravo),
            "google": ("Source", google), "bing": ("Source", bing),
        }
        return {name: encode_global_id(kind, pk) for name, (kind, pk) in pks.items()}

    return f.run_db(settings, work)


def e164s(gql: Any, filter: dict[str, Any] | None, order: str | None = None) -> list[str]:
    variables: dict[str, Any] = {"filter": filter}
    if order:
        variables["order"] = order
    connection = gql(NUMBERS, variables)["numbers"]
    found = [node["e164"] for node in connection["nodes"]]
    assert connection["totalCount"] == len(found)
    return found


def test_no_filter_lists_the_accounts_numbers(gql: Any, ids: dict[str, str]) -> None:
    assert e164s(gql, None) == [N1, N3, N2, N4, N5]


@pytest.mark.parametrize("written", ["(770) 555-0100", "770-555-0100", "+17705550100", "7705550100"])
def test_e164_in_any_written_form(gql: Any, ids: dict[str, str], written: str) -> None:
    assert e164s(gql, {"e164": [written]}) == [N1]


def test_e164_any_of(gql: Any, ids: dict[str, str]) -> None:
    assert e164s(gql, {"e164": ["+1 800 555 0199", "770.555.0101", "+61 2 9123 4567"]}) == [
        N3, N2, N4,
    ]
    assert e164s(gql, {"e164": ["+17709999999"]}) == []


def test_types_any_of(gql: Any, ids: dict[str, str]) -> None:
    assert e164s(gql, {"types": ["TOLL_FREE", "MOBILE"]}) == [N2, N5]
    assert e164s(gql, {"types": ["LOCAL"]}) == [N1, N3, N4]


def test_capabilities_means_all_of_them(gql: Any, ids: dict[str, str]) -> None:
    assert e164s(gql, {"capabilities": ["VOICE", "SMS"]}) == [N1, N3, N5]
    assert e164s(gql, {"capabilities": ["SMS"]}) == [N1, N3, N4, N5]
    assert e164s(gql, {"capabilities": ["MMS", "VOICE"]}) == [N3]
    assert e164s(gql, {"capabilities": ["VOICE", "SMS", "MMS"]}) == [N3]
    # Having all of no capabilities is true of every number.
    assert e164s(gql, {"capabilities": []}) == EVERY


def test_statuses(gql: Any, ids: dict[str, str]) -> None:
    assert e164s(gql, {"statuses": ["PENDING"]}) == [N2]
    assert e164s(gql, {"statuses": ["ACTIVE", "PENDING"]}) == [N1, N3, N2, N4]


def test_assigned(gql: Any, ids: dict[str, str]) -> None:
    assert e164s(gql, {"assigned": True}) == [N1, N3, N5]
    assert e164s(gql, {"assigned": False}) == [N2]


def test_providers(gql: Any, ids: dict[str, str]) -> None:
    assert e164s(gql, {"providers": ["twilio"]}) == [N1, N3, N5]
    assert e164s(gql, {"providers": ["sip", "telstra"]}) == [N2, N4]


def test_supports_inbound_and_outbound(gql: Any, ids: dict[str, str]) -> None:
    assert e164s(gql, {"supportsInbound": True}) == [N1, N2]
    assert e164s(gql, {"supportsInbound": False}) == [N3]
    assert e164s(gql, {"supportsOutbound": True}) == [N1, N3]
    assert e164s(gql, {"supportsOutbound": False}) == [N2]
    assert e164s(gql, {"supportsInbound": True, "supportsOutbound": True}) == [N1]


def test_assigned_agent_ids(gql: Any, ids: dict[str, str]) -> None:
    assert e164s(gql, {"assignedAgentIds": ["agent-1"]}) == [N1, N5]
    assert e164s(gql, {"assignedAgentIds": ["agent-2", "agent-9"]}) == [N3]


def test_companies_and_sources(gql: Any, ids: dict[str, str]) -> None:
    assert e164s(gql, {"companies": [ids["bravo"]]}) == [N4, N5]
    assert e164s(gql, {"sources": [ids["google"]]}) == [N1]
    assert e164s(gql, {"sources": [ids["google"], ids["bing"]]}) == [N1, N3]


def test_country_codes_any_case(gql: Any, ids: dict[str, str]) -> None:
    assert e164s(gql, {"countryCodes": ["au"]}) == [N4, N5]
    assert e164s(gql, {"countryCodes": ["US", "Au"]}) == EVERY


def test_vendors(gql: Any, ids: dict[str, str]) -> None:
    assert e164s(gql, {"vendors": ["BUTTER"]}) == [N3, N2, N5]
    assert e164s(gql, {"vendors": ["CALLRAIL", "FONE_DYNAMICS"]}) == [N1, N2, N4]
    assert e164s(gql, {"vendors": ["TRACKDRIVE"]}) == []


def test_search(gql: Any, ids: dict[str, str]) -> None:
    assert e164s(gql, {"search": "atlanta"}) == [N1]  # city
    assert e164s(gql, {"search": "PROMO"}) == [N2]  # friendly name
    assert e164s(gql, {"search": "telstra"}) == [N4]  # provider
    assert e164s(gql, {"search": "agent-2"}) == [N3]  # agent
    assert e164s(gql, {"search": "5550100"}) == [N1]  # the number


def test_fields_combine_with_and(gql: Any, ids: dict[str, str]) -> None:
    inventory = {
        "companies": [ids["acme"]],
        "capabilities": ["VOICE"],
        "assigned": True,
        "providers": ["twilio"],
    }
    assert e164s(gql, inventory) == [N1, N3]
    assert e164s(gql, {**inventory, "supportsInbound": True}) == [N1]
    assert e164s(gql, {**inventory, "types": ["MOBILE"]}) == []
    assert e164s(gql, {"vendors": ["BUTTER"], "countryCodes": ["AU"], "search": "twilio"}) == [N5]


def test_orderings(gql: Any, ids: dict[str, str]) -> None:
    assert e164s(gql, None, "E164_DESC") == [N5, N4, N2, N3, N1]
    assert e164s(gql, None, "CREATED_AT_ASC") == [N4, N2, N5, N1, N3]
    assert e164s(gql, {"capabilities": ["SMS"]}, "CREATED_AT_DESC") == [N3, N1, N5, N4]


def test_nested_company_numbers(gql: Any, ids: dict[str, str]) -> None:
    acme = gql(COMPANY_NUMBERS, {"id": ids["acme"], "filter": {"types": ["LOCAL"]}})
    assert [n["e164"] for n in acme["node"]["numbers"]["nodes"]] == [N1, N3]
    # National forms are read in Bravo's region (AU).
    bravo = gql(COMPANY_NUMBERS, {"id": ids["bravo"], "filter": {"e164": ["(02) 9123 4567"]}})
    assert [n["e164"] for n in bravo["node"]["numbers"]["nodes"]] == [N4]


def test_nested_numbers_under_every_company(gql: Any, ids: dict[str, str]) -> None:
    filter = {"capabilities": ["SMS"], "assigned": True}
    companies = gql(EVERY_COMPANY_NUMBERS, {"filter": filter})["companies"]["nodes"]
    found = {
        c["name"]: ([n["e164"] for n in c["numbers"]["nodes"]], c["numbers"]["totalCount"])
        for c in companies
    }
    assert found == {"Acme": ([N1, N3], 2), "Bravo": ([N5], 1)}


def test_nested_source_numbers(gql: Any, ids: dict[str, str]) -> None:
    query = """
    query($id: ID!, $filter: NumberFilter) {
      node(id: $id) { ... on Source { numbers(filter: $filter) { nodes { e164 } } } }
    }"""
    found = gql(query, {"id": ids["bing"], "filter": {"capabilities": ["MMS"]}})
    assert [n["e164"] for n in found["node"]["numbers"]["nodes"]] == [N3]
    found = gql(query, {"id": ids["bing"], "filter": {"providers": ["sip"]}})
    assert found["node"]["numbers"]["nodes"] == []


BAD_FILTERS = [
    ({"e164": ["12"]}, "filter.e164[0]"),
    ({"e164": ["+17705550100", "not a number"]}, "filter.e164[1]"),
    ({"companies": [encode_global_id("Source", 1)]}, "filter.companies[0]"),
    ({"sources": ["???"]}, "filter.sources[0]"),
    ({"capabilities": ["FAX"]}, "capabilities"),
    ({"types": ["LANDLINE"]}, "types"),
    ({"statuses": ["ON"]}, "statuses"),
    ({"vendors": ["TWILIO"]}, "vendors"),
    ({"assigned": "yes"}, "assigned"),
]


@pytest.mark.parametrize(("filter", "field"), BAD_FILTERS)
def test_bad_values_are_bad_user_input_naming_the_field(
    gql_errors: Any, ids: dict[str, str], filter: dict[str, Any], field: str
) -> None:
    errors = gql_errors(NUMBERS, {"filter": filter})
    assert [e["extensions"]["code"] for e in errors] == ["BAD_USER_INPUT"]
    assert field in errors[0]["message"]


@pytest.mark.parametrize(("filter", "field"), BAD_FILTERS[:4])
def test_bad_values_under_a_company_are_bad_user_input(
    gql_errors: Any, ids: dict[str, str], filter: dict[str, Any], field: str
) -> None:
    errors = gql_errors(COMPANY_NUMBERS, {"id": ids["acme"], "filter": filter})
    assert {e["extensions"]["code"] for e in errors} == {"BAD_USER_INPUT"}
    assert field in errors[0]["message"]
