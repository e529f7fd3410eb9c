"""The floors of Q7 (daily dashboard) and Q8 (source/campaign leaderboard): hand-written GROUP BY
statements, the local days computed as one would by hand (PostgreSQL's AT TIME ZONE; on SQLite,
which has no zone database, the UTC offset before and after the month's one DST change)."""

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import orjson

from app.core.ids import encode_global_id

WHERE = (
    "account_id = :account AND company_id = :company AND {column} >= :since AND {column} < :until"
)
DASHBOARD_TOTALS = f"""
SELECT count(*) AS calls,
       coalesce(sum(CASE WHEN disposition = 'ANSWERED' THEN 1 ELSE 0 END), 0) AS answered,
       coalesce(sum(CASE WHEN disposition IN ('BUSY', 'NO_ANSWER', 'FAILED') THEN 1 ELSE 0 END), 0) AS missed,
       coalesce(sum(CASE WHEN is_first_call AND caller_id IS NOT NULL THEN 1 ELSE 0 END), 0) AS firsts,
       coalesce(sum(duration_seconds), 0) AS duration, count(DISTINCT caller_id) AS callers
FROM "call" WHERE {WHERE.format(column="started_at")}"""
LOCAL_DAY = {
    "postgresql": "(started_at AT TIME ZONE :zone)::date - DATE '1970-01-01'",
    "sqlite": "(CAST(strftime('%s', started_at) AS INTEGER) + "
    "CASE WHEN started_at < :change THEN :before ELSE :after END) / 86400",
}
DASHBOARD_DAYS = """
SELECT disposition, {day} AS day, count(*) AS calls, sum(duration_seconds) AS duration
FROM "call" WHERE {where} GROUP BY disposition, day"""
LEADERBOARD_CALLS = """
SELECT c.source_id, c.attribution_campaign, s.name, count(*) AS calls,
       sum(CASE WHEN c.disposition = 'ANSWERED' THEN 1 ELSE 0 END) AS answered,
       sum(CASE WHEN c.is_first_call AND c.caller_id IS NOT NULL THEN 1 ELSE 0 END) AS firsts
FROM "call" c LEFT JOIN source s ON s.id = c.source_id AND s.account_id = c.account_id
WHERE c.account_id = :account AND c.company_id = :company AND c.started_at >= :since AND c.started_at < :until
GROUP BY c.source_id, c.attribution_campaign, s.name
ORDER BY calls DESC, c.source_id ASC NULLS LAST, c.attribution_campaign ASC NULLS LAST LIMIT 10"""
LEADERBOARD_LEADS = """
SELECT l.source_id, s.name, count(*) AS leads,
       sum(CASE WHEN l.buyer_converted OR l.offer_converted THEN 1 ELSE 0 END) AS either,
       sum(l.revenue) AS revenue, sum(l.payout) AS payout
FROM lead l LEFT JOIN source s ON s.id = l.source_id AND s.account_id = l.account_id
WHERE l.account_id = :account AND l.company_id = :company AND l.created_at >= :since AND l.created_at < :until
GROUP BY l.source_id, s.name ORDER BY revenue DESC, l.source_id ASC NULLS LAST LIMIT 10"""
LEAD_TOTALS = f"""
SELECT count(*) AS leads, coalesce(sum(revenue), 0) AS revenue, coalesce(sum(payout), 0) AS payout
FROM lead WHERE {WHERE.format(column="created_at")}"""


def statements(dialect: str) -> dict[str, str]:
    where = WHERE.format(column="started_at")
    return {
        "dashboard_totals": DASHBOARD_TOTALS,
        "dashboard_days": DASHBOARD_DAYS.format(day=LOCAL_DAY[dialect], where=where),
        "leaderboard_calls": LEADERBOARD_CALLS,
        "leaderboard_leads": LEADERBOARD_LEADS,
        "lead_totals": LEAD_TOTALS,
    }


def last_month(zone: str, now: datetime) -> list[date]:
    """The local days of last month (LAST_MONTH), and the first day of this month."""
    today = now.astimezone(ZoneInfo(zone)).date()
    this_month = today.replace(day=1)
    day = (this_month - timedelta(days=1)).replace(day=1)
    days = []
    while day <= this_month:
        days.append(day)
        day += timedelta(days=1)
    return days


def midnight(day: date, zone: str) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def sqlite_offsets(days: list[date], zone: str) -> dict[str, Any]:
    """The month's UTC offsets: before and after its DST change (or the same twice)."""
    edges = [midnight(d, zone) for d in days]
    offsets = [int(e.astimezone(ZoneInfo(zone)).utcoffset().total_seconds()) for e in edges]  # type: ignore[union-attr]
    change = edges[-1]
    for previous, following, edge in zip(offsets, offsets[1:], edges[1:], strict=False):
        if previous != following:  # the change happened during the day before `edge`
            low = edge - timedelta(days=1)
            while (edge - low) > timedelta(seconds=1):
                middle = low + (edge - low) / 2
                shifted = int(middle.astimezone(ZoneInfo(zone)).utcoffset().total_seconds())  # type: ignore[union-attr]
                low, edge = (middle, edge) if shifted == previous else (low, middle)
            change = edge.replace(microsecond=0)
            break
    return {"change": change, "before": offsets[0], "after": offsets[-1]}


