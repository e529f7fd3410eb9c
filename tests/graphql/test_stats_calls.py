"""callStats over HTTP on both databases, against numbers computed in plain Python from the
fixture (stats_dataset.py) or by paging `calls`: every dimension and interval, the DST days of
Sydney and New York, empty buckets, anonymous callers, root and nested, errors and scopes."""

from collections.abc import Iterator
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

import pytest
from starlette.testclient import TestClient

from app.core.settings import Settings
from app.web.app import create_app

import helpers.factories as f
import helpers.stats_dataset as sd
from helpers.graphql_client import Gql, post

FROZEN = sd.utc("2026-05-10T00:00")  # Sydney's LAST_MONTH is April 2026 (DST ends on the 5th)
METRICS = (
    "calls answered missed ivr firstTimeCallers repeatCalls anonymous totalDurationSeconds "
    "averageDurationSeconds answerRate distinctCallers"
)
STATS = """
query Stats($filter: CallFilter, $groupBy: [CallDimension!], $interval: StatsInterval,
            $orderBy: CallStatsOrder, $first: Int) {
  callStats(filter: $filter, groupBy: $groupBy, interval: $interval, orderBy: $orderBy, first: $first) {
    timeZone interval
    totals { %(m)s }
    rows {
      bucket { start from to }
      company { id name } source { id } number { id }
      disposition callerType trafficType attributionSource attributionMedium attributionCampaign
      attributionContent keywords landingPage callerCountry callerRegion callerCity hourOfDay dayOfWeek
      metrics { %(m)s }
    }
  }
}""" % {"m": METRICS}


@pytest.fixture
def client(client: TestClient) -> Iterator[TestClient]:
    client.app.state.clock = lambda: FROZEN  # type: ignore[attr-defined]
    yield client


@pytest.fixture
def data(settings: Settings, client: TestClient) -> sd.Dataset:
    return f.run_db(settings, sd.seed)


def stats(gql: Gql, **variables: Any) -> dict[str, Any]:
    return gql(STATS, variables)["callStats"]  # type: ignore[no-any-return]


def in_range(
    rows: list[dict[str, Any]], company: str, start: datetime, end: datetime
) -> list[dict[str, Any]]:
    return [r for r in rows if r["company"] == company and start <= r["started_at"] < end]


def local_range(zone: str, start: str, end: str) -> dict[str, Any]:
    return {"from": start, "to": end, "timeZone": zone}


def check_buckets(
    result: dict[str, Any], calls: list[dict[str, Any]], zone: str, interval: str
) -> None:
    """Buckets are end to end, each holding exactly the calls of its local period."""
    rows = result["rows"]
    for before, after in pairwise(rows):
        assert before["bucket"]["to"] == after["bucket"]["from"]
    by_period = sd.grouped(calls, lambda r: sd.period(r["started_at"], zone, interval))
    seen = set()
    for row in rows:
        period = sd.bucket_period(row["bucket"], interval)
        seen.add(period)
        assert row["metrics"] == sd.call_metrics(by_period.get(period, [])), row["bucket"]
    assert set(by_period) <= seen


def test_daily_sydney_last_month(gql: Gql, data: sd.Dataset) -> None:
    result = stats(
        gql,
        filter={"companies": [data.ids["bravo"]], "startedAt": {"label": "LAST_MONTH"}},
        interval="DAY",
    )
    april = in_range(data.calls, "bravo", sd.utc("2026-03-31T13:00"), sd.utc("2026-04-30T14:00"))
    assert result["timeZone"] == sd.SYDNEY and result["interval"] == "DAY"
    assert result["totals"] == sd.call_metrics(april)
    assert len(result["rows"]) == 30
    assert result["rows"][0]["bucket"] == {
        "start": "2026-04-01T00:00:00+11:00",
        "from": "2026-03-31T13:00:00+00:00",
        "to": "2026-04-01T13:00:00+00:00",
    }
    dst = result["rows"][4]["bucket"]  # Sunday 5 April: 25 hours
    assert dst == {
        "start": "2026-04-05T00:00:00+11:00",
        "from": "2026-04-04T13:00:00+00:00",
        "to": "2026-04-05T14:00:00+00:00",
    }
    assert result["rows"][5]["bucket"]["start"] == "2026-04-06T00:00:00+10:00"
    assert any(
        r["metrics"]["calls"] == 0 and r["metrics"]["answerRate"] is None for r in result["rows"]
    )
    assert (
        sum(r["metrics"]["anonymous"] for r in result["rows"]) == result["totals"]["anonymous"] > 0
    )
    check_buckets(result, april, sd.SYDNEY, "DAY")


