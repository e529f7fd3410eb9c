"""LeadFilter over HTTP: every TrackDrive lead filter on a hand-built fixture, combined, nested
and refused. Times are UTC, March 2026.

    id  company  source  caller  created    updated  next action  has next  offer  schedule
    L1  Acme     ts-1    C1      02 10:00   14       20 15:00     yes       o-1    sch-1
    L2  Acme     ts-1    C2      05 00:00   09       18 00:00     yes       o-2    sch-1
    L3  Acme     -       anon    09 00:00   10       -            no        o-1    -
    L4  Bravo    ts-2    C1      03 08:00   04       19 00:00     yes       o-3    sch-2
    L5  Acme     -       -       12 18:00   13       -            no        o-2    -

    id  contact  buyer  status     wait     email               buyer/offer conv  opt out  rev/pay
    L1  ct-1     b-1    new        wait_1h  Ann@Example.com     yes / no          no       10.5 / 2
    L2  ct-2     b-2    contacted  -        bob@example.com     no / yes          no       0 / 5
    L3  ct-3     -      new        wait_1d  -                   no / no           yes      3 / 0
    L4  ct-4     b-1    sold       -        dan@example.com.au  yes / yes         no       25 / 7.5
    L5  -        -      lost       -        eve@example.com     no / no           no       0 / 0

Text only some leads have: L1 name "Ann Smith", L3 zip 30301, L4 sub_id aff-9, L5 ip 10.0.0.5.
"""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from app.core.ids import encode_global_id
from app.core.settings import Settings

import helpers.factories as f

LEADS = """
query Leads($filter: LeadFilter, $order: LeadOrder! = CREATED_AT_DESC) {
  leads(first: 50, filter: $filter, orderBy: $order) { totalCount nodes { externalId } }
}"""

COMPANY_LEADS = """
query CompanyLeads($id: ID!, $filter: LeadFilter) {
  node(id: $id) {
    ... on Company { leads(filter: $filter) { totalCount nodes { externalId } } }
  }
}"""

EVERY = ["L5", "L3", "L2", "L4", "L1"]


