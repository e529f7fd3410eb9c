"""The floor: each reference query's response built by hand-written SQL and orjson.

One joined statement per list (related rows and caller call counts come from joins and
correlated subqueries), one COUNT when totalCount is asked, no GraphQL. The JSON must equal the
API's (bench.py checks it once per query), so ids, cursors and scalars are encoded as the API
encodes them."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import orjson
from sqlalchemy import bindparam, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.graphql.connection import scope_of
from app.graphql.cursors import decode_cursor, encode_cursor
from app.graphql.entities import CALL
from app.graphql.enums import CallOrder
from app.ids import decode_global_id, encode_global_id
from app.models.columns import MONEY_SCALE

from .queries import BenchQuery

CALL_SCOPE = scope_of(CALL, CallOrder.STARTED_AT_DESC)
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
BY_IDS = {
    "Call": 'SELECT id, started_at, disposition FROM "call" WHERE account_id = :account AND id IN :ids',
    "Number": 'SELECT id, e164 FROM "number" WHERE account_id = :account AND id IN :ids',
    "Lead": "SELECT id, name FROM lead WHERE account_id = :account AND id IN :ids",
    "Company": "SELECT id FROM company WHERE account_id = :account AND id IN :ids",
    "Caller": "SELECT id FROM caller WHERE account_id = :account AND id IN :ids",
    "Source": "SELECT id FROM source WHERE account_id = :account AND id IN :ids",
}
BY_IDS_SQL = {k: text(v).bindparams(bindparam("ids", expanding=True)) for k, v in BY_IDS.items()}
SQL = {name: text(sql) for name, sql in [
    ("call_count", CALL_COUNT), ("missed_page", MISSED_PAGE), ("missed_count", MISSED_COUNT),
    ("numbers_count", NUMBERS_COUNT), ("leads_page", LEADS_PAGE),
]}
CALL_SQL = {
    False: text(CALL_PAGE.format(after="")),
    True: text(CALL_PAGE.format(after="AND (started_at, id) < (:value, :pk)")),
}
NUMBERS_SQL = {dialect: text(NUMBERS_PAGE.format(vendors=v)) for dialect, v in VENDORS.items()}


def _money(units: int) -> str:
    return str((Decimal(units) / MONEY_SCALE).quantize(CENT))


def _capabilities(row: Any) -> list[str]:
    flags = (("VOICE", row.has_voice), ("SMS", row.has_sms), ("MMS", row.has_mms))
    return [name for name, present in flags if present]


def week_start(now: datetime, zone: str) -> datetime:
    """Monday 00:00 of this week in `zone`, as the API's THIS_WEEK label resolves it."""
    local = now.astimezone(ZoneInfo(zone)).date()
    monday = local - timedelta(days=local.weekday())
    return datetime(monday.year, monday.month, monday.day, tzinfo=ZoneInfo(zone)).astimezone(UTC)