@pytest.mark.parametrize(
    ("company", "zone", "start", "end", "interval", "count"),
    [
        ("bravo", sd.SYDNEY, "2026-04-05T00:00:00", "2026-04-06T00:00:00", "HOUR", 25),
        ("bravo", sd.SYDNEY, "2026-10-04T00:00:00", "2026-10-05T00:00:00", "HOUR", 23),
        ("acme", sd.NEW_YORK, "2026-03-08T00:00:00", "2026-03-09T00:00:00", "HOUR", 23),
        ("acme", sd.NEW_YORK, "2026-11-01T00:00:00", "2026-11-02T00:00:00", "HOUR", 25),
        ("acme", sd.NEW_YORK, "2026-03-01T00:00:00", "2026-04-01T00:00:00", "DAY", 31),
        ("acme", sd.NEW_YORK, "2026-02-25T00:00:00", "2026-03-30T00:00:00", "WEEK", 5),
        ("bravo", sd.SYDNEY, "2026-03-30T00:00:00", "2026-05-04T00:00:00", "WEEK", 5),
        ("bravo", sd.SYDNEY, "2025-12-15T00:00:00", "2026-07-02T00:00:00", "MONTH", 8),
        ("bravo", sd.SYDNEY, "2025-12-15T00:00:00", "2026-07-02T00:00:00", "QUARTER", 4),
        ("bravo", sd.SYDNEY, "2025-12-15T00:00:00", "2026-07-02T00:00:00", "YEAR", 2),
    ],
)
def test_every_interval(
    gql: Gql,
    data: sd.Dataset,
    company: str,
    zone: str,
    start: str,
    end: str,
    interval: str,
    count: int,
) -> None:
    result = stats(
        gql,
        filter={"companies": [data.ids[company]], "startedAt": local_range(zone, start, end)},
        interval=interval,
    )
    lo = sd.local(sd.utc(start), "UTC").replace(tzinfo=sd.ZoneInfo(zone))
    hi = sd.local(sd.utc(end), "UTC").replace(tzinfo=sd.ZoneInfo(zone))
    calls = in_range(data.calls, company, lo, hi)
    assert len(result["rows"]) == count
    assert result["totals"] == sd.call_metrics(calls)
    check_buckets(result, calls, zone, interval)
    assert datetime.fromisoformat(result["rows"][0]["bucket"]["from"]) <= lo
    assert datetime.fromisoformat(result["rows"][-1]["bucket"]["to"]) >= hi


def test_dst_hours_are_separate_buckets(gql: Gql, data: sd.Dataset) -> None:
    result = stats(
        gql,
        filter={
            "companies": [data.ids["bravo"]],
            "startedAt": local_range(sd.SYDNEY, "2026-04-05T00:00:00", "2026-04-06T00:00:00"),
        },
        interval="HOUR",
    )
    starts = [r["bucket"]["start"] for r in result["rows"]]
    assert starts[2:4] == ["2026-04-05T02:00:00+11:00", "2026-04-05T02:00:00+10:00"]
    assert all(r["metrics"]["calls"] >= 1 for r in result["rows"][2:4])  # 15:30Z and 16:30Z


def _key(dimension: str, data: sd.Dataset) -> Any:
    zone = {"bravo": sd.SYDNEY, "acme": sd.NEW_YORK}
    columns = {
        "DISPOSITION": "disposition",
        "TRAFFIC_TYPE": "traffic_type",
        "ATTRIBUTION_SOURCE": "attribution_source",
        "ATTRIBUTION_MEDIUM": "attribution_medium",
        "ATTRIBUTION_CAMPAIGN": "attribution_campaign",
        "ATTRIBUTION_CONTENT": "attribution_content",
        "KEYWORDS": "keywords",
        "LANDING_PAGE": "landing_uri",
        "CALLER_COUNTRY": "caller_country_code",
        "CALLER_REGION": "caller_region",
        "CALLER_CITY": "caller_city",
    }
    if dimension in columns:
        return lambda r: r[columns[dimension]]
    if dimension in ("COMPANY", "SOURCE", "NUMBER"):
        name = dimension.lower()
        return lambda r: data.ids[r[name]] if r[name] else None
    if dimension == "CALLER_TYPE":
        return lambda r: (
            None if r["caller_id"] is None else "UNIQUE" if r["is_first_call"] else "REPEAT"
        )
    if dimension == "HOUR_OF_DAY":
        return lambda r: sd.local(r["started_at"], zone[r["company"]]).hour
    return lambda r: sd.local(r["started_at"], zone[r["company"]]).isoweekday()


