"""leadStats over HTTP on both databases, against sums computed in plain Python from the
fixture: every dimension, buckets of createdAt in local time, nested, scopes and isolation."""

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from app.core.settings import Settings
from app.web.app import create_app

import helpers.factories as f
import helpers.stats_dataset as sd
from helpers.graphql_client import Gql, post

FROZEN = sd.utc("2026-05-10T00:00")
METRICS = "leads buyerConverted offerConverted eitherConverted optedOut revenue payout profit"
STATS = """
query Stats($filter: LeadFilter, $groupBy: [LeadDimension!], $interval: StatsInterval,
            $orderBy: LeadStatsOrder, $first: Int) {
  leadStats(filter: $filter, groupBy: $groupBy, interval: $interval, orderBy: $orderBy, first: $first) {
    timeZone totals { %(m)s }
    rows { bucket { start from to } company { id } source { id } offerId buyerId trafficSourceId status
           scheduleId hourOfDay dayOfWeek metrics { %(m)s } }
  }
}""" % {"m": METRICS}
FIELDS = {
    "COMPANY": ("company", "company"),
    "SOURCE": ("source", "source"),
    "OFFER": ("offerId", "offer_id"),
    "BUYER": ("buyerId", "buyer_id"),
    "TRAFFIC_SOURCE": ("trafficSourceId", "traffic_source_id"),
    "STATUS": ("status", "status"),
    "SCHEDULE": ("scheduleId", "schedule_id"),
    "HOUR_OF_DAY": ("hourOfDay", None),
    "DAY_OF_WEEK": ("dayOfWeek", None),
}


@pytest.fixture
def client(client: TestClient) -> Iterator[TestClient]:
    client.app.state.clock = lambda: FROZEN  # type: ignore[attr-defined]
    yield client


@pytest.fixture
def data(settings: Settings, client: TestClient) -> sd.Dataset:
    return f.run_db(settings, sd.seed)


def stats(gql: Gql, **variables: Any) -> dict[str, Any]:
    return gql(STATS, variables)["leadStats"]  # type: ignore[no-any-return]


def _key(dimension: str, data: sd.Dataset, zone: str) -> Any:
    column = FIELDS[dimension][1]
    if dimension in ("COMPANY", "SOURCE"):
        return lambda r: data.ids[r[column]] if r[column] else None
    if dimension == "HOUR_OF_DAY":
        return lambda r: sd.local(r["created_at"], zone).hour
    if dimension == "DAY_OF_WEEK":
        return lambda r: sd.local(r["created_at"], zone).isoweekday()
    return lambda r: r[column]


def _row_key(row: dict[str, Any], dimension: str) -> Any:
    value = row[FIELDS[dimension][0]]
    return value["id"] if isinstance(value, dict) else value


@pytest.mark.parametrize("dimension", list(FIELDS))
def test_every_dimension(gql: Gql, data: sd.Dataset, dimension: str) -> None:
    """Bravo's leads in its LAST_MONTH (April, Sydney), grouped; local values in Sydney time."""
    april = [
        r
        for r in data.leads
        if r["company"] == "bravo"
        and sd.utc("2026-03-31T13:00") <= r["created_at"] < sd.utc("2026-04-30T14:00")
    ]
    result = stats(
        gql,
        filter={"companies": [data.ids["bravo"]], "createdAt": {"label": "LAST_MONTH"}},
        groupBy=[dimension],
        orderBy="REVENUE_DESC",
        first=250,
    )
    expected = {
        k: sd.lead_metrics(v)
        for k, v in sd.grouped(april, _key(dimension, data, sd.SYDNEY)).items()
    }
    got = {_row_key(r, dimension): r["metrics"] for r in result["rows"]}
    assert got == expected
    assert result["totals"] == sd.lead_metrics(april) and result["timeZone"] == sd.SYDNEY
    revenues = [float(r["metrics"]["revenue"]) for r in result["rows"]]
    assert revenues == sorted(revenues, reverse=True)


def test_daily_buckets_of_created_at(gql: Gql, data: sd.Dataset) -> None:
    april = [
        r
        for r in data.leads
        if r["company"] == "bravo"
        and sd.utc("2026-03-31T13:00") <= r["created_at"] < sd.utc("2026-04-30T14:00")
    ]
    result = stats(
        gql,
        filter={"companies": [data.ids["bravo"]], "createdAt": {"label": "LAST_MONTH"}},
        interval="DAY",
        groupBy=["BUYER"],
        first=2,
    )
    by_buyer = sd.grouped(april, lambda r: r["buyer_id"])
    top = sorted(by_buyer, key=lambda b: (-len(by_buyer[b]), b))[:2]
    assert len(result["rows"]) == 2 * 30
    assert [r["buyerId"] for r in result["rows"][::30]] == top
    for index, buyer in enumerate(top):
        days = sd.grouped(by_buyer[buyer], lambda r: sd.period(r["created_at"], sd.SYDNEY, "DAY"))
        for row in result["rows"][index * 30 : (index + 1) * 30]:
            assert row["metrics"] == sd.lead_metrics(
                days.get(sd.bucket_period(row["bucket"], "DAY"), [])
            )
    assert result["rows"][4]["bucket"]["to"] == "2026-04-05T14:00:00+00:00"  # 25-hour Sunday
    assert any(
        r["metrics"]["leads"] == 0 and r["metrics"]["revenue"] == "0.0000" for r in result["rows"]
    )


def test_nested_and_isolation(settings: Settings, gql: Gql, data: sd.Dataset) -> None:
    query = """query($id: ID!) { node(id: $id) {
      ... on Company { leadStats { totals { %(m)s } } }
      ... on Source { leadStats { totals { %(m)s } } } } }""" % {"m": METRICS}
    company = gql(query, {"id": data.ids["acme"]})["node"]["leadStats"]["totals"]
    assert company == sd.lead_metrics(r for r in data.leads if r["company"] == "acme")
    source = gql(query, {"id": data.ids["bravo-s0"]})["node"]["leadStats"]["totals"]
    assert source == sd.lead_metrics(r for r in data.leads if r["source"] == "bravo-s0")
    assert stats(gql)["totals"] == sd.lead_metrics(data.leads)  # not the other account's lead
    token = f.run_db(settings, _calls_only_key)
    with TestClient(create_app(settings), headers={"Authorization": f"Bearer {token}"}) as limited:
        body = post(limited, "{ leadStats { totals { leads } } callStats { totals { calls } } }")
    assert body["data"]["leadStats"] is None and body["data"]["callStats"]["totals"][
        "calls"
    ] == len(data.calls)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]


async def _calls_only_key(conn: Any) -> str:
    return await f.api_key(conn, await f.account(conn, "demo"), scopes=["calls:read"])


def test_bad_combination(client: TestClient, data: sd.Dataset) -> None:
    body = post(
        client,
        STATS,
        {
            "interval": "HOUR",
            "groupBy": ["HOUR_OF_DAY"],
            "filter": {"createdAt": {"label": "LAST_WEEK"}},
        },
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert (
        "groupBy HOUR_OF_DAY cannot be combined with interval HOUR" in body["errors"][0]["message"]
    )
    body = post(client, STATS, {"interval": "WEEK"})
    assert (
        "leadStats: interval WEEK needs a bounded filter.createdAt" in body["errors"][0]["message"]
    )
