"""DateRange labels: resolved against a frozen "now" in a time zone with calendar semantics
(weeks start on Monday, THIS_* runs from local midnight to now, LAST_WEEK/MONTH/... are whole
periods, LAST_<n> spans are rolling), across DST changes and month and year boundaries. Every
expected bound is written by hand in UTC. The HTTP tests check that each connection reports the
ranges it applied.

Calendar facts used below: 2026-04-05, 2026-10-04 and 2026-03-08 are Sundays. Sydney leaves
daylight time (+11 -> +10) on 2026-04-05 at 03:00 and enters it (+10 -> +11) on 2026-10-04 at
02:00; New York enters daylight time (-5 -> -4) on 2026-03-08 at 02:00 and left it on 2025-11-02.
"""

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from starlette.testclient import TestClient

from app.core.ids import encode_global_id
from app.core.settings import Settings
from app.graphql.dates import DateRange, DateRangeLabel, resolve_range
from app.graphql.errors import UserInputError

import helpers.factories as f

SYDNEY, NEW_YORK = "Australia/Sydney", "America/New_York"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def resolve(label: str, zone: str, now: str) -> tuple[datetime | None, datetime | None]:
    value = DateRange(label=DateRangeLabel[label], time_zone=zone)
    applied = resolve_range(value, field="filter.startedAt", now=utc(now), default_time_zone="UTC")
    assert applied.time_zone == zone
    return applied.from_, applied.to