class Floor:
    """Hand-written SQL for Q1-Q6 over one engine and account; each method returns JSON bytes."""

    def __init__(self, engine: AsyncEngine, *, account_id: int, company_id: int) -> None:
        self.engine, self.account, self.company = engine, account_id, company_id
        self.dialect = engine.dialect.name
        self.sqlite = self.dialect == "sqlite"

    def when(self, value: Any) -> datetime | None:
        """A timestamp column as the API returns it (aware UTC)."""
        if value is None or not self.sqlite:
            return value  # type: ignore[no-any-return]
        return datetime.fromisoformat(value).replace(tzinfo=UTC)

    def bind_time(self, value: datetime) -> Any:
        return value.astimezone(UTC).strftime(SQLITE_FORMAT) if self.sqlite else value

    def runner(self, query: BenchQuery) -> Callable[[], Awaitable[bytes]]:
        """The floor function producing `query`'s response."""
        variables = query.variables
        op = query.document.split("(")[0].split()[-1]
        if op == "CallLog":
            return lambda: self.call_log(count=query.count, after=variables.get("after"))
        if op == "MissedCallsThisWeek":
            return lambda: self.missed_calls(count=query.count)
        if op == "Numbers":
            return lambda: self.numbers(count=query.count)
        if op == "LeadGrid":
            return self.lead_grid
        if op == "Refetch":
            return lambda: self.refetch(variables["ids"])
        raise ValueError(f"no floor for {op}")

    async def deep_cursor(self, page: int, size: int = 50) -> tuple[str | None, int]:
        """The `after` cursor that starts page `page` of the call log (clamped to the last page)."""
        async with self.engine.connect() as conn:
            total = (await conn.execute(SQL["call_count"], self._ids())).scalar_one()
            page = max(1, min(page, (total + size - 1) // size))
            if page == 1:
                return None, 1
            row = (await conn.execute(text(
                'SELECT started_at, id FROM "call" WHERE account_id = :account AND company_id = :company '
                "ORDER BY started_at DESC, id DESC LIMIT 1 OFFSET :offset"
            ), {**self._ids(), "offset": (page - 1) * size - 1})).one()
        return encode_cursor(scope=CALL_SCOPE, value=self.when(row[0]), pk=row[1]), page

    def _ids(self) -> dict[str, int]:
        return {"account": self.account, "company": self.company}

    async def _count(self, conn: AsyncConnection, name: str, params: dict[str, Any]) -> int:
        return int((await conn.execute(SQL[name], params)).scalar_one())

    async def call_log(self, *, count: bool, after: str | None) -> bytes:
        params: dict[str, Any] = {**self._ids(), "limit": 51}
        if after:
            value, pk = decode_cursor(after, scope=CALL_SCOPE, argument="after")
            params.update(value=self.bind_time(value), pk=pk)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(CALL_SQL[bool(after)], params)).all()
            total = await self._count(conn, "call_count", self._ids()) if count else None
        edges = []
        for row in rows[:50]:
            started = self.when(row.started_at)
            number = None if row.number_id is None else {
                "e164": row.number_e164, "friendlyName": row.friendly_name, "type": row.number_type,
                "source": None if row.source_id is None else {"name": row.source_name},
                "company": {"name": row.company_name},
            }
            edges.append({"cursor": encode_cursor(scope=CALL_SCOPE, value=started, pk=row.id), "node": {
                "id": encode_global_id("Call", row.id), "startedAt": started,
                "durationSeconds": row.duration_seconds, "disposition": row.disposition,
                "caller": None if row.caller_id is None else {
                    "e164": row.caller_e164, "callCount": row.caller_calls},
                "callerCity": row.caller_city,
                "promptKeys": row.prompt_keys.split(",") if row.prompt_keys else None,
                "isFirstCall": bool(row.is_first_call),
                "attribution": {"source": row.attribution_source, "medium": row.attribution_medium,
                                "campaign": row.attribution_campaign, "content": row.attribution_content},
                "recordingUrl": row.recording_url, "number": number,
            }})
        calls: dict[str, Any] = {} if total is None else {"totalCount": total}
        calls["pageInfo"] = {"hasNextPage": len(rows) > 50,
                             "endCursor": edges[-1]["cursor"] if edges else None}
        calls["edges"] = edges
        return orjson.dumps({"data": {"calls": calls}})

    async def missed_calls(self, *, count: bool) -> bytes:
        now = datetime.now(UTC)
        params = {**self._ids(), "since": self.bind_time(week_start(now, "Australia/Sydney")),
                  "until": self.bind_time(now)}
        async with self.engine.connect() as conn:
            rows = (await conn.execute(SQL["missed_page"], params)).all()
            total = await self._count(conn, "missed_count", params) if count else None
        nodes = [{
            "id": encode_global_id("Call", row.id), "startedAt": self.when(row.started_at),
            "disposition": row.disposition,
            "caller": None if row.caller_id is None else {"e164": row.caller_e164},
            "number": None if row.number_id is None else {"e164": row.number_e164},
        } for row in rows]
        calls: dict[str, Any] = {} if total is None else {"totalCount": total}
        calls["nodes"] = nodes
        return orjson.dumps({"data": {"calls": calls}})

    async def numbers(self, *, count: bool) -> bytes:
        params = {"account": self.account}
        async with self.engine.connect() as conn:
            rows = (await conn.execute(NUMBERS_SQL[self.dialect], params)).all()
            total = await self._count(conn, "numbers_count", params) if count else None
        nodes = [{
            "id": encode_global_id("Number", row.id), "e164": row.e164,
            "friendlyName": row.friendly_name, "type": row.number_type,
            "capabilities": _capabilities(row), "status": row.status, "provider": row.provider,
            "assigned": None if row.assigned is None else bool(row.assigned),
            "vendors": sorted(row.vendors.split(",")) if row.vendors else [],
            "source": None if row.source_id is None else {
                "name": row.source_name, "trackingType": row.tracking_type},
            "company": {"name": row.company_name},
        } for row in rows]
        numbers: dict[str, Any] = {} if total is None else {"totalCount": total}
        numbers["nodes"] = nodes
        return orjson.dumps({"data": {"numbers": numbers}})

    async def lead_grid(self) -> bytes:
        async with self.engine.connect() as conn:
            rows = (await conn.execute(SQL["leads_page"], {"account": self.account})).all()
        nodes = [{
            "id": encode_global_id("Lead", row.id), "name": row.name, "email": row.email,
            "caller": None if row.caller_id is None else {"e164": row.caller_e164},
            "status": row.status, "humanStatus": row.human_status, "offerId": row.offer_id,
            "buyerId": row.buyer_id, "revenue": _money(row.revenue), "payout": _money(row.payout),
            "buyerConverted": bool(row.buyer_converted), "nextActionAt": self.when(row.next_action_at),
        } for row in rows]
        return orjson.dumps({"data": {"leads": {"nodes": nodes}}})

    async def refetch(self, ids: list[str]) -> bytes:
        wanted: dict[str, list[int]] = {}
        for global_id in ids:
            kind, pk = decode_global_id(global_id)
            wanted.setdefault(kind, []).append(pk)
        found: dict[tuple[str, int], dict[str, Any]] = {}
        async with self.engine.connect() as conn:
            for kind, pks in wanted.items():
                rows = await conn.execute(BY_IDS_SQL[kind], {"account": self.account, "ids": pks})
                for row in rows:
                    node: dict[str, Any] = {"id": encode_global_id(kind, row.id), "__typename": kind}
                    if kind == "Call":
                        node.update(startedAt=self.when(row.started_at), disposition=row.disposition)
                    elif kind == "Number":
                        node["e164"] = row.e164
                    elif kind == "Lead":
                        node["name"] = row.name
                    found[kind, row.id] = node
        nodes = [found.get(decode_global_id(i)) for i in ids]
        return orjson.dumps({"data": {"nodes": nodes}})
