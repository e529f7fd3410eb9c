"""The floor: each reference query's response built by hand-written SQL and orjson.

One joined statement per list (related rows and caller call counts come from joins and
correlated subqueries), one COUNT when totalCount is asked, no GraphQL, the database drivers
themselves (benchkit.rawdb). The same handlers run in the benchmark process and behind a
minimal HTTP app (benchkit.floor_http). Their JSON must equal the API's byte for byte (bench.py
checks it once per query), so ids, cursors and scalars are encoded as the API encodes them."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import orjson

from app.core.ids import decode_global_id, encode_global_id
from app.graphql.connection import issuer_of
from app.graphql.cursors import decode_cursor, encode_cursor
from app.graphql.entities import CALL
from app.graphql.enums import CallOrder
from app.models import Call
from app.models.columns import MONEY_SCALE

from . import floor_stats
from .queries import BenchQuery
from .rawdb import Database

CALL_ISSUER = issuer_of(CALL, CallOrder.STARTED_AT_DESC)
CALL_STARTED_AT = Call.__table__.c.started_at  # type: ignore[attr-defined]
CENT = Decimal("0.0001")
SQLITE_FORMAT = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores DateTime on SQLite

CALL_PAGE = """
SELECT c.id, c.started_at, c.duration_seconds, c.disposition, c.caller_city, c.prompt_keys,
       c.is_first_call, c.attribution_source, c.attribution_medium, c.attribution_campaign,
       c.attribution_content, c.recording_url, c.caller_id, cr.e164 AS caller_e164,
       (SELECT count(*) FROM "call" x WHERE x.caller_id = c.caller_id) AS caller_calls,
       c.number_id, n.e164 AS number_e164, n.friendly_name, n.number_type, n.source_id,
       s.name AS source_name, co.name AS company_name
FROM (SELECT * FROM "call" WHERE account_id = :account AND company_id = :company {after}
      ORDER BY started_at DESC, id DESC LIMIT :limit) AS c
LEFT JOIN caller cr ON cr.id = c.caller_id
LEFT JOIN "number" n ON n.id = c.number_id
LEFT JOIN source s ON s.id = n.source_id
LEFT JOIN company co ON co.id = n.company_id
ORDER BY c.started_at DESC, c.id DESC"""
CALL_COUNT = 'SELECT count(*) FROM "call" WHERE account_id = :account AND company_id = :company'
MISSED_WHERE = """account_id = :account AND company_id = :company
  AND started_at >= :since AND started_at < :until
  AND disposition IN ('BUSY', 'NO_ANSWER', 'FAILED')
  AND attribution_source IN ('google') AND attribution_medium IN ('cpc')
  AND is_first_call AND caller_id IS NOT NULL"""
MISSED_PAGE = f"""
SELECT c.id, c.started_at, c.disposition, c.caller_id, cr.e164 AS caller_e164,
       c.number_id, n.e164 AS number_e164
FROM (SELECT id, started_at, disposition, caller_id, number_id FROM "call" WHERE {MISSED_WHERE}
      ORDER BY started_at DESC, id DESC LIMIT 50) AS c
LEFT JOIN caller cr ON cr.id = c.caller_id
LEFT JOIN "number" n ON n.id = c.number_id
ORDER BY c.started_at DESC, c.id DESC"""
MISSED_COUNT = f'SELECT count(*) FROM "call" WHERE {MISSED_WHERE}'
VENDORS = {
    "sqlite": "SELECT group_concat(DISTINCT vendor) FROM number_link l WHERE l.number_id = n.id",
    "postgresql": "SELECT string_agg(DISTINCT vendor, ',') FROM number_link l WHERE l.number_id = n.id",
}
NUMBERS_PAGE = """
SELECT n.id, n.e164, n.friendly_name, n.number_type, n.has_voice, n.has_sms, n.has_mms, n.status,
       n.provider, n.assigned, ({vendors}) AS vendors, n.source_id, s.name AS source_name,
       s.tracking_type, co.name AS company_name
FROM (SELECT * FROM "number" WHERE account_id = :account AND has_voice AND has_sms
      ORDER BY e164, id LIMIT 250) AS n