def t(day: int, hour: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


@pytest.fixture
def ids(settings: Settings) -> dict[str, str]:
    async def work(conn: Any) -> dict[str, str]:
        other = await f.account(conn, "other")
        other_company = await f.company(conn, other, "Other Co")
        await f.lead(
            conn,
            other,
            other_company,
            "O1",
            status="new",
            offer_id="o-1",
            has_next_action=True,
            email="ann@example.com",
            created_at=t(5),
            updated_at=t(5),
            next_action_at=t(19),
        )
        demo = await f.account(conn, "demo")
        acme = await f.company(conn, demo, "Acme", time_zone="America/New_York")
        bravo = await f.company(conn, demo, "Bravo", time_zone="Australia/Sydney")
        ts1 = await f.source(
            conn, demo, acme, "ts-1", vendor="TRACKDRIVE", tracking_type="TRAFFIC_SOURCE"
        )
        ts2 = await f.source(
            conn, demo, bravo, "ts-2", vendor="TRACKDRIVE", tracking_type="TRAFFIC_SOURCE"
        )
        c1 = await f.caller(conn, demo, "+17701112222")
        c2 = await f.caller(conn, demo, "+17703334444")
        await f.lead(
            conn,
            demo,
            acme,
            "L1",
            source_id=ts1,
            caller_id=c1,
            caller_number="+17701112222",
            created_at=t(2, 10),
            updated_at=t(14),
            next_action_at=t(20, 15),
            has_next_action=True,
            offer_id="o-1",
            schedule_id="sch-1",
            contact_id="ct-1",
            traffic_source_id="ts-1",
            buyer_id="b-1",
            status="new",
            status_wait="wait_1h",
            email="Ann@Example.com",
            name="Ann Smith",
            buyer_converted=True,
            revenue=Decimal("10.5"),
            payout=Decimal("2"),
        )
        await f.lead(
            conn,
            demo,
            acme,
            "L2",
            source_id=ts1,
            caller_id=c2,
            caller_number="7703334444",
            created_at=t(5),
            updated_at=t(9),
            next_action_at=t(18),
            has_next_action=True,
            offer_id="o-2",
            schedule_id="sch-1",
            contact_id="ct-2",
            traffic_source_id="ts-1",
            buyer_id="b-2",
            status="contacted",
            email="bob@example.com",
            name="Bob Jones",
            offer_converted=True,
            payout=Decimal("5"),
        )
        await f.lead(
            conn,
            demo,
            acme,
            "L3",
            caller_number="anonymous",
            created_at=t(9),
            updated_at=t(10),
            offer_id="o-1",
            contact_id="ct-3",
            status="new",
            status_wait="wait_1d",
            name="Cara Lee",
            zip_postal_code="30301",
            opt_out=True,
            revenue=Decimal("3"),
        )
        await f.lead(
            conn,
            demo,
            bravo,
            "L4",
            source_id=ts2,
            caller_id=c1,
            caller_number="+17701112222",
            created_at=t(3, 8),
            updated_at=t(4),
            next_action_at=t(19),
            has_next_action=True,
            offer_id="o-3",
            schedule_id="sch-2",
            contact_id="ct-4",
            traffic_source_id="ts-2",
            buyer_id="b-1",
            status="sold",
            email="dan@example.com.au",
            name="Dan Brown",
            sub_id="aff-9",
            buyer_converted=True,
            offer_converted=True,
            revenue=Decimal("25"),
            payout=Decimal("7.5"),
            data={"note": "vip"},
        )
        await f.lead(
            conn,
            demo,
            acme,
            "L5",
            created_at=t(12, 18),
            updated_at=t(13),
            offer_id="o-2",
            status="lost",
            email="eve@example.com",
            name="Eve Adams",
            remote_ip="10.0.0.5",
        )
        pks = {"acme": ("Company", acme), "bravo": ("Company", bravo), "ts1": ("Source", ts1)}
        return {name: encode_global_id(kind, pk) for name, (kind, pk) in pks.items()}

    return f.run_db(settings, work)


def leads(gql: Any, filter: dict[str, Any] | None, order: str | None = None) -> list[str]:
    variables: dict[str, Any] = {"filter": filter}
    if order:
        variables["order"] = order
    connection = gql(LEADS, variables)["leads"]
    found = [node["externalId"] for node in connection["nodes"]]
    assert connection["totalCount"] == len(found)
    return found


def test_no_filter_lists_the_accounts_leads_newest_first(gql: Any, ids: dict[str, str]) -> None:
    assert leads(gql, None) == EVERY


def test_companies_and_sources(gql: Any, ids: dict[str, str]) -> None:
    assert leads(gql, {"companies": [ids["bravo"]]}) == ["L4"]
    assert leads(gql, {"sources": [ids["ts1"]]}) == ["L2", "L1"]


def test_created_at_from_inclusive_to_exclusive(gql: Any, ids: dict[str, str]) -> None:
    window = {"from": "2026-03-05T00:00:00Z", "to": "2026-03-09T00:00:00Z"}
    assert leads(gql, {"createdAt": window}) == ["L2"]
    window = {"from": "2026-03-05T00:00:00Z", "to": "2026-03-12T18:00:00Z"}
    assert leads(gql, {"createdAt": window}) == ["L3", "L2"]
    assert leads(gql, {"createdAt": {"from": "2026-03-09T00:00:00Z"}}) == ["L5", "L3"]


def test_next_action_at(gql: Any, ids: dict[str, str]) -> None:
    window = {"from": "2026-03-18T00:00:00Z", "to": "2026-03-20T15:00:00Z"}
    assert leads(gql, {"nextActionAt": window}) == ["L2", "L4"]
    # Leads without a next action are outside every range.
    assert leads(gql, {"nextActionAt": {"from": "2026-01-01T00:00:00Z"}}) == ["L2", "L4", "L1"]


def test_search_is_trackdrive_fulltext(gql: Any, ids: dict[str, str]) -> None:
    assert leads(gql, {"search": "smith"}) == ["L1"]  # name
    assert leads(gql, {"search": "30301"}) == ["L3"]  # zip
    assert leads(gql, {"search": "aff-9"}) == ["L4"]  # sub id
    assert leads(gql, {"search": "10.0.0.5"}) == ["L5"]  # remote ip
    assert leads(gql, {"search": "EXAMPLE.COM"}) == ["L5", "L2", "L4", "L1"]  # email
    assert leads(gql, {"search": "7703334444"}) == ["L2"]  # caller as sent
    assert leads(gql, {"search": "contacted"}) == ["L2"]  # status


def test_id_lists_any_of(gql: Any, ids: dict[str, str]) -> None:
    assert leads(gql, {"offerIds": ["o-1"]}) == ["L3", "L1"]
    assert leads(gql, {"offerIds": ["o-2", "o-3"]}) == ["L5", "L2", "L4"]
    assert leads(gql, {"scheduleIds": ["sch-1"]}) == ["L2", "L1"]
    assert leads(gql, {"contactIds": ["ct-3", "ct-4"]}) == ["L3", "L4"]
    assert leads(gql, {"trafficSourceIds": ["ts-2"]}) == ["L4"]
    assert leads(gql, {"buyerIds": ["b-1"]}) == ["L4", "L1"]
    assert leads(gql, {"buyerIds": []}) == []


def test_statuses_and_status_wait(gql: Any, ids: dict[str, str]) -> None:
    assert leads(gql, {"statuses": ["new"]}) == ["L3", "L1"]
    assert leads(gql, {"statuses": ["sold", "lost"]}) == ["L5", "L4"]
    assert leads(gql, {"statusWait": ["wait_1h", "wait_1d"]}) == ["L3", "L1"]


@pytest.mark.parametrize("written", ["(770) 111-2222", "770-111-2222", "+17701112222"])
def test_caller_in_any_written_form(gql: Any, ids: dict[str, str], written: str) -> None:
    assert leads(gql, {"caller": written}) == ["L4", "L1"]


def test_email_is_a_case_insensitive_exact_match(gql: Any, ids: dict[str, str]) -> None:
    assert leads(gql, {"email": "ann@example.com"}) == ["L1"]
    assert leads(gql, {"email": " BOB@Example.com "}) == ["L2"]
    assert leads(gql, {"email": "example.com"}) == []


def test_flags(gql: Any, ids: dict[str, str]) -> None:
    assert leads(gql, {"hasNextAction": True}) == ["L2", "L4", "L1"]
    assert leads(gql, {"hasNextAction": False}) == ["L5", "L3"]
    assert leads(gql, {"buyerConverted": True}) == ["L4", "L1"]
    assert leads(gql, {"buyerConverted": False}) == ["L5", "L3", "L2"]
    assert leads(gql, {"offerConverted": True}) == ["L2", "L4"]
    assert leads(gql, {"eitherConverted": True}) == ["L2", "L4", "L1"]
    assert leads(gql, {"eitherConverted": False}) == ["L5", "L3"]
    assert leads(gql, {"optOut": True}) == ["L3"]
    assert leads(gql, {"optOut": False}) == ["L5", "L2", "L4", "L1"]


def test_fields_combine_with_and(gql: Any, ids: dict[str, str]) -> None:
    grid = {"companies": [ids["acme"]], "hasNextAction": True, "buyerConverted": False}
    assert leads(gql, grid) == ["L2"]
    assert leads(gql, {**grid, "offerIds": ["o-1"]}) == []
    converted = {"eitherConverted": True, "caller": "770-111-2222", "statuses": ["sold", "new"]}
    assert leads(gql, converted) == ["L4", "L1"]
    window = {"createdAt": {"from": "2026-03-01T00:00:00Z"}, "offerIds": ["o-1"], "optOut": False}
    assert leads(gql, window) == ["L1"]


def test_orderings(gql: Any, ids: dict[str, str]) -> None:
    assert leads(gql, None, "CREATED_AT_ASC") == ["L1", "L4", "L2", "L3", "L5"]
    assert leads(gql, None, "UPDATED_AT_DESC") == ["L1", "L5", "L3", "L2", "L4"]
    assert leads(gql, None, "UPDATED_AT_ASC") == ["L4", "L2", "L3", "L5", "L1"]
    # Leads without a next action sort last either way; ties break on id in the same direction.
    assert leads(gql, None, "NEXT_ACTION_AT_ASC") == ["L2", "L4", "L1", "L3", "L5"]
    assert leads(gql, None, "NEXT_ACTION_AT_DESC") == ["L1", "L4", "L2", "L5", "L3"]
    assert leads(gql, None, "REVENUE_DESC") == ["L4", "L1", "L3", "L5", "L2"]
    assert leads(gql, None, "REVENUE_ASC") == ["L2", "L5", "L3", "L1", "L4"]
    assert leads(gql, None, "PAYOUT_ASC") == ["L3", "L5", "L1", "L2", "L4"]
    assert leads(gql, None, "PAYOUT_DESC") == ["L4", "L2", "L1", "L5", "L3"]
    assert leads(gql, {"hasNextAction": True}, "NEXT_ACTION_AT_ASC") == ["L2", "L4", "L1"]


def test_nested_company_leads(gql: Any, ids: dict[str, str]) -> None:
    acme = gql(COMPANY_LEADS, {"id": ids["acme"], "filter": {"statuses": ["new", "sold"]}})
    assert [n["externalId"] for n in acme["node"]["leads"]["nodes"]] == ["L3", "L1"]
    assert acme["node"]["leads"]["totalCount"] == 2


def test_nested_leads_under_every_company_and_source(gql: Any, ids: dict[str, str]) -> None:
    query = """
    query($filter: LeadFilter) {
      companies { nodes { name leads(filter: $filter) { totalCount nodes { externalId } } } }
      sources { nodes { name leads(filter: $filter) { nodes { externalId } } } }
    }"""
    data = gql(query, {"filter": {"hasNextAction": True, "offerConverted": False}})
    by_company = {
        c["name"]: ([n["externalId"] for n in c["leads"]["nodes"]], c["leads"]["totalCount"])
        for c in data["companies"]["nodes"]
    }
    assert by_company == {"Acme": (["L1"], 1), "Bravo": ([], 0)}
    by_source = {
        s["name"]: [n["externalId"] for n in s["leads"]["nodes"]] for s in data["sources"]["nodes"]
    }
    assert by_source == {"ts-1": ["L1"], "ts-2": []}


BAD_FILTERS = [
    ({"companies": ["bad"]}, "filter.companies[0]"),
    ({"sources": [encode_global_id("Company", 1)]}, "filter.sources[0]"),
    ({"caller": "nobody"}, "filter.caller"),
    ({"createdAt": {"label": "LAST_WEEK", "to": "2026-03-01T00:00:00Z"}}, "filter.createdAt"),
    (
        {"createdAt": {"from": "2026-03-02T00:00:00Z", "to": "2026-03-01T00:00:00Z"}},
        "filter.createdAt",
    ),
    ({"createdAt": {"label": "TODAY", "timeZone": "Europe/Atlantis"}}, "filter.createdAt.timeZone"),
    (
        {"nextActionAt": {"label": "THIS_MONTH", "from": "2026-03-01T00:00:00Z"}},
        "filter.nextActionAt",
    ),
    (
        {"nextActionAt": {"from": "2026-04-01T00:00:00Z", "to": "2026-03-01T00:00:00Z"}},
        "filter.nextActionAt",
    ),
    ({"nextActionAt": {"timeZone": "GMT+5"}}, "filter.nextActionAt.timeZone"),
    ({"hasNextAction": "yes"}, "hasNextAction"),
]


@pytest.mark.parametrize(("filter", "field"), BAD_FILTERS)
def test_bad_values_are_bad_user_input_naming_the_field(
    gql_errors: Any, ids: dict[str, str], filter: dict[str, Any], field: str
) -> None:
    errors = gql_errors(LEADS, {"filter": filter})
    assert [e["extensions"]["code"] for e in errors] == ["BAD_USER_INPUT"]
    assert field in errors[0]["message"]


@pytest.mark.parametrize(("filter", "field"), BAD_FILTERS[:9])
def test_bad_values_under_a_company_are_bad_user_input(
    gql_errors: Any, ids: dict[str, str], filter: dict[str, Any], field: str
) -> None:
    errors = gql_errors(COMPANY_LEADS, {"id": ids["acme"], "filter": filter})
    assert {e["extensions"]["code"] for e in errors} == {"BAD_USER_INPUT"}
    assert field in errors[0]["message"]


def test_search_also_matches_the_values_of_the_leads_data(settings: Settings) -> None:
    """TrackDrive `fulltext` covers the lead's `data` values (not its keys), on both paths."""
    from starlette.testclient import TestClient

    from app.web.app import create_app

    async def work(conn: Any) -> str:
        demo = await f.account(conn, "demo")
        acme = await f.company(conn, demo, "Acme")
        data = {
            "D1": {"campaign": "Spring Promo", "score": 42, "tags": ["roof", "gutter"]},
            "D2": {"promo_code": "none", "note": "50%_off"},
            "D3": None,
        }
        for external_id, values in data.items():
            await f.lead(conn, demo, acme, external_id, data=values, name=f"Lead {external_id}")
        return await f.demo_key(conn)

    token = f.run_db(settings, work)
    for compiled in (True, False):
        app = create_app(settings.model_copy(update={"compiled_reads": compiled}))
        with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as client:

            def found(text: str, compiled: bool = compiled) -> list[str]:
                variables = {"filter": {"search": text}, "order": "CREATED_AT_DESC"}
                response = client.post("/graphql", json={"query": LEADS, "variables": variables})
                assert response.headers["x-read-path"] == ("compiled" if compiled else "general")
                body = response.json()
                assert "errors" not in body, body
                return sorted(node["externalId"] for node in body["data"]["leads"]["nodes"])

            assert found("spring promo") == ["D1"]  # a value, any case
            assert found("42") == ["D1"]  # a number's text
            assert found("gutter") == ["D1"]  # inside a list value
            assert found("promo") == ["D1"]  # D2 has it only in a key
            assert found("50%_") == ["D2"]  # LIKE wildcards are literal
            assert found("0%x") == []
            assert found("lead d3") == ["D3"]  # the text columns still count