CASES = [
    # Sydney, Sunday 2026-04-05 12:00 AEST (02:00Z): the day DST ends is 25 hours long.
    ("TODAY", SYDNEY, "2026-04-05T02:00", "2026-04-04T13:00", "2026-04-05T02:00"),
    ("YESTERDAY", SYDNEY, "2026-04-05T02:00", "2026-04-03T13:00", "2026-04-04T13:00"),
    ("THIS_WEEK", SYDNEY, "2026-04-05T02:00", "2026-03-29T13:00", "2026-04-05T02:00"),
    ("LAST_WEEK", SYDNEY, "2026-04-05T02:00", "2026-03-22T13:00", "2026-03-29T13:00"),
    ("THIS_MONTH", SYDNEY, "2026-04-05T02:00", "2026-03-31T13:00", "2026-04-05T02:00"),
    ("LAST_MONTH", SYDNEY, "2026-04-05T02:00", "2026-02-28T13:00", "2026-03-31T13:00"),
    # Monday 2026-04-06 09:00 AEST: yesterday spans 25 hours; the new week starts at +10.
    ("YESTERDAY", SYDNEY, "2026-04-05T23:00", "2026-04-04T13:00", "2026-04-05T14:00"),
    ("TODAY", SYDNEY, "2026-04-05T23:00", "2026-04-05T14:00", "2026-04-05T23:00"),
    ("THIS_WEEK", SYDNEY, "2026-04-05T23:00", "2026-04-05T14:00", "2026-04-05T23:00"),
    ("LAST_WEEK", SYDNEY, "2026-04-05T23:00", "2026-03-29T13:00", "2026-04-05T14:00"),
    # Sydney, Sunday 2026-10-04 10:00 AEDT (-> 23:00Z the day before): DST starts, 23-hour day.
    ("TODAY", SYDNEY, "2026-10-03T23:00", "2026-10-03T14:00", "2026-10-03T23:00"),
    ("YESTERDAY", SYDNEY, "2026-10-03T23:00", "2026-10-02T14:00", "2026-10-03T14:00"),
    ("THIS_WEEK", SYDNEY, "2026-10-03T23:00", "2026-09-27T14:00", "2026-10-03T23:00"),
    ("LAST_WEEK", SYDNEY, "2026-10-03T23:00", "2026-09-20T14:00", "2026-09-27T14:00"),
    ("THIS_QUARTER", SYDNEY, "2026-10-03T23:00", "2026-09-30T14:00", "2026-10-03T23:00"),
    ("LAST_QUARTER", SYDNEY, "2026-10-03T23:00", "2026-06-30T14:00", "2026-09-30T14:00"),
    ("YESTERDAY", SYDNEY, "2026-10-04T22:00", "2026-10-03T14:00", "2026-10-04T13:00"),
    ("LAST_WEEK", SYDNEY, "2026-10-04T22:00", "2026-09-27T14:00", "2026-10-04T13:00"),
    # New York, Sunday 2026-03-08 12:00 EDT (16:00Z): DST starts, the day is 23 hours long.
    ("TODAY", NEW_YORK, "2026-03-08T16:00", "2026-03-08T05:00", "2026-03-08T16:00"),
    ("YESTERDAY", NEW_YORK, "2026-03-08T16:00", "2026-03-07T05:00", "2026-03-08T05:00"),
    ("THIS_WEEK", NEW_YORK, "2026-03-08T16:00", "2026-03-02T05:00", "2026-03-08T16:00"),
    # Monday 2026-03-09 12:00 EDT: yesterday spans 23 hours; last week spans 167.
    ("YESTERDAY", NEW_YORK, "2026-03-09T16:00", "2026-03-08T05:00", "2026-03-09T04:00"),
    ("THIS_WEEK", NEW_YORK, "2026-03-09T16:00", "2026-03-09T04:00", "2026-03-09T16:00"),
    ("LAST_WEEK", NEW_YORK, "2026-03-09T16:00", "2026-03-02T05:00", "2026-03-09T04:00"),
    ("THIS_MONTH", NEW_YORK, "2026-03-09T16:00", "2026-03-01T05:00", "2026-03-09T16:00"),
    ("LAST_MONTH", NEW_YORK, "2026-03-09T16:00", "2026-02-01T05:00", "2026-03-01T05:00"),
    # Month boundary: 2026-03-31 23:30Z is still March in New York and UTC, April in Sydney.
    ("THIS_MONTH", NEW_YORK, "2026-03-31T23:30", "2026-03-01T05:00", "2026-03-31T23:30"),
    ("THIS_MONTH", "UTC", "2026-03-31T23:30", "2026-03-01T00:00", "2026-03-31T23:30"),
    ("THIS_MONTH", SYDNEY, "2026-03-31T23:30", "2026-03-31T13:00", "2026-03-31T23:30"),
    ("LAST_MONTH", SYDNEY, "2026-03-31T23:30", "2026-02-28T13:00", "2026-03-31T13:00"),
    ("TODAY", SYDNEY, "2026-03-31T23:30", "2026-03-31T13:00", "2026-03-31T23:30"),
    ("YESTERDAY", SYDNEY, "2026-03-31T23:30", "2026-03-30T13:00", "2026-03-31T13:00"),
    ("THIS_QUARTER", SYDNEY, "2026-03-31T23:30", "2026-03-31T13:00", "2026-03-31T23:30"),
    ("LAST_QUARTER", SYDNEY, "2026-03-31T23:30", "2025-12-31T13:00", "2026-03-31T13:00"),
    ("THIS_QUARTER", NEW_YORK, "2026-03-31T23:30", "2026-01-01T05:00", "2026-03-31T23:30"),
    # Year boundary: 2026-01-01 03:00Z is still 2025 in New York (Wednesday 22:00 EST).
    ("THIS_YEAR", NEW_YORK, "2026-01-01T03:00", "2025-01-01T05:00", "2026-01-01T03:00"),
    ("LAST_YEAR", NEW_YORK, "2026-01-01T03:00", "2024-01-01T05:00", "2025-01-01T05:00"),
    ("THIS_MONTH", NEW_YORK, "2026-01-01T03:00", "2025-12-01T05:00", "2026-01-01T03:00"),
    ("LAST_MONTH", NEW_YORK, "2026-01-01T03:00", "2025-11-01T04:00", "2025-12-01T05:00"),
    ("LAST_QUARTER", NEW_YORK, "2026-01-01T03:00", "2025-07-01T04:00", "2025-10-01T04:00"),
    ("THIS_WEEK", NEW_YORK, "2026-01-01T03:00", "2025-12-29T05:00", "2026-01-01T03:00"),
    ("THIS_YEAR", "UTC", "2026-01-01T03:00", "2026-01-01T00:00", "2026-01-01T03:00"),
    ("LAST_YEAR", "UTC", "2026-01-01T03:00", "2025-01-01T00:00", "2026-01-01T00:00"),
    ("THIS_YEAR", SYDNEY, "2026-01-01T03:00", "2025-12-31T13:00", "2026-01-01T03:00"),
    ("LAST_WEEK", "UTC", "2026-01-01T03:00", "2025-12-22T00:00", "2025-12-29T00:00"),
    # Rolling spans end now and are measured in elapsed time, DST or not.
    ("LAST_5_MIN", SYDNEY, "2026-04-05T02:00", "2026-04-05T01:55", "2026-04-05T02:00"),
    ("LAST_15_MIN", "UTC", "2026-04-05T02:00", "2026-04-05T01:45", "2026-04-05T02:00"),
    ("LAST_30_MIN", "UTC", "2026-04-05T02:00", "2026-04-05T01:30", "2026-04-05T02:00"),
    ("LAST_HOUR", "UTC", "2026-04-05T02:00", "2026-04-05T01:00", "2026-04-05T02:00"),
    ("LAST_4_HOURS", SYDNEY, "2026-04-05T02:00", "2026-04-04T22:00", "2026-04-05T02:00"),
    ("LAST_6_HOURS", "UTC", "2026-04-05T02:00", "2026-04-04T20:00", "2026-04-05T02:00"),
    ("LAST_12_HOURS", "UTC", "2026-04-05T02:00", "2026-04-04T14:00", "2026-04-05T02:00"),
    ("LAST_DAY", SYDNEY, "2026-04-05T02:00", "2026-04-04T02:00", "2026-04-05T02:00"),
    ("LAST_2_DAYS", NEW_YORK, "2026-03-09T16:00", "2026-03-07T16:00", "2026-03-09T16:00"),
    # Six months back on the local calendar, at the same local time (EDT now, EST then).
    ("LAST_6_MONTHS", NEW_YORK, "2026-03-31T23:30", "2025-09-30T23:30", "2026-03-31T23:30"),
    ("LAST_6_MONTHS", NEW_YORK, "2026-05-15T16:00", "2025-11-15T17:00", "2026-05-15T16:00"),
]