LEFT JOIN source s ON s.id = n.source_id
LEFT JOIN company co ON co.id = n.company_id
ORDER BY n.e164, n.id"""
NUMBERS_COUNT = 'SELECT count(*) FROM "number" WHERE account_id = :account AND has_voice AND has_sms'
LEADS_PAGE = """
SELECT l.id, l.name, l.email, l.caller_id, cr.e164 AS caller_e164, l.status, l.human_status,
       l.offer_id, l.buyer_id, l.revenue, l.payout, l.buyer_converted, l.next_action_at
FROM (SELECT * FROM lead WHERE account_id = :account AND has_next_action
      ORDER BY next_action_at ASC NULLS LAST, id ASC LIMIT 100) AS l
LEFT JOIN caller cr ON cr.id = l.caller_id
ORDER BY l.next_action_at ASC NULLS LAST, l.id ASC"""
COMPANY = "SELECT name, time_zone FROM company WHERE account_id = :account AND id = :company"
COMPANY_SOURCES = """
WITH s AS (SELECT id, name, tracking_type, disabled_at FROM source
           WHERE account_id = :account AND company_id = :company ORDER BY name, id LIMIT 10),
     n AS (SELECT source_id, e164, row_number() OVER (PARTITION BY source_id ORDER BY e164, id) AS rn
           FROM "number" WHERE account_id = :account AND source_id IN (SELECT id FROM s))
SELECT s.id, s.name, s.tracking_type, s.disabled_at IS NULL AS enabled, n.e164
FROM s LEFT JOIN n ON n.source_id = s.id AND n.rn <= 5
ORDER BY s.name, s.id, n.rn"""
TODAY_WHERE = """account_id = :account AND company_id = :company
  AND started_at >= :since AND started_at < :until"""
COMPANY_CALLS = f"""
SELECT c.started_at, c.caller_id, cr.e164 AS caller_e164
FROM (SELECT started_at, id, caller_id FROM "call" WHERE {TODAY_WHERE}
      ORDER BY started_at DESC, id DESC LIMIT 5) AS c
