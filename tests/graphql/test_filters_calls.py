"""CallFilter over HTTP: every field on a hand-built fixture, combined, nested and refused.

The fixture (times UTC, all in March 2026; `first` is is_first_call):

    id  company  number  source        caller   started       dur  disposition  first  prompt
    c1  Acme     N1      acme-google   C1       02 10:00      30   ANSWERED     yes    1
    c2  Acme     N1      acme-google   C1       05 00:00      120  NO_ANSWER    no     1,2
    c3  Acme     N2      acme-bing     C2       09 15:00      0    BUSY         yes    2
    c4  Acme     N2      -             anon     10 00:00      45   FAILED       yes*   1,3
    c5  Bravo    N3      bravo-google  C3       03 08:00      300  ANSWERED     yes    12
    c6  Bravo    N3      -             C1       06 12:00      60   NO_ANSWER    yes    2,1
    c7  Acme     N1      acme-google   C2       12 18:00      600  ANSWERED     no     -

    (*) the vendor flagged the anonymous call unique; anonymous callers still match only ALL.
    Another account holds o1, which matches everything but must never show.
"""

from datetime import UTC, datetime
from typing import Any

import pytest

from app.core.ids import encode_global_id
from app.core.settings import Settings

import helpers.factories as f

CALLS = """
query Calls($filter: CallFilter, $order: CallOrder! = STARTED_AT_DESC) {
  calls(first: 50, filter: $filter, orderBy: $order) { totalCount nodes { externalId } }
}"""

COMPANY_CALLS = """
query CompanyCalls($id: ID!, $filter: CallFilter) {
  node(id: $id) {
    ... on Company { calls(first: 50, filter: $filter) { totalCount nodes { externalId } } }
  }
}"""

EVERY_COMPANY_CALLS = """
query EveryCompanysCalls($filter: CallFilter) {
  companies(first: 10) {
    nodes { name calls(first: 50, filter: $filter) { totalCount nodes { externalId } } }
  }
}"""


