"""Scalars as clients see them: @specifiedBy URLs and wire forms in introspection, and the
DateTime and time zone inputs the vendors use (TrackDrive's `2016-01-01 12:25:15 -0500` and
Rails zone names, Fone Dynamics' Unix seconds) taken alike by the compiled and general paths."""

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from starlette.testclient import TestClient

from app.core.settings import Settings
from app.graphql.rails_zones import RAILS_TIME_ZONES
from app.web.app import create_app

import helpers.factories as f

CALLS = """
query($filter: CallFilter) {
  calls(filter: $filter) {
    nodes { externalId }
    appliedRanges { from to timeZone }
  }
}"""
# 2016-01-01 17:25:15Z, written each way a client may send it.
AT = "2016-01-01T17:25:15+00:00"
SAME_INSTANT = [
    "2016-01-01T12:25:15-05:00",
    "2016-01-01 12:25:15 -0500",
    "2016-01-01 12:25:15-0500",
    1451669115,
]


@pytest.fixture(params=[True, False], ids=["compiled", "general"])
def client(request: pytest.FixtureRequest, settings: Settings) -> Iterator[TestClient]:
    async def seed(conn: Any) -> str:
        account = await f.account(conn)
        company = await f.company(conn, account, "Acme")
        for name, started in [("before", "2016-01-01T17:25:14"), ("at", "2016-01-01T17:25:15")]:
            when = datetime.fromisoformat(started).replace(tzinfo=UTC)
            await f.call(conn, account, company, name, started_at=when)
        return await f.api_key(conn, account)

    token = f.run_db(settings, seed)
    app = create_app(settings.model_copy(update={"compiled_reads": request.param}))
    with TestClient(app, headers={"X-API-Key": token}) as test_client:
        test_client.compiled = request.param  # type: ignore[attr-defined]
        yield test_client


def calls(client: TestClient, filter: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": CALLS, "variables": {"filter": filter}})
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    if "errors" not in body:
        path = "compiled" if client.compiled else "general"  # type: ignore[attr-defined]
        assert response.headers["x-read-path"] == path
    return body


@pytest.mark.parametrize("value", SAME_INSTANT, ids=["rfc3339", "trackdrive", "nospace", "unix"])
def test_every_written_form_is_the_same_instant(client: TestClient, value: object) -> None:
    body = calls(client, {"startedAt": {"from": value}})
    assert body["data"]["calls"]["nodes"] == [{"externalId": "at"}]
    assert body["data"]["calls"]["appliedRanges"] == [{"from": AT, "to": None, "timeZone": "UTC"}]


def test_unix_seconds_work_as_a_literal_too(client: TestClient) -> None:
    query = "{ calls(filter: { startedAt: { to: 1451669115 } }) { nodes { externalId } } }"
    response = client.post("/graphql", json={"query": query})
    assert response.json() == {"data": {"calls": {"nodes": [{"externalId": "before"}]}}}


def test_a_rails_zone_name_is_its_iana_zone(client: TestClient) -> None:
    # Offset-less bounds are read in the zone: 11:25:15 in Chicago (-06:00) is 17:25:15Z.
    rails = {"from": "2016-01-01T11:25:15", "timeZone": "Central Time (US & Canada)"}
    body = calls(client, {"startedAt": rails})
    assert body["data"]["calls"]["nodes"] == [{"externalId": "at"}]
    applied = body["data"]["calls"]["appliedRanges"]
    assert applied == [{"from": AT, "to": None, "timeZone": "America/Chicago"}]
    iana = calls(client, {"startedAt": {**rails, "timeZone": "America/Chicago"}})
    assert iana == body


@pytest.mark.parametrize(
    "value, named",
    [
        ("2016-13-01 12:25:15 -0500", '"2016-13-01 12:25:15 -0500"'),
        ("yesterday", '"yesterday"'),
        (-1, "-1"),
        (253_402_300_800, "253402300800"),
        (1451669115.5, "1451669115.5"),
        (True, "True"),
    ],
)
def test_a_bad_datetime_is_bad_user_input_naming_it(
    client: TestClient, value: object, named: str
) -> None:
    errors = calls(client, {"startedAt": {"from": value}})["errors"]
    assert [e["extensions"]["code"] for e in errors] == ["BAD_USER_INPUT"]
    assert named in errors[0]["message"]


def test_an_unknown_zone_is_bad_user_input_naming_it(client: TestClient) -> None:
    errors = calls(client, {"startedAt": {"label": "TODAY", "timeZone": "Central Time"}})["errors"]
    assert [e["extensions"]["code"] for e in errors] == ["BAD_USER_INPUT"]
    assert "filter.startedAt.timeZone: unknown time zone 'Central Time'" in errors[0]["message"]


def test_every_rails_zone_is_a_known_iana_zone() -> None:
    assert len(RAILS_TIME_ZONES) == 151  # ActiveSupport::TimeZone::MAPPING
    assert RAILS_TIME_ZONES["Central Time (US & Canada)"] == "America/Chicago"
    for iana in RAILS_TIME_ZONES.values():
        ZoneInfo(iana)


SCALARS = "{ __schema { types { name kind description specifiedByURL } } }"


def test_scalars_state_their_specification_and_wire_form(client: TestClient) -> None:
    types = client.post("/graphql", json={"query": SCALARS}).json()["data"]["__schema"]["types"]
    scalars = {t["name"]: t for t in types if t["kind"] == "SCALAR"}
    assert scalars["DateTime"]["specifiedByURL"] == "https://datatracker.ietf.org/doc/html/rfc3339"
    assert scalars["PhoneNumber"]["specifiedByURL"] == "https://www.itu.int/rec/T-REC-E.164"
    assert "four decimal places" in scalars["Decimal"]["description"]
    assert "Any JSON value" in scalars["JSON"]["description"]
    assert "Unix seconds" in scalars["DateTime"]["description"]