@pytest.mark.parametrize(("label", "zone", "now", "start", "end"), CASES)
def test_label_resolves_to_hand_written_bounds(
    label: str, zone: str, now: str, start: str, end: str
) -> None:
    assert resolve(label, zone, now) == (utc(start), utc(end))


def test_lifetime_is_unbounded() -> None:
    assert resolve("LIFETIME", SYDNEY, "2026-04-05T02:00") == (None, None)


def test_custom_range_uses_from_and_to() -> None:
    value = DateRange(
        label=DateRangeLabel.CUSTOM_RANGE,
        from_=datetime(2026, 3, 8, 1, 30),  # no offset: read in the time zone (EST)
        to=utc("2026-03-09T00:00"),
        time_zone=NEW_YORK,
    )
    applied = resolve_range(
        value, field="filter.createdAt", now=utc("2026-04-01T00:00"), default_time_zone="UTC"
    )
    assert (applied.from_, applied.to) == (utc("2026-03-08T06:30"), utc("2026-03-09T00:00"))
    assert applied.label is DateRangeLabel.CUSTOM_RANGE


def test_offset_less_bounds_are_read_in_the_time_zone_on_each_side_of_dst() -> None:
    value = DateRange(
        from_=datetime(2026, 3, 7, 12), to=datetime(2026, 3, 9, 12), time_zone=NEW_YORK
    )
    applied = resolve_range(
        value, field="filter.startedAt", now=utc("2026-04-01T00:00"), default_time_zone="UTC"
    )
    assert (applied.from_, applied.to) == (utc("2026-03-07T17:00"), utc("2026-03-09T16:00"))


def test_the_default_time_zone_applies_without_one() -> None:
    value = DateRange(label=DateRangeLabel.TODAY)
    applied = resolve_range(
        value, field="filter.startedAt", now=utc("2026-04-05T02:00"), default_time_zone=SYDNEY
    )
    assert (applied.from_, applied.to, applied.time_zone) == (
        utc("2026-04-04T13:00"),
        utc("2026-04-05T02:00"),
        SYDNEY,
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            DateRange(label=DateRangeLabel.TODAY, from_=utc("2026-04-01T00:00")),
            "filter.startedAt: label TODAY",
        ),
        (
            DateRange(label=DateRangeLabel.LAST_WEEK, to=utc("2026-04-01T00:00")),
            "filter.startedAt: label LAST_WEEK",
        ),
        (
            DateRange(from_=utc("2026-04-02T00:00"), to=utc("2026-04-01T00:00")),
            "filter.startedAt: from",
        ),
        (DateRange(label=DateRangeLabel.TODAY, time_zone="Mars/Base"), "filter.startedAt.timeZone"),
        (DateRange(label=DateRangeLabel.TODAY, time_zone=""), "filter.startedAt.timeZone"),
        (DateRange(time_zone="/etc/localtime"), "filter.startedAt.timeZone"),
    ],
)
def test_bad_ranges_name_the_field(value: DateRange, message: str) -> None:
    with pytest.raises(UserInputError) as raised:
        resolve_range(
            value, field="filter.startedAt", now=utc("2026-04-05T02:00"), default_time_zone="UTC"
        )
    assert str(raised.value).startswith(message)


# Through HTTP, with the clock frozen at Sunday 2026-04-05 12:00 in Sydney (02:00Z), which is
# Saturday 22:00 in New York.
FROZEN = utc("2026-04-05T02:00")