def t(day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def ids(settings: Settings) -> dict[str, str]:
    """Seed the fixture above; return global IDs by short name."""

    async def work(conn: Any) -> dict[str, str]:
        other = await f.account(conn, "other")
        other_company = await f.company(conn, other, "Other Co")
        await f.call(
            conn,
            other,
            other_company,
            "o1",
            started_at=t(5),
            disposition="BUSY",
            attribution_source="google",
            attribution_medium="cpc",
            prompt_keys="1",
            dialled_e164="+17705550100",
            is_first_call=True,
            notes="pricing",
        )

        demo = await f.account(conn, "demo")
        acme = await f.company(
            conn, demo, "Acme", time_zone="America/New_York", default_region="US"
        )
        bravo = await f.company(
            conn, demo, "Bravo", time_zone="Australia/Sydney", default_region="AU"
        )
        google = await f.source(conn, demo, acme, "acme-google")
        bing = await f.source(conn, demo, acme, "acme-bing")
        bravo_google = await f.source(conn, demo, bravo, "bravo-google")
        n1 = await f.number(conn, demo, acme, "+17705550100", source_id=google)
        n2 = await f.number(conn, demo, acme, "+17705550101", source_id=bing)
        n3 = await f.number(conn, demo, bravo, "+61291234567", source_id=bravo_google)
        c1 = await f.caller(conn, demo, "+17701112222")
        c2 = await f.caller(conn, demo, "+17703334444")
        c3 = await f.caller(conn, demo, "+61412345678")
        acme_call = {"vendor": "FONE_DYNAMICS"}
        await f.call(
            conn,
            demo,
            acme,
            "c1",
            **acme_call,
            number_id=n1,
            source_id=google,
            caller_id=c1,
            caller_raw="+17701112222",
            started_at=t(2, 10),
            duration_seconds=30,
            disposition="ANSWERED",
            is_first_call=True,
            dialled_e164="+17705550100",
            endpoint_e164="+17709990000",
            attribution_source="google",
            attribution_medium="cpc",
            attribution_campaign="spring",
            attribution_content="ad1",
            prompt_keys="1",
            recording_url="https://rec.example/c1.mp3",
            traffic_type="CAMPAIGN",
            notes="Asked about PRICING",
            caller_city="Atlanta",
            keywords="plumber atlanta",
            call_type="sales",
        )
        await f.call(
            conn,
            demo,
            acme,
            "c2",
            **acme_call,
            number_id=n1,
            source_id=google,
            caller_id=c1,
            caller_raw="(770) 111-2222",
            started_at=t(5),
            duration_seconds=120,
            disposition="NO_ANSWER",
            is_first_call=False,
            dialled_e164="+17705550100",
            attribution_source="google",
            attribution_medium="cpc",
            attribution_campaign="summer",
            prompt_keys="1,2",
            traffic_type="CAMPAIGN",
            caller_city="Marietta",
        )
        await f.call(
            conn,
            demo,
            acme,
            "c3",
            vendor="CALLRAIL",
            number_id=n2,
            source_id=bing,
            caller_id=c2,
            caller_raw="+17703334444",
            started_at=t(9, 15),
            duration_seconds=0,
            disposition="BUSY",
            is_first_call=True,
            dialled_e164="+17705550101",
            endpoint_e164="+17709990001",
            attribution_source="bing",
            attribution_medium="cpc",
            prompt_keys="2",
            traffic_type="ORGANIC",
            keywords="emergency plumber",
        )
        await f.call(
            conn,
            demo,
            acme,
            "c4",
            **acme_call,
            number_id=n2,
            caller_id=None,
            caller_raw="anonymous",
            started_at=t(10),
            duration_seconds=45,
            disposition="FAILED",
            is_first_call=True,
            dialled_e164="+17705550101",
            attribution_source="google",
            attribution_medium="organic",
            prompt_keys="1,3",
            traffic_type="DIRECT",
            notes="voicemail left",
            call_type="support",
        )
        await f.call(
            conn,
            demo,
            bravo,
            "c5",
            vendor="BUTTER",
            number_id=n3,
            source_id=bravo_google,
            caller_id=c3,
            caller_raw="+61412345678",
            started_at=t(3, 8),
            duration_seconds=300,
            disposition="ANSWERED",
            is_first_call=True,
            dialled_e164="+61291234567",
            attribution_source="google",
            attribution_medium="cpc",
            prompt_keys="12",
            caller_city="Sydney",
            recording_url="https://rec.example/c5.mp3",
        )
        await f.call(
            conn,
            demo,
            bravo,
            "c6",
            **acme_call,
            number_id=n3,
            caller_id=c1,
            caller_raw="+17701112222",
            started_at=t(6, 12),
            duration_seconds=60,
            disposition="NO_ANSWER",
            is_first_call=True,
            dialled_e164="+61291234567",
            prompt_keys="2,1",
            recording_url="https://rec.example/c6.mp3",
            traffic_type="REFERRAL",
        )
        await f.call(
            conn,
            demo,
            acme,
            "c7",
            **acme_call,
            number_id=n1,
            source_id=google,
            caller_id=c2,
            caller_raw="+17703334444",
            started_at=t(12, 18),
            duration_seconds=600,
            disposition="ANSWERED",
            is_first_call=False,
            dialled_e164="+17705550100",
            endpoint_e164="+17709990000",
            attribution_source="facebook",
            attribution_medium="social",
            traffic_type="REFERRAL",
            notes="wants a quote",
        )
        pks = {
            "acme": ("Company", acme),
            "bravo": ("Company", bravo),
            "google": ("Source", google),
            "bing": ("Source", bing),
            "n1": ("Number", n1),
            "n2": ("Number", n2),
            "other_company": ("Company", other_company),
        }
        return {name: encode_global_id(kind, pk) for name, (kind, pk) in pks.items()}

    return f.run_db(settings, work)


def external_ids(gql: Any, filter: dict[str, Any] | None, order: str | None = None) -> list[str]:
    variables: dict[str, Any] = {"filter": filter}
    if order:
        variables["order"] = order
    connection = gql(CALLS, variables)["calls"]
    found = [node["externalId"] for node in connection["nodes"]]
    assert connection["totalCount"] == len(found)
    return found


def test_no_filter_lists_the_accounts_calls_newest_first(gql: Any, ids: dict[str, str]) -> None:
    assert external_ids(gql, None) == ["c7", "c4", "c3", "c6", "c2", "c5", "c1"]


def test_empty_filter_is_no_filter(gql: Any, ids: dict[str, str]) -> None:
    assert external_ids(gql, {}) == ["c7", "c4", "c3", "c6", "c2", "c5", "c1"]


def test_companies(gql: Any, ids: dict[str, str]) -> None:
    assert external_ids(gql, {"companies": [ids["bravo"]]}) == ["c6", "c5"]
    assert external_ids(gql, {"companies": [ids["acme"], ids["bravo"]]}) == [
        "c7",
        "c4",
        "c3",
        "c6",
        "c2",
        "c5",
        "c1",
    ]
    # Another account's company exists but is not visible: no calls, not its calls.
    assert external_ids(gql, {"companies": [ids["other_company"]]}) == []


def test_sources_and_numbers(gql: Any, ids: dict[str, str]) -> None:
    assert external_ids(gql, {"sources": [ids["google"]]}) == ["c7", "c2", "c1"]
    assert external_ids(gql, {"sources": [ids["bing"]]}) == ["c3"]
    assert external_ids(gql, {"numbers": [ids["n2"]]}) == ["c4", "c3"]
    assert external_ids(gql, {"numbers": [ids["n1"], ids["n2"]]}) == ["c7", "c4", "c3", "c2", "c1"]


@pytest.mark.parametrize(
    "written", ["(770) 111-2222", "770-111-2222", "+17701112222", "1 770 111 2222"]
)
def test_caller_in_any_written_form(gql: Any, ids: dict[str, str], written: str) -> None:
    assert external_ids(gql, {"caller": written}) == ["c6", "c2", "c1"]


def test_caller_with_no_calls(gql: Any, ids: dict[str, str]) -> None:
    assert external_ids(gql, {"caller": "+17709999999"}) == []


def test_started_at_from_inclusive_to_exclusive(gql: Any, ids: dict[str, str]) -> None:
    # c2 starts exactly at `from` (kept); c4 exactly at `to` (dropped).
    window = {"from": "2026-03-05T00:00:00Z", "to": "2026-03-10T00:00:00Z"}
    assert external_ids(gql, {"startedAt": window}) == ["c3", "c6", "c2"]
    assert external_ids(gql, {"startedAt": {"from": "2026-03-10T00:00:00Z"}}) == ["c7", "c4"]
    assert external_ids(gql, {"startedAt": {"to": "2026-03-03T08:00:00Z"}}) == ["c1"]


def test_started_at_bounds_with_offsets_and_time_zone(gql: Any, ids: dict[str, str]) -> None:
    # 2026-03-05T00:00 in New York (EST, -05:00) is 05:00Z: c2 (00:00Z) is before it.
    window = {
        "from": "2026-03-05T00:00:00",
        "to": "2026-03-10T00:00:00",
        "timeZone": "America/New_York",
    }
    assert external_ids(gql, {"startedAt": window}) == ["c4", "c3", "c6"]
    offset = {"from": "2026-03-04T19:00:00-05:00", "to": "2026-03-05T00:00:01+00:00"}
    assert external_ids(gql, {"startedAt": offset}) == ["c2"]


def test_dispositions_any_of(gql: Any, ids: dict[str, str]) -> None:
    missed = {"dispositions": ["BUSY", "NO_ANSWER", "FAILED"]}
    assert external_ids(gql, missed) == ["c4", "c3", "c6", "c2"]
    assert external_ids(gql, {"dispositions": ["IVR"]}) == []


@pytest.mark.parametrize(
    "written", ["(770) 555-0101", "770-555-0101", "+17705550101", "770.555.0101"]
)
def test_dialled_in_any_written_form(gql: Any, ids: dict[str, str], written: str) -> None:
    assert external_ids(gql, {"dialled": [written]}) == ["c4", "c3"]


def test_dialled_any_of_across_countries(gql: Any, ids: dict[str, str]) -> None:
    dialled = {"dialled": ["+61 2 9123 4567", "(770) 555-0100"]}
    assert external_ids(gql, dialled) == ["c7", "c6", "c2", "c5", "c1"]


def test_endpoints(gql: Any, ids: dict[str, str]) -> None:
    assert external_ids(gql, {"endpoints": ["770-999-0000"]}) == ["c7", "c1"]
    assert external_ids(gql, {"endpoints": ["(770) 999-0001", "+17709990000"]}) == [
        "c7",
        "c3",
        "c1",
    ]


def test_attribution(gql: Any, ids: dict[str, str]) -> None:
    google_cpc = {"sources": ["google"], "mediums": ["cpc"]}
    assert external_ids(gql, {"attribution": google_cpc}) == ["c2", "c5", "c1"]
    assert external_ids(gql, {"attribution": {"sources": ["google", "bing"]}}) == [
        "c4",
        "c3",
        "c2",
        "c5",
        "c1",
    ]
    assert external_ids(gql, {"attribution": {"campaigns": ["spring", "summer"]}}) == ["c2", "c1"]
    assert external_ids(gql, {"attribution": {"contents": ["ad1"]}}) == ["c1"]
    assert external_ids(gql, {"attribution": {"mediums": ["social"]}}) == ["c7"]


def test_prompt_keys_match_by_path_prefix(gql: Any, ids: dict[str, str]) -> None:
    # [["1"]] matches 1, 1,2 and 1,3 but not 12 (a different key) nor 2,1.
    assert external_ids(gql, {"promptKeys": [["1"]]}) == ["c4", "c2", "c1"]
    assert external_ids(gql, {"promptKeys": [["1", "2"]]}) == ["c2"]
    assert external_ids(gql, {"promptKeys": [["1", "2"], ["2"]]}) == ["c3", "c6", "c2"]
    assert external_ids(gql, {"promptKeys": [["12"]]}) == ["c5"]
    assert external_ids(gql, {"promptKeys": [["1", "2", "3"]]}) == []


def test_prompt_keys_empty_list_matches_nothing(gql: Any, ids: dict[str, str]) -> None:
    assert external_ids(gql, {"promptKeys": []}) == []


def test_caller_type(gql: Any, ids: dict[str, str]) -> None:
    # c6 is C1's first call to Bravo, though C1 called Acme before: "first" is per company.
    assert external_ids(gql, {"callerType": "UNIQUE"}) == ["c3", "c6", "c5", "c1"]
    assert external_ids(gql, {"callerType": "REPEAT"}) == ["c7", "c2"]
    assert external_ids(gql, {"callerType": "ALL"}) == ["c7", "c4", "c3", "c6", "c2", "c5", "c1"]


def test_external_ids(gql: Any, ids: dict[str, str]) -> None:
    assert external_ids(gql, {"externalIds": ["c3", "c5", "o1", "nope"]}) == ["c3", "c5"]


def test_duration(gql: Any, ids: dict[str, str]) -> None:
    assert external_ids(gql, {"duration": {"min": 45, "max": 120}}) == ["c4", "c6", "c2"]
    assert external_ids(gql, {"duration": {"min": 300}}) == ["c7", "c5"]
    assert external_ids(gql, {"duration": {"max": 0}}) == ["c3"]
    assert external_ids(gql, {"duration": {"min": 60, "max": 60}}) == ["c6"]


def test_has_recording(gql: Any, ids: dict[str, str]) -> None:
    assert external_ids(gql, {"hasRecording": True}) == ["c6", "c5", "c1"]
    assert external_ids(gql, {"hasRecording": False}) == ["c7", "c4", "c3", "c2"]


def test_traffic_types_and_vendors(gql: Any, ids: dict[str, str]) -> None:
    assert external_ids(gql, {"trafficTypes": ["REFERRAL", "DIRECT"]}) == ["c7", "c4", "c6"]
    assert external_ids(gql, {"vendors": ["CALLRAIL", "BUTTER"]}) == ["c3", "c5"]


def test_search_reads_notes_caller_city_keywords_and_call_type(
    gql: Any, ids: dict[str, str]
) -> None:
    assert external_ids(gql, {"search": "pricing"}) == ["c1"]  # notes, any case
    assert external_ids(gql, {"search": "MARIETTA"}) == ["c2"]  # caller city
    assert external_ids(gql, {"search": "plumber"}) == ["c3", "c1"]  # keywords
    assert external_ids(gql, {"search": "support"}) == ["c4"]  # call type
    assert external_ids(gql, {"search": "111-2222"}) == ["c2"]  # caller as the vendor sent it
    assert external_ids(gql, {"search": "  "}) == ["c7", "c4", "c3", "c6", "c2", "c5", "c1"]


def test_search_treats_wildcards_literally(gql: Any, ids: dict[str, str]) -> None:
    assert external_ids(gql, {"search": "%"}) == []
    assert external_ids(gql, {"search": "_"}) == []


def test_fields_combine_with_and(gql: Any, ids: dict[str, str]) -> None:
    dashboard = {
        "companies": [ids["acme"]],
        "dispositions": ["BUSY", "NO_ANSWER", "FAILED"],
        "attribution": {"sources": ["google"], "mediums": ["cpc"]},
        "startedAt": {"from": "2026-03-01T00:00:00Z", "to": "2026-04-01T00:00:00Z"},
    }
    assert external_ids(gql, dashboard) == ["c2"]
    assert external_ids(gql, {**dashboard, "callerType": "UNIQUE"}) == []
    wide = {"caller": "770-111-2222", "hasRecording": True, "promptKeys": [["2"]]}
    assert external_ids(gql, wide) == ["c6"]
    assert external_ids(
        gql, {"numbers": [ids["n1"]], "duration": {"min": 100}, "search": "quote"}
    ) == ["c7"]


def test_orderings_keep_the_filter(gql: Any, ids: dict[str, str]) -> None:
    acme = {"companies": [ids["acme"]]}
    assert external_ids(gql, acme, "STARTED_AT_ASC") == ["c1", "c2", "c3", "c4", "c7"]
    assert external_ids(gql, acme, "DURATION_DESC") == ["c7", "c2", "c4", "c1", "c3"]
    assert external_ids(gql, acme, "DURATION_ASC") == ["c3", "c1", "c4", "c2", "c7"]


def test_nested_company_calls_take_the_same_filter(gql: Any, ids: dict[str, str]) -> None:
    filter = {"dispositions": ["NO_ANSWER", "BUSY"], "caller": "+1 (770) 111-2222"}
    acme = gql(COMPANY_CALLS, {"id": ids["acme"], "filter": filter})["node"]["calls"]
    assert [n["externalId"] for n in acme["nodes"]] == ["c2"]
    assert acme["totalCount"] == 1
    bravo = gql(COMPANY_CALLS, {"id": ids["bravo"], "filter": filter})["node"]["calls"]
    assert [n["externalId"] for n in bravo["nodes"]] == ["c6"]
    assert bravo["totalCount"] == 1


def test_nested_calls_under_every_company(gql: Any, ids: dict[str, str]) -> None:
    filter = {"attribution": {"sources": ["google"]}, "promptKeys": [["1"], ["12"]]}
    companies = gql(EVERY_COMPANY_CALLS, {"filter": filter})["companies"]["nodes"]
    found = {
        c["name"]: ([n["externalId"] for n in c["calls"]["nodes"]], c["calls"]["totalCount"])
        for c in companies
    }
    assert found == {"Acme": (["c4", "c2", "c1"], 3), "Bravo": (["c5"], 1)}


def test_national_forms_are_read_in_the_companys_region(gql: Any, ids: dict[str, str]) -> None:
    # Bravo's region is AU: "0412 345 678" is +61412345678 there, and "(770) 111-2222" is not
    # the US caller C1 (who did call Bravo: c6).
    bravo = gql(COMPANY_CALLS, {"id": ids["bravo"], "filter": {"caller": "0412 345 678"}})["node"][
        "calls"
    ]
    assert [n["externalId"] for n in bravo["nodes"]] == ["c5"]
    bravo = gql(COMPANY_CALLS, {"id": ids["bravo"], "filter": {"dialled": ["(02) 9123 4567"]}})[
        "node"
    ]["calls"]
    assert [n["externalId"] for n in bravo["nodes"]] == ["c6", "c5"]
    # A root filter naming one company reads in that company's region too.
    root = {"companies": [ids["bravo"]], "caller": "0412 345 678"}
    assert external_ids(gql, root) == ["c5"]


def test_keyset_pages_under_a_filter(gql: Any, ids: dict[str, str]) -> None:
    query = """
    query($filter: CallFilter, $after: String) {
      calls(first: 2, after: $after, filter: $filter, orderBy: DURATION_ASC) {
        pageInfo { hasNextPage endCursor } nodes { externalId }
      }
    }"""
    filter = {"companies": [ids["acme"]], "dispositions": ["ANSWERED", "FAILED", "NO_ANSWER"]}
    seen, after = [], None
    for _ in range(3):
        page = gql(query, {"filter": filter, "after": after})["calls"]
        seen.append([n["externalId"] for n in page["nodes"]])
        after = page["pageInfo"]["endCursor"]
        if not page["pageInfo"]["hasNextPage"]:
            break
    assert seen == [["c1", "c4"], ["c2", "c7"]]


BAD_FILTERS = [
    ({"companies": ["not-an-id"]}, "filter.companies[0]"),
    ({"companies": [encode_global_id("Number", 1)]}, "filter.companies[0]"),
    ({"sources": [encode_global_id("Company", 1)]}, "filter.sources[0]"),
    ({"numbers": ["%%%"]}, "filter.numbers[0]"),
    ({"caller": "call me"}, "filter.caller"),
    ({"caller": "anonymous"}, "filter.caller"),
    ({"dialled": ["+17705550100", "12"]}, "filter.dialled[1]"),
    ({"endpoints": ["abc"]}, "filter.endpoints[0]"),
    ({"duration": {"min": 10, "max": 5}}, "filter.duration"),
    ({"promptKeys": [["1"], []]}, "filter.promptKeys[1]"),
    ({"promptKeys": [["1,2"]]}, "filter.promptKeys[0]"),
    ({"promptKeys": [[" "]]}, "filter.promptKeys[0]"),
    ({"startedAt": {"label": "TODAY", "from": "2026-03-01T00:00:00Z"}}, "filter.startedAt"),
    (
        {"startedAt": {"from": "2026-03-02T00:00:00Z", "to": "2026-03-01T00:00:00Z"}},
        "filter.startedAt",
    ),
    (
        {"startedAt": {"label": "TODAY", "timeZone": "Mars/Olympus_Mons"}},
        "filter.startedAt.timeZone",
    ),
    ({"startedAt": {"label": "TODAY", "timeZone": ""}}, "filter.startedAt.timeZone"),
    (
        {"startedAt": {"label": "TODAY", "timeZone": "../../etc/passwd"}},
        "filter.startedAt.timeZone",
    ),
    ({"startedAt": {"from": "yesterday"}}, "from"),
    ({"dispositions": ["MISSED"]}, "dispositions"),
    ({"callerType": "FIRST"}, "callerType"),
    ({"duration": {"min": "long"}}, "min"),
]


@pytest.mark.parametrize(("filter", "field"), BAD_FILTERS)
def test_bad_values_are_bad_user_input_naming_the_field(
    gql_errors: Any, ids: dict[str, str], filter: dict[str, Any], field: str
) -> None:
    errors = gql_errors(CALLS, {"filter": filter})
    assert [e["extensions"]["code"] for e in errors] == ["BAD_USER_INPUT"]
    assert field in errors[0]["message"]


@pytest.mark.parametrize(("filter", "field"), BAD_FILTERS[:18])
def test_bad_values_under_a_company_are_bad_user_input(
    gql_errors: Any, ids: dict[str, str], filter: dict[str, Any], field: str
) -> None:
    errors = gql_errors(COMPANY_CALLS, {"id": ids["acme"], "filter": filter})
    assert {e["extensions"]["code"] for e in errors} == {"BAD_USER_INPUT"}
    assert field in errors[0]["message"]


def test_a_label_with_custom_range_takes_from_and_to(gql: Any, ids: dict[str, str]) -> None:
    window = {"label": "CUSTOM_RANGE", "from": "2026-03-09T00:00:00Z", "to": "2026-03-10T00:00:01Z"}
    assert external_ids(gql, {"startedAt": window}) == ["c4", "c3"]


@pytest.mark.parametrize(
    ("literal", "where"),
    [
        # Validation messages (graphql-core's) do not repeat the field name: they point at the
        # value's column in the document, or quote the value when the scalar gives no location.
        ('{ startedAt: { from: "yesterday" } }', '"yesterday"'),
        ("{ dispositions: [MISSED] }", 34),
        ('{ startedAt: { label: "TODAY" } }', 39),
        ("{ caller: 7701112222 }", 27),
        ('{ duration: { min: "long" } }', 36),
    ],
)
def test_bad_literals_are_bad_user_input_pointing_at_the_value(
    gql_errors: Any, ids: dict[str, str], literal: str, where: int | str
) -> None:
    errors = gql_errors(f"{{ calls(filter: {literal}) {{ nodes {{ id }} }} }}")
    assert [e["extensions"]["code"] for e in errors] == ["BAD_USER_INPUT"]
    if isinstance(where, int):
        assert errors[0]["locations"] == [{"line": 1, "column": where}]
    else:
        assert where in errors[0]["message"]


def test_a_caller_that_is_not_a_string_is_bad_user_input(
    gql_errors: Any, ids: dict[str, str]
) -> None:
    errors = gql_errors(CALLS, {"filter": {"caller": 7701112222}})
    assert [e["extensions"]["code"] for e in errors] == ["BAD_USER_INPUT"]
    assert "caller" in errors[0]["message"]