async def daily_dashboard(floor: Any, zone: str, now: datetime) -> bytes:
    days = last_month(zone, now)
    params: dict[str, Any] = {
        "account": floor.account,
        "company": floor.company,
        "since": floor.bind_time(midnight(days[0], zone)),
        "until": floor.bind_time(midnight(days[-1], zone)),
    }
    extra = {"zone": zone} if not floor.sqlite else sqlite_offsets(days, zone)
    if floor.sqlite:
        extra["change"] = floor.bind_time(extra["change"])
    async with floor.db.connection() as conn:
        totals = (await conn.fetch(floor.stats_sql["dashboard_totals"], params))[0]
        cells = await conn.fetch(floor.stats_sql["dashboard_days"], {**params, **extra})
    calls = int(totals["calls"])
    by_group: dict[str, int] = {}
    found: dict[tuple[str, int], Any] = {}
    for row in cells:
        by_group[row["disposition"]] = by_group.get(row["disposition"], 0) + int(row["calls"])
        found[row["disposition"], int(row["day"])] = row
    ranked = sorted(by_group, key=lambda d: (-by_group[d], d))
    epoch = date(1970, 1, 1)
    buckets = [
        (
            (d - epoch).days,
            {
                "start": midnight(d, zone).astimezone(ZoneInfo(zone)).isoformat(),
                "from": midnight(d, zone),
                "to": midnight(d + timedelta(days=1), zone),
            },
        )
        for d in days[:-1]
    ]
    rows = []
    for disposition in ranked:
        for number, bucket in buckets:
            cell = found.get((disposition, number))
            rows.append(
                {
                    "disposition": disposition,
                    "bucket": bucket,
                    "metrics": {
                        "calls": int(cell["calls"]) if cell else 0,
                        "totalDurationSeconds": int(cell["duration"]) if cell else 0,
                    },
                }
            )
    duration, answered = int(totals["duration"]), int(totals["answered"])
    return orjson.dumps(
        {
            "data": {
                "callStats": {
                    "timeZone": zone,
                    "totals": {
                        "calls": calls,
                        "answered": answered,
                        "missed": int(totals["missed"]),
                        "firstTimeCallers": int(totals["firsts"]),
                        "averageDurationSeconds": duration / calls if calls else None,
                        "answerRate": answered / calls if calls else None,
                        "distinctCallers": int(totals["callers"]),
                    },
                    "rows": rows,
                }
            }
        }
    )


def _source(pk: int | None, name: str | None) -> dict[str, Any] | None:
    return None if pk is None else {"id": encode_global_id("Source", pk), "name": name}


async def source_leaderboard(floor: Any, zone: str, now: datetime, money: Any) -> bytes:
    days = last_month(zone, now)
    params: dict[str, Any] = {
        "account": floor.account,
        "company": floor.company,
        "since": floor.bind_time(midnight(days[0], zone)),
        "until": floor.bind_time(midnight(days[-1], zone)),
    }
    async with floor.db.connection() as conn:
        calls = await conn.fetch(floor.stats_sql["leaderboard_calls"], params)
        leads = await conn.fetch(floor.stats_sql["leaderboard_leads"], params)
        totals = (await conn.fetch(floor.stats_sql["lead_totals"], params))[0]
    call_rows = [
        {
            "source": _source(r["source_id"], r["name"]),
            "attributionCampaign": r["attribution_campaign"],
            "metrics": {
                "calls": int(r["calls"]),
                "answered": int(r["answered"]),
                "firstTimeCallers": int(r["firsts"]),
                "answerRate": int(r["answered"]) / int(r["calls"]),
            },
        }
        for r in calls
    ]
    lead_rows = [
        {
            "source": _source(r["source_id"], r["name"]),
            "metrics": {
                "leads": int(r["leads"]),
                "eitherConverted": int(r["either"]),
                "revenue": money(int(r["revenue"])),
                "profit": money(int(r["revenue"]) - int(r["payout"])),
            },
        }
        for r in leads
    ]
    revenue, payout = int(totals["revenue"]), int(totals["payout"])
    return orjson.dumps(
        {
            "data": {
                "callStats": {"rows": call_rows},
                "leadStats": {
                    "totals": {
                        "leads": int(totals["leads"]),
                        "revenue": money(revenue),
                        "payout": money(payout),
                        "profit": money(revenue - payout),
                    },
                    "rows": lead_rows,
                },
            }
        }
    )
