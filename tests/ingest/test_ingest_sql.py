"""The ingest layer's statements on both databases: insert_rows (compiled once, plain tuples,
many rows per SQLite statement) and the connection that lets one INSERT run behind."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.settings import Settings
from app.ingest.connection import SerialConnection
from app.ingest.sql import SQLITE_MAX_VARIABLES, insert_rows
from app.models import Call, Caller

import helpers.factories as f

CALL = Call.__table__
CALLER = Caller.__table__
SYDNEY = datetime(2026, 3, 1, 9, 30, 15, 250_000, tzinfo=UTC).astimezone(
    ZoneInfo("Australia/Sydney")
)


def call_rows(account_id: int, company_id: int, count: int) -> list[dict[str, Any]]:
    return [
        {
            "account_id": account_id,
            "company_id": company_id,
            "vendor": "FONE_DYNAMICS",
            "external_id": f"CA-{i}",
            "started_at": SYDNEY + timedelta(seconds=i),
            "disposition": "ANSWERED",
            "keywords": f"kw {i}",
        }
        for i in range(count)
    ]


async def company(conn: AsyncConnection) -> tuple[int, int]:
    account_id = await f.account(conn, "acme")
    return account_id, await f.company(conn, account_id, "Acme")


def test_more_rows_than_one_statement_holds(settings: Settings) -> None:
    # 38 parameters a call: SQLite takes SQLITE_MAX_VARIABLES // 38 rows per statement.
    count = 2 * (SQLITE_MAX_VARIABLES // len(CALL.c)) + 7

    async def work(conn: AsyncConnection) -> list[Any]:
        account_id, company_id = await company(conn)
        await insert_rows(conn, CALL, call_rows(account_id, company_id, count))
        stmt = select(CALL.c.external_id, CALL.c.started_at, CALL.c.keywords).order_by(CALL.c.id)
        return list(await conn.execute(stmt))

    stored = f.run_db(settings, work)
    assert len(stored) == count
    assert [row.external_id for row in stored] == [f"CA-{i}" for i in range(count)]
    assert stored[-1].keywords == f"kw {count - 1}"
    # The bind processors ran: an aware Sydney time comes back as the same instant in UTC.
    assert stored[0].started_at == datetime(2026, 3, 1, 9, 30, 15, 250_000, tzinfo=UTC)
    assert stored[-1].started_at == stored[0].started_at + timedelta(seconds=count - 1)


def test_columns_the_rows_lack_take_their_defaults(settings: Settings) -> None:
    async def work(conn: AsyncConnection) -> tuple[Any, Any]:
        account_id, company_id = await company(conn)
        await insert_rows(conn, CALL, call_rows(account_id, company_id, 1))
        await insert_rows(conn, CALLER, [{"account_id": account_id, "e164": "+61412345678"}])
        call = (await conn.execute(select(CALL))).mappings().one()
        caller = (await conn.execute(select(CALLER))).mappings().one()
        return call, caller

    before = datetime.now(UTC)
    call, caller = f.run_db(settings, work)
    assert call["is_first_call"] is False
    assert call["duration_seconds"] == 0
    assert caller["is_valid"] is True
    assert before - timedelta(seconds=1) <= caller["created_at"] <= datetime.now(UTC)


def test_columns_empty_in_every_row_are_left_out_and_stored_null(settings: Settings) -> None:
    scratch = Table(
        "scratch", MetaData(), Column("id", Integer, primary_key=True),
        Column("note", String(20), nullable=True, default="from the default"),
        prefixes=["TEMPORARY"],  # gone with the connection: the schema stays the migrations'
    )  # fmt: skip
    inserts: list[str] = []

    def remember(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("INSERT"):
            inserts.append(statement)

    async def work(conn: AsyncConnection) -> tuple[list[Any], list[Any]]:
        account_id, company_id = await company(conn)
        event.listen(conn.sync_connection, "before_cursor_execute", remember)
        rows = call_rows(account_id, company_id, 3)
        for number, row in enumerate(rows):
            row |= {"notes": None, "caller_city": None if number else "Sydney", "keywords": None}
        await insert_rows(conn, CALL, rows)
        await conn.run_sync(scratch.create)
        await insert_rows(conn, scratch, [{"note": None}, {"note": None}])
        stmt = select(CALL.c.notes, CALL.c.caller_city, CALL.c.keywords).order_by(CALL.c.id)
        calls = list(await conn.execute(stmt))
        return calls, list(await conn.execute(select(scratch.c.note)))

    calls, notes = f.run_db(settings, work)
    assert [tuple(row) for row in calls] == [
        (None, "Sydney", None), (None, None, None), (None, None, None)
    ]  # fmt: skip
    call_insert = next(sql for sql in inserts if " call " in sql)
    assert "caller_city" in call_insert
    assert "notes" not in call_insert and "keywords" not in call_insert
    # None given for a column with a default stays None: the column is not left out.
    assert [tuple(row) for row in notes] == [(None,), (None,)]


def test_naive_timestamps_are_refused(settings: Settings) -> None:
    async def work(conn: AsyncConnection) -> None:
        account_id, company_id = await company(conn)
        rows = call_rows(account_id, company_id, 1)
        rows[0]["started_at"] = datetime(2026, 3, 1, 9, 30)
        await insert_rows(conn, CALL, rows)

    with pytest.raises(Exception, match="naive datetime"):
        f.run_db(settings, work)


def test_ignoring_conflicts_keeps_the_stored_row(settings: Settings) -> None:
    async def work(conn: AsyncConnection) -> list[Any]:
        account_id = await f.account(conn, "acme")
        first = [{"account_id": account_id, "e164": "+61412345678", "is_valid": True}]
        again = [
            {"account_id": account_id, "e164": "+61412345678", "is_valid": False},
            {"account_id": account_id, "e164": "+61412345679", "is_valid": False},
        ]
        await insert_rows(conn, CALLER, first)
        await insert_rows(conn, CALLER, again, ignore_conflicts=True)
        stmt = select(CALLER.c.e164, CALLER.c.is_valid).order_by(CALLER.c.e164)
        return [tuple(row) for row in await conn.execute(stmt)]

    assert f.run_db(settings, work) == [("+61412345678", True), ("+61412345679", False)]


def stored_calls(settings: Settings) -> int:
    async def count(conn: AsyncConnection) -> int:
        return int((await conn.execute(select(func.count()).select_from(CALL))).scalar_one())

    return f.run_db(settings, count)


# On SQLite, call rows go in as INSERT OR IGNORE (its references are checked at commit, so the
# statement needs no journal); rows the constraints refuse must still fail the transaction.
@pytest.mark.parametrize(
    ("spoil", "problem"),
    [
        (lambda rows: rows[3].update(started_at=None), "(?i)not null.*started_at|started_at.*null"),
        (lambda rows: rows[3].update(external_id="CA-1"), "(?i)unique|duplicate key"),
    ],
    ids=["missing value", "repeated key"],
)
def test_rows_the_constraints_refuse_fail_the_insert(
    settings: Settings, spoil: Callable[[list[dict[str, Any]]], None], problem: str
) -> None:
    async def work(conn: AsyncConnection) -> None:
        account_id, company_id = await company(conn)
        rows = call_rows(account_id, company_id, 5)
        spoil(rows)
        await insert_rows(conn, CALL, rows)

    with pytest.raises(IntegrityError, match=problem):
        f.run_db(settings, work)
    assert stored_calls(settings) == 0


def test_a_broken_reference_fails_at_commit(settings: Settings) -> None:
    async def work(conn: AsyncConnection) -> int:
        account_id, company_id = await company(conn)
        rows = call_rows(account_id, company_id, 3)
        rows[1]["caller_id"] = 10**9  # no such caller
        await insert_rows(conn, CALL, rows)
        # Checked at commit: the statement itself stores every row.
        return int((await conn.execute(select(func.count()).select_from(CALL))).scalar_one())

    with pytest.raises(IntegrityError, match=r"(?i)foreign key"):
        f.run_db(settings, work)
    assert stored_calls(settings) == 0


def test_work_behind_runs_before_the_next_statement(settings: Settings) -> None:
    async def work(conn: AsyncConnection) -> int:
        account_id, company_id = await company(conn)
        serial = SerialConnection(conn)
        rows = call_rows(account_id, company_id, 1500)
        await serial.run_behind(lambda raw: insert_rows(raw, CALL, rows))
        # The next statement sees every row the work behind inserted.
        return int((await serial.execute(select(func.count()).select_from(CALL))).scalar_one())

    assert f.run_db(settings, work) == 1500


def test_an_error_behind_surfaces_at_the_next_statement(settings: Settings) -> None:
    async def work(conn: AsyncConnection) -> None:
        account_id, company_id = await company(conn)
        serial = SerialConnection(conn)
        rows = call_rows(account_id, company_id, 3)
        rows[2]["external_id"] = rows[0]["external_id"]  # the unique key, twice
        await serial.run_behind(lambda raw: insert_rows(raw, CALL, rows))
        await serial.execute(select(1))

    with pytest.raises(IntegrityError):
        f.run_db(settings, work)


def test_abandoning_waits_for_the_work_and_drops_its_error(settings: Settings) -> None:
    outcome: list[str] = []

    async def work(conn: AsyncConnection) -> None:
        account_id, company_id = await company(conn)
        serial = SerialConnection(conn)
        rows = call_rows(account_id, company_id, 2)
        rows[1]["external_id"] = rows[0]["external_id"]
        await serial.run_behind(lambda raw: insert_rows(raw, CALL, rows))
        await serial.abandon()  # after a failure elsewhere: the INSERT's own error is moot
        await serial.settle()  # nothing left behind, nothing raised later
        outcome.append("abandoned")
        raise RuntimeError("the failure elsewhere")  # rolls the transaction back

    with pytest.raises(RuntimeError, match="the failure elsewhere"):
        f.run_db(settings, work)
    assert outcome == ["abandoned"]

    async def count(conn: AsyncConnection) -> int:
        return int((await conn.execute(select(func.count()).select_from(CALL))).scalar_one())

    assert f.run_db(settings, count) == 0