LEFT JOIN caller cr ON cr.id = c.caller_id
ORDER BY c.started_at DESC, c.id DESC"""
COMPANY_LEADS = """
SELECT name, revenue FROM lead WHERE account_id = :account AND company_id = :company AND buyer_converted
ORDER BY created_at DESC, id DESC LIMIT 5"""
BY_IDS = {
    "Call": 'SELECT id, started_at, disposition FROM "call" WHERE account_id = :account AND id {in_ids}',
    "Number": 'SELECT id, e164 FROM "number" WHERE account_id = :account AND id {in_ids}',
    "Lead": "SELECT id, name FROM lead WHERE account_id = :account AND id {in_ids}",
    "Company": "SELECT id FROM company WHERE account_id = :account AND id {in_ids}",
    "Caller": "SELECT id FROM caller WHERE account_id = :account AND id {in_ids}",
    "Source": "SELECT id FROM source WHERE account_id = :account AND id {in_ids}",
}
IN_IDS = {"postgresql": "= ANY(:ids)", "sqlite": "IN (SELECT value FROM json_each(:ids))"}


def statements(dialect: str) -> dict[str, str]:
    """Every statement the floor runs, written for `dialect`."""
    sql = {
        "call_page": CALL_PAGE.format(after=""),
        "call_page_after": CALL_PAGE.format(after="AND (started_at, id) < (:value, :pk)"),
        "call_count": CALL_COUNT, "missed_page": MISSED_PAGE, "missed_count": MISSED_COUNT,
        "numbers_page": NUMBERS_PAGE.format(vendors=VENDORS[dialect]), "numbers_count": NUMBERS_COUNT,
        "leads_page": LEADS_PAGE, "company": COMPANY, "company_sources": COMPANY_SOURCES,
        "company_calls": COMPANY_CALLS, "company_count": f'SELECT count(*) FROM "call" WHERE {TODAY_WHERE}',
        "company_leads": COMPANY_LEADS,
        "deep_cursor": 'SELECT started_at, id FROM "call" WHERE account_id = :account AND company_id = :company '
                       "ORDER BY started_at DESC, id DESC LIMIT 1 OFFSET :offset",
    }
    sql.update({kind: text.format(in_ids=IN_IDS[dialect]) for kind, text in BY_IDS.items()})
    return sql


def _money(units: int) -> str:
    return str((Decimal(units) / MONEY_SCALE).quantize(CENT))


def _capabilities(row: Any) -> list[str]:
    flags = (("VOICE", row["has_voice"]), ("SMS", row["has_sms"]), ("MMS", row["has_mms"]))
    return [name for name, present in flags if present]


def local_midnight(now: datetime, zone: str, *, week: bool = False) -> datetime:
    """00:00 today (or on this week's Monday) in `zone`, as the API's TODAY and THIS_WEEK
    labels resolve it."""
    local = now.astimezone(ZoneInfo(zone)).date()
    day = local - timedelta(days=local.weekday()) if week else local
    return datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(zone)).astimezone(UTC)


class Floor:
    """Hand-written SQL for the reference queries over one database and account; `answer`
    takes the body the API gets and returns the JSON bytes."""

    def __init__(self, db: Database, *, account_id: int, company_id: int) -> None:
        self.db, self.account, self.company = db, account_id, company_id
        self.sqlite = db.dialect == "sqlite"
        self.sql = statements(db.dialect)
        self.stats_sql = floor_stats.statements(db.dialect)

    @classmethod
    async def open(cls, url: str, *, account_id: int, company_id: int) -> "Floor":
        return cls(await Database.open(url), account_id=account_id, company_id=company_id)

    async def close(self) -> None:
        await self.db.close()

    def when(self, value: Any) -> datetime | None:
        """A timestamp column as the API returns it (aware UTC)."""
        if value is None or not self.sqlite:
            return value  # type: ignore[no-any-return]
        return datetime.fromisoformat(value).replace(tzinfo=UTC)

    def bind_time(self, value: datetime) -> Any:
        return value.astimezone(UTC).strftime(SQLITE_FORMAT) if self.sqlite else value

    def bind_ids(self, pks: list[int]) -> Any:
        return orjson.dumps(pks).decode() if self.sqlite else pks

    def answer(self, body: dict[str, Any]) -> Awaitable[bytes]:
        """The response to a GraphQL request body: the operation is named by the document's
        first line, totalCount is wanted when the document asks for it."""
        document, variables = body["query"], body.get("variables") or {}
        op = document.split("(")[0].split()[-1]
        count = "totalCount" in document
        if op == "CallLog":
            return self.call_log(count=count, after=variables.get("after"))
        if op == "MissedCallsThisWeek":
            return self.missed_calls(count=count)
        if op == "Numbers":
            return self.numbers(count=count)
        if op == "LeadGrid":
            return self.lead_grid()
        if op == "Refetch":
            return self.refetch(variables["ids"])
        if op == "Company":
            return self.company_node(variables["id"], count=count)
        if op in ("DailyDashboard", "SourceLeaderboard"):
            return self.stats(op)
        raise ValueError(f"no floor for {op}")

    async def stats(self, op: str) -> bytes:
        """Q7 and Q8, over last month in the company's zone (floor_stats)."""
        async with self.db.connection() as conn:
            rows = await conn.fetch(self.sql["company"], {"account": self.account, "company": self.company})
        zone, now = rows[0]["time_zone"], datetime.now(UTC)
        if op == "DailyDashboard":
            return await floor_stats.daily_dashboard(self, zone, now)
        return await floor_stats.source_leaderboard(self, zone, now, _money)

    def runner(self, query: BenchQuery) -> Callable[[], Awaitable[bytes]]:
        """The floor function producing `query`'s response."""
        body = query.body()
        return lambda: self.answer(body)

    async def deep_cursor(self, page: int, size: int = 50) -> tuple[str | None, int]:
        """The `after` cursor that starts page `page` of the call log (clamped to the last page)."""
        async with self.db.connection() as conn:
            total = await self._count(conn, "call_count", self._ids())
            page = max(1, min(page, (total + size - 1) // size))
            if page == 1:
                return None, 1
            rows = await conn.fetch(self.sql["deep_cursor"], {**self._ids(), "offset": (page - 1) * size - 1})
        return encode_cursor(issuer=CALL_ISSUER, value=self.when(rows[0][0]), pk=rows[0][1]), page

    def _ids(self) -> dict[str, int]:
        return {"account": self.account, "company": self.company}

    async def _count(self, conn: Any, name: str, params: dict[str, Any]) -> int:
        return int((await conn.fetch(self.sql[name], params))[0][0])

    async def call_log(self, *, count: bool, after: str | None) -> bytes:
        params: dict[str, Any] = {**self._ids(), "limit": 51}
        if after:
            value, pk = decode_cursor(
                after, issuer=CALL_ISSUER, argument="after", column=CALL_STARTED_AT
            )
            params.update(value=self.bind_time(value), pk=pk)
        async with self.db.connection() as conn:
            rows = await conn.fetch(self.sql["call_page_after" if after else "call_page"], params)
            total = await self._count(conn, "call_count", self._ids()) if count else None
        edges = []
        for row in rows[:50]:
            started = self.when(row["started_at"])
            number = None if row["number_id"] is None else {
                "e164": row["number_e164"], "friendlyName": row["friendly_name"], "type": row["number_type"],
                "source": None if row["source_id"] is None else {"name": row["source_name"]},
                "company": {"name": row["company_name"]},
            }
            prompts = row["prompt_keys"]
            edges.append({"cursor": encode_cursor(issuer=CALL_ISSUER, value=started, pk=row["id"]), "node": {
                "id": encode_global_id("Call", row["id"]), "startedAt": started,
                "durationSeconds": row["duration_seconds"], "disposition": row["disposition"],
                "caller": None if row["caller_id"] is None else {
                    "e164": row["caller_e164"], "callCount": row["caller_calls"]},
                "callerCity": row["caller_city"],
                "promptKeys": prompts.split(",") if prompts else None,
                "isFirstCall": bool(row["is_first_call"]),
                "attribution": {"source": row["attribution_source"], "medium": row["attribution_medium"],
                                "campaign": row["attribution_campaign"], "content": row["attribution_content"]},
                "recordingUrl": row["recording_url"], "number": number,
            }})
        calls: dict[str, Any] = {} if total is None else {"totalCount": total}
        calls["pageInfo"] = {"hasNextPage": len(rows) > 50,
                             "endCursor": edges[-1]["cursor"] if edges else None}
        calls["edges"] = edges
        return orjson.dumps({"data": {"calls": calls}})

    async def missed_calls(self, *, count: bool) -> bytes:
        now = datetime.now(UTC)
        params = {**self._ids(), "since": self.bind_time(local_midnight(now, "Australia/Sydney", week=True)),
                  "until": self.bind_time(now)}
        async with self.db.connection() as conn:
            rows = await conn.fetch(self.sql["missed_page"], params)
            total = await self._count(conn, "missed_count", params) if count else None
        nodes = [{
            "id": encode_global_id("Call", row["id"]), "startedAt": self.when(row["started_at"]),
            "disposition": row["disposition"],
            "caller": None if row["caller_id"] is None else {"e164": row["caller_e164"]},
            "number": None if row["number_id"] is None else {"e164": row["number_e164"]},
        } for row in rows]
        calls: dict[str, Any] = {} if total is None else {"totalCount": total}
        calls["nodes"] = nodes
        return orjson.dumps({"data": {"calls": calls}})

    async def numbers(self, *, count: bool) -> bytes:
        params = {"account": self.account}
        async with self.db.connection() as conn:
            rows = await conn.fetch(self.sql["numbers_page"], params)
            total = await self._count(conn, "numbers_count", params) if count else None
        nodes = [{
            "id": encode_global_id("Number", row["id"]), "e164": row["e164"],
            "friendlyName": row["friendly_name"], "type": row["number_type"],
            "capabilities": _capabilities(row), "status": row["status"], "provider": row["provider"],
            "assigned": None if row["assigned"] is None else bool(row["assigned"]),
            "vendors": sorted(row["vendors"].split(",")) if row["vendors"] else [],
            "source": None if row["source_id"] is None else {
                "name": row["source_name"], "trackingType": row["tracking_type"]},
            "company": {"name": row["company_name"]},
        } for row in rows]
        numbers: dict[str, Any] = {} if total is None else {"totalCount": total}
        numbers["nodes"] = nodes
        return orjson.dumps({"data": {"numbers": numbers}})

    async def lead_grid(self) -> bytes:
        async with self.db.connection() as conn:
            rows = await conn.fetch(self.sql["leads_page"], {"account": self.account})
        nodes = [{
            "id": encode_global_id("Lead", row["id"]), "name": row["name"], "email": row["email"],
            "caller": None if row["caller_id"] is None else {"e164": row["caller_e164"]},
            "status": row["status"], "humanStatus": row["human_status"], "offerId": row["offer_id"],
            "buyerId": row["buyer_id"], "revenue": _money(row["revenue"]), "payout": _money(row["payout"]),
            "buyerConverted": bool(row["buyer_converted"]), "nextActionAt": self.when(row["next_action_at"]),
        } for row in rows]
        return orjson.dumps({"data": {"leads": {"nodes": nodes}}})

    async def refetch(self, ids: list[str]) -> bytes:
        wanted: dict[str, list[int]] = {}
        for global_id in ids:
            kind, pk = decode_global_id(global_id)
            wanted.setdefault(kind, []).append(pk)
        found: dict[tuple[str, int], dict[str, Any]] = {}
        async with self.db.connection() as conn:
            for kind, pks in wanted.items():
                rows = await conn.fetch(self.sql[kind], {"account": self.account, "ids": self.bind_ids(pks)})
                for row in rows:
                    node: dict[str, Any] = {"id": encode_global_id(kind, row["id"]), "__typename": kind}
                    if kind == "Call":
                        node.update(startedAt=self.when(row["started_at"]), disposition=row["disposition"])
                    elif kind == "Number":
                        node["e164"] = row["e164"]
                    elif kind == "Lead":
                        node["name"] = row["name"]
                    found[kind, row["id"]] = node
        nodes = [found.get(decode_global_id(i)) for i in ids]
        return orjson.dumps({"data": {"nodes": nodes}})

    async def company_node(self, global_id: str, *, count: bool) -> bytes:
        """The Company document: the company, its first sources with their first numbers,
        today's calls (in its time zone) and its converted leads."""
        kind, pk = decode_global_id(global_id)
        params: dict[str, Any] = {"account": self.account, "company": pk}
        async with self.db.connection() as conn:
            found = await conn.fetch(self.sql["company"], params) if kind == "Company" else []
            if not found:
                return orjson.dumps({"data": {"node": None}})
            name, zone = found[0]["name"], found[0]["time_zone"]
            now = datetime.now(UTC)
            params.update(since=self.bind_time(local_midnight(now, zone)), until=self.bind_time(now))
            source_rows = await conn.fetch(self.sql["company_sources"], params)
            call_rows = await conn.fetch(self.sql["company_calls"], params)
            total = await self._count(conn, "company_count", params) if count else None
            lead_rows = await conn.fetch(self.sql["company_leads"], params)
        sources: dict[int, dict[str, Any]] = {}
        for row in source_rows:
            source = sources.get(row["id"])
            if source is None:
                source = sources[row["id"]] = {"name": row["name"], "trackingType": row["tracking_type"],
                                               "enabled": bool(row["enabled"]), "numbers": {"nodes": []}}
            if row["e164"] is not None:
                source["numbers"]["nodes"].append({"e164": row["e164"]})
        calls: dict[str, Any] = {} if total is None else {"totalCount": total}
        calls["nodes"] = [{
            "startedAt": self.when(row["started_at"]),
            "caller": None if row["caller_id"] is None else {"e164": row["caller_e164"]},
        } for row in call_rows]
        leads = [{"name": row["name"], "revenue": _money(row["revenue"])} for row in lead_rows]
        return orjson.dumps({"data": {"node": {
            "name": name, "timeZone": zone, "sources": {"nodes": list(sources.values())},
            "calls": calls, "leads": {"nodes": leads},
        }}})