RESPONSE_FIELD = {
    "COMPANY": "company",
    "SOURCE": "source",
    "NUMBER": "number",
    "DISPOSITION": "disposition",
    "CALLER_TYPE": "callerType",
    "TRAFFIC_TYPE": "trafficType",
    "ATTRIBUTION_SOURCE": "attributionSource",
    "ATTRIBUTION_MEDIUM": "attributionMedium",
    "ATTRIBUTION_CAMPAIGN": "attributionCampaign",
    "ATTRIBUTION_CONTENT": "attributionContent",
    "KEYWORDS": "keywords",
    "LANDING_PAGE": "landingPage",
    "CALLER_COUNTRY": "callerCountry",
    "CALLER_REGION": "callerRegion",
    "CALLER_CITY": "callerCity",
    "HOUR_OF_DAY": "hourOfDay",
    "DAY_OF_WEEK": "dayOfWeek",
}


def _row_key(row: dict[str, Any], dimension: str) -> Any:
    value = row[RESPONSE_FIELD[dimension]]
    return value["id"] if isinstance(value, dict) else value


@pytest.mark.parametrize("dimension", list(RESPONSE_FIELD))
def test_every_dimension(gql: Gql, data: sd.Dataset, dimension: str) -> None:
    """Both companies over one UTC range (local clock values each in its own company's zone
    when grouped per company; here the filter names both, so UTC applies)."""
    rows = [
        r
        for r in data.calls
        if sd.utc("2026-03-01T00:00") <= r["started_at"] < sd.utc("2026-05-01T00:00")
    ]
    result = stats(
        gql,
        filter={"startedAt": {"from": "2026-03-01T00:00:00Z", "to": "2026-05-01T00:00:00Z"}},
        groupBy=[dimension],
        first=250,
    )
    key = _key(dimension, data)
    if dimension in ("HOUR_OF_DAY", "DAY_OF_WEEK"):  # no single company: UTC
        key = (
            (lambda r: r["started_at"].hour)
            if dimension == "HOUR_OF_DAY"
            else (lambda r: r["started_at"].isoweekday())
        )
    expected = {k: sd.call_metrics(v) for k, v in sd.grouped(rows, key).items()}
    got = {_row_key(r, dimension): r["metrics"] for r in result["rows"]}
    assert got == expected
    assert result["totals"] == sd.call_metrics(rows)
    counts = [r["metrics"]["calls"] for r in result["rows"]]
    assert counts == sorted(counts, reverse=True)
    assert all(r["bucket"] is None for r in result["rows"])


def test_local_clock_dimensions_in_company_zone(gql: Gql, data: sd.Dataset) -> None:
    april = in_range(data.calls, "bravo", sd.utc("2026-03-31T13:00"), sd.utc("2026-04-30T14:00"))
    for dimension in ("HOUR_OF_DAY", "DAY_OF_WEEK"):
        result = stats(
            gql,
            filter={"companies": [data.ids["bravo"]], "startedAt": {"label": "LAST_MONTH"}},
            groupBy=[dimension],
            orderBy="KEY_ASC",
            first=250,
        )
        expected = sd.grouped(april, _key(dimension, data))
        assert [_row_key(r, dimension) for r in result["rows"]] == sorted(expected)
        assert {_row_key(r, dimension): r["metrics"] for r in result["rows"]} == {
            k: sd.call_metrics(v) for k, v in expected.items()
        }


def test_groups_with_buckets_ranked_and_limited(gql: Gql, data: sd.Dataset) -> None:
    april = in_range(data.calls, "bravo", sd.utc("2026-03-31T13:00"), sd.utc("2026-04-30T14:00"))
    result = stats(
        gql,
        filter={"companies": [data.ids["bravo"]], "startedAt": {"label": "LAST_MONTH"}},
        groupBy=["DISPOSITION", "CALLER_TYPE"],
        interval="WEEK",
        first=3,
    )
    groups = sd.grouped(april, lambda r: (r["disposition"], _key("CALLER_TYPE", data)(r)))
    ranked = sorted(groups, key=lambda k: (-len(groups[k]), k[0], k[1] is None, k[1] or ""))[:3]
    weeks = 5  # Monday 30 March ... Monday 27 April
    assert len(result["rows"]) == 3 * weeks
    assert [(r["disposition"], r["callerType"]) for r in result["rows"][::weeks]] == ranked
    assert result["rows"][0]["bucket"]["start"] == "2026-03-30T00:00:00+11:00"
    for index, group in enumerate(ranked):
        block = {"rows": result["rows"][index * weeks : (index + 1) * weeks]}
        check_buckets(block, groups[group], sd.SYDNEY, "WEEK")
    assert result["totals"] == sd.call_metrics(april)


