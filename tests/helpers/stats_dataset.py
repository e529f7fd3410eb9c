"""A call and lead fixture around the DST changes of Sydney and New York, and the expected stats
computed from it in plain Python (each row's local time from zoneinfo, not from boundaries)."""

import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from app.core.ids import encode_global_id

import helpers.factories as f

SYDNEY, NEW_YORK = "Australia/Sydney", "America/New_York"
DISPOSITIONS = ["ANSWERED"] * 5 + ["IVR", "BUSY", "NO_ANSWER", "FAILED"]
ATTRIBUTION = [
    ("google", "cpc", "brand"),
    ("google", "organic", None),
    ("facebook", "paid", "spring"),
    None,
]
CITIES = [("AU", "NSW", "Sydney"), ("AU", "VIC", "Melbourne"), ("US", "GA", "Atlanta"), None]


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@dataclass
class Dataset:
    ids: dict[str, str] = field(default_factory=dict)  # name -> global id
    pks: dict[str, int] = field(default_factory=dict)
    calls: list[dict[str, Any]] = field(default_factory=list)
    leads: list[dict[str, Any]] = field(default_factory=list)


# Calls placed by hand on the DST edges (UTC), besides the random ones.
EDGES = {
    "bravo": [
        "2026-04-04T12:59",
        "2026-04-04T13:00",  # 23:59 / 00:00 AEDT, Sat-Sun 5 April
        "2026-04-04T15:30",
        "2026-04-04T16:30",  # 02:30 AEDT, then 02:30 AEST (the repeated hour)
        "2026-04-05T13:59",
        "2026-04-05T14:00",  # 23:59 AEST Sunday / 00:00 Monday 6 April
        "2026-10-03T15:59",
        "2026-10-03T16:00",  # 01:59 AEST / 03:00 AEDT (the skipped hour)
    ],
    "acme": [
        "2026-03-08T06:59",
        "2026-03-08T07:00",  # 01:59 EST / 03:00 EDT (the skipped hour)
        "2026-03-09T03:59",
        "2026-03-09T04:00",  # 23:59 Sun / 00:00 Mon 9 March EDT
        "2026-11-01T05:30",
        "2026-11-01T06:30",  # 01:30 EDT, then 01:30 EST (the repeated hour)
    ],
}


def _random_times(
    rng: random.Random, start: str, days: int, count: int, gap: tuple[int, int]
) -> list[datetime]:
    """`count` instants in `days` after `start`, none in the days `gap` (empty buckets)."""
    base, found = utc(start), []
    while len(found) < count:
        offset = rng.randrange(days * 86400)
        if not gap[0] * 86400 <= offset < gap[1] * 86400:
            found.append(base + timedelta(seconds=offset))
    return found


async def seed(conn: Any) -> Dataset:
    data, rng = Dataset(), random.Random(17)
    demo = await f.account(conn, "demo")
    other = await f.account(conn, "other")
    companies = {
        "bravo": await f.company(conn, demo, "Bravo", time_zone=SYDNEY, default_region="AU"),
        "acme": await f.company(conn, demo, "Acme", time_zone=NEW_YORK),
    }
    foreign = await f.company(conn, other, "Foreign", time_zone=SYDNEY)
    data.pks.update(companies, foreign=foreign)
    sources, numbers = {}, {}
    for name, company in companies.items():
        for i in range(2):
            sources[f"{name}-s{i}"] = await f.source(conn, demo, company, f"{name} source {i}")
            numbers[f"{name}-n{i}"] = await f.number(
                conn, demo, company, f"+1404555{ord(name[0]):03d}{i}"
            )
    callers = [await f.caller(conn, demo, f"+6140000000{i}") for i in range(6)]
    data.pks.update(sources, **numbers)
    data.pks.update({f"caller{i}": pk for i, pk in enumerate(callers)})
    for name, pk in data.pks.items():
        kind = (
            "Company"
            if name in ("bravo", "acme", "foreign")
            else "Source"
            if "-s" in name
            else "Number"
            if "-n" in name
            else "Caller"
        )
        data.ids[name] = encode_global_id(kind, pk)
    times = {
        "bravo": _random_times(rng, "2026-03-20T00:00", 50, 110, (20, 23))
        + [utc(t) for t in EDGES["bravo"]],
        "acme": _random_times(rng, "2026-02-25T00:00", 30, 60, (14, 16))
        + [utc(t) for t in EDGES["acme"]],
    }
    times["bravo"] += [utc("2025-12-31T12:00"), utc("2026-07-01T03:00")]  # other quarters and years
    firsts: set[tuple[str, int]] = set()
    for name in ("bravo", "acme"):
        for index, started in enumerate(sorted(times[name])):
            await _call(
                conn, data, rng, demo, name, companies[name], index, started, callers, firsts
            )
    await f.call(conn, other, foreign, "foreign-1", started_at=utc("2026-04-05T01:00"))
    await _leads(conn, data, rng, demo, companies, sources, other, foreign)
    return data


