"""SourceFilter over HTTP: every field on a hand-built fixture, combined, nested and refused.

    name            company  tracking type   vendor         enabled  created
    Google Ads      Acme     SOURCE          CALLRAIL       yes      Jan 3
    Bing            Acme     SESSION         CALLRAIL       no       Jan 1
    Facebook        Acme     ATTRIBUTION     FONE_DYNAMICS  yes      Jan 2
    Google Organic  Bravo    TRAFFIC_SOURCE  TRACKDRIVE     yes      Jan 4
    Yelp            Bravo    SOURCE          CALLRAIL       no       Jan 5

Another account has a "Google Ads" source too. Names share their case so the expected order is
the same under any collation.
"""

from datetime import UTC, datetime
from typing import Any

import pytest

from app.core.ids import encode_global_id
from app.core.settings import Settings

import helpers.factories as f

SOURCES = """
query Sources($filter: SourceFilter, $order: SourceOrder! = NAME_ASC) {
  sources(first: 50, filter: $filter, orderBy: $order) { totalCount nodes { name } }
}"""

COMPANY_SOURCES = """
query CompanySources($id: ID!, $filter: SourceFilter, $order: SourceOrder! = NAME_ASC) {
  node(id: $id) {
    ... on Company { sources(filter: $filter, orderBy: $order) { totalCount nodes { name } } }
  }
}"""

EVERY = ["Bing", "Facebook", "Google Ads", "Google Organic", "Yelp"]


def day(n: int) -> datetime:
    return datetime(2026, 1, n, tzinfo=UTC)


@pytest.fixture
def ids(settings: Settings) -> dict[str, str]:
    async def work(conn: Any) -> dict[str, str]:
        other = await f.account(conn, "other")
        await f.source(conn, other, await f.company(conn, other, "Other Co"), "Google Ads")
        demo = await f.account(conn, "demo")
        acme = await f.company(conn, demo, "Acme")
        bravo = await f.company(conn, demo, "Bravo")
        await f.source(conn, demo, acme, "Google Ads", created_at=day(3))
        await f.source(
            conn,
            demo,
            acme,
            "Bing",
            tracking_type="SESSION",
            created_at=day(1),
            disabled_at=day(10),
        )
        await f.source(
            conn,
            demo,
            acme,
            "Facebook",
            vendor="FONE_DYNAMICS",
            tracking_type="ATTRIBUTION",
            created_at=day(2),
        )
        await f.source(
            conn,
            demo,
            bravo,
            "Google Organic",
            vendor="TRACKDRIVE",
            tracking_type="TRAFFIC_SOURCE",
            created_at=day(4),
        )
        await f.source(conn, demo, bravo, "Yelp", created_at=day(5), disabled_at=day(6))
        return {
            "acme": encode_global_id("Company", acme),
            "bravo": encode_global_id("Company", bravo),
        }

    return f.run_db(settings, work)


def names(gql: Any, filter: dict[str, Any] | None, order: str | None = None) -> list[str]:
    variables: dict[str, Any] = {"filter": filter}
    if order:
        variables["order"] = order
    connection = gql(SOURCES, variables)["sources"]
    found = [node["name"] for node in connection["nodes"]]
    assert connection["totalCount"] == len(found)
    return found


def test_no_filter_lists_the_accounts_sources_by_name(gql: Any, ids: dict[str, str]) -> None:
    assert names(gql, None) == EVERY


def test_companies(gql: Any, ids: dict[str, str]) -> None:
    assert names(gql, {"companies": [ids["bravo"]]}) == ["Google Organic", "Yelp"]
    assert names(gql, {"companies": [ids["acme"], ids["bravo"]]}) == EVERY


def test_tracking_types_any_of(gql: Any, ids: dict[str, str]) -> None:
    assert names(gql, {"trackingTypes": ["SOURCE"]}) == ["Google Ads", "Yelp"]
    assert names(gql, {"trackingTypes": ["SESSION", "ATTRIBUTION"]}) == ["Bing", "Facebook"]