PAGE = """query($filter: CallFilter, $after: String) { calls(filter: $filter, first: 250, after: $after) {
  pageInfo { hasNextPage endCursor } nodes { disposition durationSeconds isFirstCall caller { e164 } } } }"""


def test_labels_and_attribution_match_paging_calls(gql: Gql, data: sd.Dataset) -> None:
    """The same filter through `calls`, paged, gives the same metrics."""
    filter = {
        "companies": [data.ids["bravo"]],
        "startedAt": {"label": "LAST_MONTH"},
        "attribution": {"sources": ["google"]},
    }
    nodes, after = [], None
    while True:
        page = gql(PAGE, {"filter": filter, "after": after})["calls"]
        nodes += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    paged = [
        {
            "disposition": n["disposition"],
            "duration_seconds": n["durationSeconds"],
            "is_first_call": n["isFirstCall"],
            "caller_id": n["caller"]["e164"] if n["caller"] else None,
        }
        for n in nodes
    ]
    result = stats(gql, filter=filter, interval="DAY")
    assert result["totals"] == sd.call_metrics(paged) and result["totals"]["calls"] > 0
    assert sum(r["metrics"]["calls"] for r in result["rows"]) == len(paged)


NESTED = """query($id: ID!, $filter: CallFilter) { node(id: $id) {
  ... on Company { callStats(filter: $filter, interval: DAY) { timeZone totals { %(m)s } rows { metrics { calls } } } }
  ... on Source { callStats(filter: $filter, interval: DAY) { timeZone totals { %(m)s } rows { metrics { calls } } } }
  ... on Number { callStats(filter: $filter, interval: DAY) { timeZone totals { %(m)s } rows { metrics { calls } } } }
  ... on Caller { callStats(filter: $filter) { timeZone totals { %(m)s } rows { metrics { calls } } } }
} }""" % {"m": METRICS}


def test_nested_on_company_source_number_caller(gql: Gql, data: sd.Dataset) -> None:
    april = in_range(data.calls, "bravo", sd.utc("2026-03-31T13:00"), sd.utc("2026-04-30T14:00"))
    last_month = {"startedAt": {"label": "LAST_MONTH"}}
    cases = [
        ("bravo", lambda r: True, sd.SYDNEY),
        ("bravo-s1", lambda r: r["source"] == "bravo-s1", sd.SYDNEY),
        ("bravo-n0", lambda r: r["number"] == "bravo-n0", sd.SYDNEY),
    ]
    for name, keep, zone in cases:
        result = gql(NESTED, {"id": data.ids[name], "filter": last_month})["node"]["callStats"]
        assert result["timeZone"] == zone and len(result["rows"]) == 30
        assert result["totals"] == sd.call_metrics(r for r in april if keep(r)), name
    caller = gql(NESTED, {"id": data.ids["caller2"], "filter": None})["node"]["callStats"]
    assert caller["timeZone"] == "UTC"
    assert caller["totals"] == sd.call_metrics(
        r for r in data.calls if r["caller_id"] == data.pks["caller2"]
    )
    listed = gql("""{ companies { nodes { name callStats { totals { calls } } } } }""")[
        "companies"
    ]["nodes"]
    assert {c["name"]: c["callStats"]["totals"]["calls"] for c in listed} == {
        "Acme": sum(r["company"] == "acme" for r in data.calls),
        "Bravo": sum(r["company"] == "bravo" for r in data.calls),
    }