async def _call(
    conn: Any,
    data: Dataset,
    rng: random.Random,
    demo: int,
    name: str,
    company: int,
    index: int,
    started: datetime,
    callers: list[int],
    firsts: set[Any],
) -> None:
    caller = None if rng.random() < 0.15 else rng.choice(callers)
    first = caller is not None and (name, caller) not in firsts
    if caller is not None:
        firsts.add((name, caller))
    attribution = rng.choice(ATTRIBUTION)
    place = rng.choice(CITIES)
    disposition = rng.choice(DISPOSITIONS)
    source = rng.choice([f"{name}-s0", f"{name}-s1", None])
    number = rng.choice([f"{name}-n0", f"{name}-n1"])
    row = {
        "company": name,
        "started_at": started,
        "disposition": disposition,
        "duration_seconds": rng.randrange(1, 600) if disposition == "ANSWERED" else 0,
        "caller_id": caller,
        "is_first_call": first,
        "source": source,
        "number": number,
        "attribution_source": attribution[0] if attribution else None,
        "attribution_medium": attribution[1] if attribution else None,
        "attribution_campaign": attribution[2] if attribution else None,
        "attribution_content": rng.choice(["ad-a", "ad-b", None]),
        "traffic_type": rng.choice(["CAMPAIGN", "ORGANIC", "DIRECT", None]),
        "keywords": rng.choice(["plumber", "emergency plumber", None]),
        "landing_uri": rng.choice(["https://x.test/", "https://x.test/offer", None]),
        "caller_country_code": place[0] if place else None,
        "caller_region": place[1] if place else None,
        "caller_city": place[2] if place else None,
    }
    stored = {k: v for k, v in row.items() if k not in ("company", "source", "number")}
    await f.call(
        conn,
        demo,
        data.pks[name],
        f"{name}-{index}",
        source_id=data.pks.get(source) if source else None,
        number_id=data.pks[number],
        **stored,
    )
    data.calls.append(row)


async def _leads(
    conn: Any,
    data: Dataset,
    rng: random.Random,
    demo: int,
    companies: dict[str, int],
    sources: dict[str, int],
    other: int,
    foreign: int,
) -> None:
    for index, created in enumerate(
        sorted(_random_times(rng, "2026-03-25T00:00", 40, 80, (10, 12)))
    ):
        name = rng.choice(["bravo", "acme"])
        source = rng.choice([f"{name}-s0", f"{name}-s1", None])
        revenue = Decimal(rng.randrange(0, 50000)) / 100
        row = {
            "company": name,
            "source": source,
            "created_at": created,
            "offer_id": rng.choice(["offer-1", "offer-2", None]),
            "buyer_id": rng.choice(["buyer-1", "buyer-2", "buyer-3"]),
            "traffic_source_id": rng.choice(["ts-1", "ts-2"]),
            "status": rng.choice(["new", "sold", "rejected"]),
            "schedule_id": rng.choice(["sched-1", None]),
            "buyer_converted": rng.random() < 0.4,
            "offer_converted": rng.random() < 0.3,
            "opt_out": rng.random() < 0.1,
            "revenue": revenue,
            "payout": (revenue * Decimal("0.6")).quantize(Decimal("0.0001")),
        }
        stored = {k: v for k, v in row.items() if k not in ("company", "source")}
        await f.lead(
            conn,
            demo,
            companies[name],
            f"lead-{index}",
            updated_at=created,
            source_id=sources.get(source) if source else None,
            **stored,
        )
        data.leads.append(row)
    await f.lead(
        conn,
        other,
        foreign,
        "foreign-lead",
        created_at=utc("2026-04-05T01:00"),
        updated_at=utc("2026-04-05T01:00"),
        revenue=Decimal("999"),
    )


def call_metrics(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    rows = list(rows)
    calls = len(rows)
    answered = sum(r["disposition"] == "ANSWERED" for r in rows)
    duration = sum(r["duration_seconds"] for r in rows)
    return {
        "calls": calls,
        "answered": answered,
        "missed": sum(r["disposition"] in ("BUSY", "NO_ANSWER", "FAILED") for r in rows),
        "ivr": sum(r["disposition"] == "IVR" for r in rows),
        "firstTimeCallers": sum(r["is_first_call"] and r["caller_id"] is not None for r in rows),
        "repeatCalls": sum(not r["is_first_call"] and r["caller_id"] is not None for r in rows),
        "anonymous": sum(r["caller_id"] is None for r in rows),
        "totalDurationSeconds": duration,
        "averageDurationSeconds": duration / calls if calls else None,
        "answerRate": answered / calls if calls else None,
        "distinctCallers": len({r["caller_id"] for r in rows if r["caller_id"] is not None}),
    }


def money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.0001'))}"


def lead_metrics(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    rows = list(rows)
    revenue = sum((r["revenue"] for r in rows), Decimal(0))
    payout = sum((r["payout"] for r in rows), Decimal(0))
    return {
        "leads": len(rows),
        "buyerConverted": sum(r["buyer_converted"] for r in rows),
        "offerConverted": sum(r["offer_converted"] for r in rows),
        "eitherConverted": sum(r["buyer_converted"] or r["offer_converted"] for r in rows),
        "optedOut": sum(r["opt_out"] for r in rows),
        "revenue": money(revenue),
        "payout": money(payout),
        "profit": money(revenue - payout),
    }


def local(instant: datetime, zone: str) -> datetime:
    return instant.astimezone(ZoneInfo(zone))


def period(instant: datetime, zone: str, interval: str) -> Any:
    """The local period an instant falls in, named independently of the API's buckets."""
    moment = local(instant, zone)
    day = moment.date()
    if interval == "HOUR":
        return (moment.replace(minute=0, second=0, microsecond=0, tzinfo=None), moment.utcoffset())
    if interval == "DAY":
        return day
    if interval == "WEEK":
        return day - timedelta(days=day.weekday())
    if interval == "MONTH":
        return date(day.year, day.month, 1)
    if interval == "QUARTER":
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return date(day.year, 1, 1)


def bucket_period(bucket: dict[str, Any], interval: str) -> Any:
    start = datetime.fromisoformat(bucket["start"])
    if interval == "HOUR":
        return (start.replace(tzinfo=None), start.utcoffset())
    return start.date()


def grouped(
    rows: Iterable[dict[str, Any]], key: Callable[[dict[str, Any]], Any]
) -> dict[Any, list[Any]]:
    groups: dict[Any, list[Any]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return groups