def test_enabled(gql: Any, ids: dict[str, str]) -> None:
    assert names(gql, {"enabled": True}) == ["Facebook", "Google Ads", "Google Organic"]
    assert names(gql, {"enabled": False}) == ["Bing", "Yelp"]


def test_vendors(gql: Any, ids: dict[str, str]) -> None:
    assert names(gql, {"vendors": ["TRACKDRIVE", "FONE_DYNAMICS"]}) == [
        "Facebook",
        "Google Organic",
    ]


def test_search_is_case_insensitive_text_in_the_name(gql: Any, ids: dict[str, str]) -> None:
    assert names(gql, {"search": "google"}) == ["Google Ads", "Google Organic"]
    assert names(gql, {"search": "ORGANIC"}) == ["Google Organic"]
    assert names(gql, {"search": "e ad"}) == ["Google Ads"]
    assert names(gql, {"search": "%"}) == []


def test_fields_combine_with_and(gql: Any, ids: dict[str, str]) -> None:
    assert names(gql, {"companies": [ids["acme"]], "enabled": True}) == ["Facebook", "Google Ads"]
    assert names(gql, {"search": "google", "enabled": True, "trackingTypes": ["SOURCE"]}) == [
        "Google Ads"
    ]
    assert names(gql, {"companies": [ids["bravo"]], "trackingTypes": ["SESSION"]}) == []


def test_orderings(gql: Any, ids: dict[str, str]) -> None:
    assert names(gql, None, "NAME_DESC") == list(reversed(EVERY))
    assert names(gql, None, "CREATED_AT_ASC") == [
        "Bing",
        "Facebook",
        "Google Ads",
        "Google Organic",
        "Yelp",
    ]
    assert names(gql, {"enabled": True}, "CREATED_AT_DESC") == [
        "Google Organic",
        "Google Ads",
        "Facebook",
    ]


def test_nested_company_sources(gql: Any, ids: dict[str, str]) -> None:
    acme = gql(COMPANY_SOURCES, {"id": ids["acme"], "filter": {"enabled": True}})
    assert [n["name"] for n in acme["node"]["sources"]["nodes"]] == ["Facebook", "Google Ads"]
    assert acme["node"]["sources"]["totalCount"] == 2
    bravo = gql(
        COMPANY_SOURCES, {"id": ids["bravo"], "filter": {"search": "o"}, "order": "NAME_DESC"}
    )
    assert [n["name"] for n in bravo["node"]["sources"]["nodes"]] == ["Google Organic"]


def test_nested_sources_under_every_company(gql: Any, ids: dict[str, str]) -> None:
    query = """
    query($filter: SourceFilter) {
      companies { nodes { name sources(filter: $filter) { totalCount nodes { name } } } }
    }"""
    companies = gql(query, {"filter": {"trackingTypes": ["SOURCE", "TRAFFIC_SOURCE"]}})
    found = {
        c["name"]: [n["name"] for n in c["sources"]["nodes"]]
        for c in companies["companies"]["nodes"]
    }
    assert found == {"Acme": ["Google Ads"], "Bravo": ["Google Organic", "Yelp"]}


@pytest.mark.parametrize(
    ("filter", "field"),
    [
        ({"companies": ["nope"]}, "filter.companies[0]"),
        ({"companies": [encode_global_id("Call", 3)]}, "filter.companies[0]"),
        ({"trackingTypes": ["WEBSITE"]}, "trackingTypes"),
        ({"enabled": "sometimes"}, "enabled"),
        ({"vendors": ["RINGBA"]}, "vendors"),
    ],
)
def test_bad_values_are_bad_user_input_naming_the_field(
    gql_errors: Any, ids: dict[str, str], filter: dict[str, Any], field: str
) -> None:
    errors = gql_errors(SOURCES, {"filter": filter})
    assert [e["extensions"]["code"] for e in errors] == ["BAD_USER_INPUT"]
    assert field in errors[0]["message"]