@pytest.fixture
def client(client: TestClient) -> Iterator[TestClient]:
    """The conftest client, with "now" frozen (what create_app(clock=...) sets)."""
    client.app.state.clock = lambda: FROZEN  # type: ignore[attr-defined]
    yield client


@pytest.fixture
def ids(settings: Settings) -> dict[str, str]:
    """Bravo (Sydney) and Acme (New York) calls on each side of local midnights."""

    async def work(conn: Any) -> dict[str, str]:
        demo = await f.account(conn, "demo")
        acme = await f.company(conn, demo, "Acme", time_zone=NEW_YORK)
        bravo = await f.company(conn, demo, "Bravo", time_zone=SYDNEY, default_region="AU")
        for name, started in [
            ("b-last-week", "2026-03-29T12:59"),  # Sun 29 Mar 23:59 AEDT
            ("b-week-start", "2026-03-29T13:00"),  # Mon 30 Mar 00:00 AEDT
            ("b-yesterday", "2026-04-04T12:59"),  # Sat 4 Apr 23:59 AEDT
            ("b-midnight", "2026-04-04T13:00"),  # Sun 5 Apr 00:00 AEDT
            ("b-morning", "2026-04-05T01:59"),  # Sun 5 Apr 11:59 AEST
            ("b-future", "2026-04-05T03:00"),  # after now
        ]:
            await f.call(conn, demo, bravo, name, started_at=utc(started))
        for name, started in [
            ("a-yesterday", "2026-04-04T03:59"),  # Fri 3 Apr 23:59 EDT
            ("a-today", "2026-04-04T04:00"),  # Sat 4 Apr 00:00 EDT
        ]:
            await f.call(conn, demo, acme, name, started_at=utc(started))
        await f.lead(
            conn,
            demo,
            bravo,
            "lead-1",
            created_at=utc("2026-04-04T13:30"),
            updated_at=utc("2026-04-04T13:30"),
            next_action_at=utc("2026-04-06T00:00"),
        )
        return {
            "acme": encode_global_id("Company", acme),
            "bravo": encode_global_id("Company", bravo),
        }

    return f.run_db(settings, work)


CALLS = """
query($filter: CallFilter) {
  calls(filter: $filter) {
    nodes { externalId }
    appliedRanges { field from to label timeZone }
  }
}"""


def applied(
    field: str, start: str | None, end: str | None, label: str | None, zone: str
) -> dict[str, Any]:
    return {"field": field, "from": start, "to": end, "label": label, "timeZone": zone}


