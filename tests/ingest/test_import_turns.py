"""Imports into one account take turns, a transaction at a time: an import that starts while
another holds the turn waits for it and reads what it committed, so the two cannot both flag a
caller's first call."""

import asyncio

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker
from sqlalchemy.sql import func

from app.ingest.pipeline import IMPORT_LOCK, IMPORT_LOCK_PREFIX
from app.models import Call
from app.models.enums import Vendor

from helpers.imports import ACCOUNT, Importer, Rows, load

CALL = Call.__table__
CALLS = load("fonedynamics/calls.json")
FD = Vendor.FONE_DYNAMICS


async def take_the_turn(conn: AsyncConnection) -> None:
    """What an import's transaction does first (app.ingest.pipeline._wait_for_other_imports)."""
    if conn.dialect.name == "sqlite":
        await conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        await conn.execute(IMPORT_LOCK, {"key": f"{IMPORT_LOCK_PREFIX}{ACCOUNT}"})


async def other_import(
    session_factory: async_sessionmaker[AsyncSession], holding: asyncio.Event
) -> None:
    """Another import's transaction: it takes the turn, stores an older call of CALLS[0]'s
    caller as the first (unflagging CALLS[0]) and commits half a second later."""
    async with session_factory() as session, session.begin():
        conn = await session.connection()
        await take_the_turn(conn)
        stored = (await conn.execute(select(CALL).where(CALL.c.external_id == CALLS[0]["CallSid"])))
        older = dict(stored.mappings().one())
        del older["id"]
        older |= {
            "external_id": "CA-other",
            "started_at": older["started_at"].replace(year=2023),
            "is_first_call": True,
        }
        await conn.execute(insert(CALL).values(older))
        unflag = update(CALL).where(CALL.c.external_id == CALLS[0]["CallSid"])
        await conn.execute(unflag.values(is_first_call=False))
        holding.set()
        await asyncio.sleep(0.5)


async def test_an_import_waits_for_the_turn_and_reads_what_the_holder_committed(
    session_factory: async_sessionmaker[AsyncSession], run_import: Importer, rows: Rows
) -> None:
    await run_import(FD, "calls", CALLS[:1])  # CALLS[0] is its caller's first
    mine = {**CALLS[0], "CallSid": "CA-mine", "DateTime": "1717100000"}  # before CALLS[0]

    holding = asyncio.Event()
    other = asyncio.create_task(other_import(session_factory, holding))
    await holding.wait()
    summary = await run_import(FD, "calls", [mine])  # starts while the other holds the turn
    await other

    assert summary.created == 1
    calls = {c["external_id"]: c for c in await rows(Call)}
    assert [ext for ext, c in calls.items() if c["is_first_call"]] == ["CA-other"]
    assert calls["CA-mine"]["id"] > calls["CA-other"]["id"]  # written after the other committed
    assert await _count(session_factory) == 3


async def _count(session_factory: async_sessionmaker[AsyncSession]) -> int:
    async with session_factory() as session:
        return int((await session.execute(select(func.count()).select_from(CALL))).scalar_one())