def errors(client: TestClient, query: str, variables: dict[str, Any]) -> list[dict[str, Any]]:
    body = post(client, query, variables)
    assert body.get("errors"), body
    return body["errors"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("variables", "code", "words"),
    [
        ({"interval": "DAY"}, "BAD_USER_INPUT", "interval DAY needs a bounded filter.startedAt"),
        (
            {"interval": "DAY", "filter": {"startedAt": {"label": "LIFETIME"}}},
            "BAD_USER_INPUT",
            "needs a bounded",
        ),
        (
            {
                "interval": "HOUR",
                "groupBy": ["HOUR_OF_DAY"],
                "filter": {"startedAt": {"label": "LAST_MONTH"}},
            },
            "BAD_USER_INPUT",
            "groupBy HOUR_OF_DAY cannot be combined with interval HOUR",
        ),
        (
            {
                "interval": "DAY",
                "groupBy": ["DAY_OF_WEEK"],
                "filter": {"startedAt": {"label": "LAST_MONTH"}},
            },
            "BAD_USER_INPUT",
            "groupBy DAY_OF_WEEK cannot be combined with interval DAY",
        ),
        ({"groupBy": ["SOURCE", "SOURCE"]}, "BAD_USER_INPUT", "a dimension is repeated"),
        (
            {"groupBy": ["SOURCE"], "first": 0},
            "BAD_USER_INPUT",
            "callStats.first: must be between 1 and 250",
        ),
        ({"groupBy": ["SOURCE"], "first": 251}, "QUERY_TOO_COMPLEX", "first: at most 250"),
        (
            {
                "interval": "HOUR",
                "filter": {
                    "startedAt": {"from": "2024-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"}
                },
            },
            "QUERY_TOO_COMPLEX",
            "more than 8784 buckets",
        ),
        (
            {
                "interval": "DAY",
                "groupBy": ["CALLER_CITY"],
                "first": 250,
                "filter": {"startedAt": {"label": "LAST_YEAR"}},
            },
            "QUERY_TOO_COMPLEX",
            "rows (buckets x groups)",
        ),
        (
            {
                "interval": "DAY",
                "filter": {"startedAt": {"label": "LAST_MONTH", "timeZone": "Mars/Olympus"}},
            },
            "BAD_USER_INPUT",
            "unknown time zone",
        ),
    ],
)
def test_bad_arguments(
    client: TestClient, data: sd.Dataset, variables: dict[str, Any], code: str, words: str
) -> None:
    found = errors(client, STATS, variables)
    assert found[0]["extensions"]["code"] == code
    assert words in found[0]["message"]


def test_year_of_hours_within_cost(gql: Gql, data: sd.Dataset) -> None:
    result = gql(
        """{ callStats(filter: {companies: ["%s"], startedAt: {label: LAST_YEAR}}, interval: HOUR) {
      rows { metrics { calls } } } }"""
        % data.ids["bravo"]
    )["callStats"]
    assert len(result["rows"]) == 8760  # 2025 in Sydney: 8,760 local clock hours
    assert sum(r["metrics"]["calls"] for r in result["rows"]) == 1  # 2025-12-31T12:00Z


def test_account_isolation_and_scopes(
    settings: Settings, gql: Gql, client: TestClient, data: sd.Dataset
) -> None:
    whole = stats(
        gql, filter={"startedAt": {"from": "2020-01-01T00:00:00Z", "to": "2030-01-01T00:00:00Z"}}
    )
    assert whole["totals"] == sd.call_metrics(data.calls)  # the other account's call is not counted
    foreign = stats(gql, filter={"companies": [data.ids["foreign"]]})
    assert foreign["totals"]["calls"] == 0
    token = f.run_db(settings, lambda conn: _limited_key(conn))
    with TestClient(create_app(settings), headers={"Authorization": f"Bearer {token}"}) as limited:
        body = post(limited, "{ callStats { totals { calls } } companies { nodes { name } } }")
    assert body["data"]["callStats"] is None
    assert body["data"]["companies"]["nodes"]
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN" and body["errors"][0]["path"] == [
        "callStats"
    ]


async def _limited_key(conn: Any) -> str:
    return await f.api_key(conn, await f.account(conn, "demo"), scopes=["companies:read"])


def test_every_day_of_range_present_when_empty(gql: Gql, data: sd.Dataset) -> None:
    result = stats(
        gql,
        filter={"companies": [data.ids["acme"]], "startedAt": {"label": "LAST_MONTH"}},
        interval="DAY",
        groupBy=["DISPOSITION"],
    )
    assert result["totals"]["calls"] == 0 and result["rows"] == []
    alone = stats(
        gql,
        filter={"companies": [data.ids["acme"]], "startedAt": {"label": "LAST_MONTH"}},
        interval="DAY",
    )
    assert len(alone["rows"]) == 30 and all(r["metrics"]["calls"] == 0 for r in alone["rows"])
    first = datetime.fromisoformat(alone["rows"][0]["bucket"]["from"])
    assert (
        first == sd.utc("2026-04-01T04:00")
        and alone["rows"][0]["bucket"]["start"] == "2026-04-01T00:00:00-04:00"
    )
    assert datetime.fromisoformat(alone["rows"][-1]["bucket"]["to"]) - first == timedelta(days=30)