def calls(gql: Any, filter: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    connection = gql(CALLS, {"filter": filter})["calls"]
    return [n["externalId"] for n in connection["nodes"]], connection["appliedRanges"]


def test_a_root_filter_naming_one_company_uses_its_time_zone(gql: Any, ids: dict[str, str]) -> None:
    found, ranges = calls(gql, {"companies": [ids["bravo"]], "startedAt": {"label": "TODAY"}})
    assert found == ["b-morning", "b-midnight"]
    assert ranges == [
        applied(
            "startedAt", "2026-04-04T13:00:00+00:00", "2026-04-05T02:00:00+00:00", "TODAY", SYDNEY
        )
    ]


def test_a_root_filter_without_one_company_uses_utc(gql: Any, ids: dict[str, str]) -> None:
    found, ranges = calls(gql, {"startedAt": {"label": "TODAY"}})
    assert found == ["b-morning"]
    assert ranges == [
        applied(
            "startedAt", "2026-04-05T00:00:00+00:00", "2026-04-05T02:00:00+00:00", "TODAY", "UTC"
        )
    ]


def test_an_explicit_time_zone_wins(gql: Any, ids: dict[str, str]) -> None:
    yesterday = {"label": "YESTERDAY", "timeZone": SYDNEY}
    found, ranges = calls(gql, {"startedAt": yesterday})
    assert found == ["b-yesterday", "a-today", "a-yesterday"]
    assert ranges == [
        applied(
            "startedAt",
            "2026-04-03T13:00:00+00:00",
            "2026-04-04T13:00:00+00:00",
            "YESTERDAY",
            SYDNEY,
        )
    ]
    # Bravo's calls, but "today" in New York (Saturday 4 April, 04:00Z to now).
    today_in_new_york = {"label": "TODAY", "timeZone": NEW_YORK}
    found, ranges = calls(gql, {"companies": [ids["bravo"]], "startedAt": today_in_new_york})
    assert found == ["b-morning", "b-midnight", "b-yesterday"]
    assert ranges == [
        applied(
            "startedAt", "2026-04-04T04:00:00+00:00", "2026-04-05T02:00:00+00:00", "TODAY", NEW_YORK
        )
    ]


def test_weeks_start_on_monday(gql: Any, ids: dict[str, str]) -> None:
    bravo = [ids["bravo"]]
    found, _ = calls(gql, {"companies": bravo, "startedAt": {"label": "THIS_WEEK"}})
    assert found == ["b-morning", "b-midnight", "b-yesterday", "b-week-start"]
    found, ranges = calls(gql, {"companies": bravo, "startedAt": {"label": "LAST_WEEK"}})
    assert found == ["b-last-week"]
    assert ranges == [
        applied(
            "startedAt",
            "2026-03-22T13:00:00+00:00",
            "2026-03-29T13:00:00+00:00",
            "LAST_WEEK",
            SYDNEY,
        )
    ]


def test_explicit_bounds_are_reported_too(gql: Any, ids: dict[str, str]) -> None:
    window = {"from": "2026-04-04T00:00:00", "timeZone": SYDNEY}
    found, ranges = calls(gql, {"startedAt": window})
    assert found == ["b-future", "b-morning", "b-midnight", "b-yesterday", "a-today", "a-yesterday"]
    assert ranges == [applied("startedAt", "2026-04-03T13:00:00+00:00", None, None, SYDNEY)]


def test_no_date_filter_reports_no_ranges(gql: Any, ids: dict[str, str]) -> None:
    assert calls(gql, {"companies": [ids["acme"]]}) == (["a-today", "a-yesterday"], [])


def test_nested_lists_resolve_labels_in_each_companys_time_zone(
    gql: Any, ids: dict[str, str]
) -> None:
    query = """
    {
      companies {
        nodes {
          name
          calls(filter: { startedAt: { label: TODAY } }) {
            nodes { externalId }
            appliedRanges { field from to label timeZone }
          }
        }
      }
    }"""
    companies = gql(query)["companies"]["nodes"]
    found = {
        c["name"]: ([n["externalId"] for n in c["calls"]["nodes"]], c["calls"]["appliedRanges"])
        for c in companies
    }
    assert found == {
        "Acme": (
            ["a-today"],
            [
                applied(
                    "startedAt",
                    "2026-04-04T04:00:00+00:00",
                    "2026-04-05T02:00:00+00:00",
                    "TODAY",
                    NEW_YORK,
                )
            ],
        ),
        "Bravo": (
            ["b-morning", "b-midnight"],
            [
                applied(
                    "startedAt",
                    "2026-04-04T13:00:00+00:00",
                    "2026-04-05T02:00:00+00:00",
                    "TODAY",
                    SYDNEY,
                )
            ],
        ),
    }


def test_every_date_filter_of_a_connection_is_reported(gql: Any, ids: dict[str, str]) -> None:
    query = """
    query($filter: LeadFilter) {
      leads(filter: $filter) { nodes { externalId } appliedRanges { field from to label timeZone } }
    }"""
    filter = {
        "companies": [ids["bravo"]],
        "createdAt": {"label": "THIS_MONTH"},
        "nextActionAt": {"label": "LIFETIME"},
    }
    leads = gql(query, {"filter": filter})["leads"]
    assert [n["externalId"] for n in leads["nodes"]] == ["lead-1"]
    assert leads["appliedRanges"] == [
        applied(
            "createdAt",
            "2026-03-31T13:00:00+00:00",
            "2026-04-05T02:00:00+00:00",
            "THIS_MONTH",
            SYDNEY,
        ),
        applied("nextActionAt", None, None, "LIFETIME", SYDNEY),
    ]


@pytest.mark.parametrize(
    ("date_range", "field"),
    [
        ({"label": "THIS_WEEK", "from": "2026-04-01T00:00:00Z"}, "filter.startedAt"),
        ({"label": "YESTERDAY", "to": "2026-04-01T00:00:00Z"}, "filter.startedAt"),
        ({"from": "2026-04-02T00:00:00Z", "to": "2026-04-01T00:00:00Z"}, "filter.startedAt"),
        ({"label": "TODAY", "timeZone": "Australia/Sydney2"}, "filter.startedAt.timeZone"),
    ],
)
def test_bad_ranges_are_bad_user_input(
    gql_errors: Any, ids: dict[str, str], date_range: dict[str, Any], field: str
) -> None:
    errors = gql_errors(CALLS, {"filter": {"startedAt": date_range}})
    assert [e["extensions"]["code"] for e in errors] == ["BAD_USER_INPUT"]
    assert errors[0]["message"].startswith(field)
