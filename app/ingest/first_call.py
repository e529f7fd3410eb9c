"""Call.is_first_call: true for a caller's earliest call to a company by (started_at, id), so an
older call imported later becomes the first and the previous first becomes a repeat.

New calls are settled incrementally: before a chunk is inserted, each (company, caller) pair's
current first call is read with one index seek; at the end the earliest new call of the pair
replaces it only if it started earlier (a new row's id is higher, so ties keep the old first).
Pairs whose existing calls changed (moved in time, changed caller) are recomputed in full."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from app.ingest.sql import chunked
from app.models import Call, Caller

CALL = Call.__table__
CALLER = Caller.__table__
Pair = tuple[int, int]  # (company id, caller id)


@dataclass
class FirstCalls:
    """The first-call bookkeeping of one import."""

    before: dict[Pair, tuple[datetime, int] | None] = field(default_factory=dict)
    earliest_new: dict[Pair, tuple[datetime, int, str]] = field(default_factory=dict)
    dirty: set[Pair] = field(default_factory=set)

    async def read_before(
        self, conn: AsyncConnection, pairs: set[Pair], *, new_callers: set[int]
    ) -> None:
        """Remember the current first call of pairs not seen yet (call before inserting);
        callers created by this import have none."""
        unseen = [pair for pair in pairs if pair not in self.before]
        for pair in unseen:
            self.before[pair] = None
        unseen = [pair for pair in unseen if pair[1] not in new_callers]
        for company_id, callers in _by_company(unseen).items():
            for chunk in chunked(callers):
                for caller_id, started_at, call_id in await _first_calls(conn, company_id, chunk):
                    self.before[(company_id, caller_id)] = (started_at, call_id)

    def add_new(self, pair: Pair, *, started_at: datetime, position: int, external_id: str) -> None:
        """A call inserted by this import (positions grow with insertion order, as ids do)."""
        current = self.earliest_new.get(pair)
        if current is None or (started_at, position) < current[:2]:
            self.earliest_new[pair] = (started_at, position, external_id)

    async def apply(self, conn: AsyncConnection, *, account_id: int, vendor: str) -> None:
        """Write the flags that changed."""
        winners, losers = [], []
        for pair, (started_at, _, external_id) in self.earliest_new.items():
            if pair in self.dirty:
                continue
            old = self.before[pair]
            if old is None or started_at < old[0]:
                winners.append(external_id)
                if old is not None:
                    losers.append(old[1])
        for chunk in chunked(losers):
            await conn.execute(update(CALL).where(CALL.c.id.in_(chunk)).values(is_first_call=False))
        for chunk in chunked(winners):
            stmt = update(CALL).where(
                CALL.c.account_id == account_id, CALL.c.vendor == vendor,
                CALL.c.external_id.in_(chunk),
            ).values(is_first_call=True)  # fmt: skip
            await conn.execute(stmt)
        await recompute_first_calls(conn, pairs=self.dirty)


async def _first_calls(
    conn: AsyncConnection, company_id: int, callers: list[int]
) -> list[tuple[int, datetime, int]]:
    """(caller id, started_at, call id) of each caller's first call to the company."""
    earlier = CALL.alias("earlier")
    first_id = (
        select(earlier.c.id)
        .where(earlier.c.company_id == company_id, earlier.c.caller_id == CALLER.c.id)
        .order_by(earlier.c.started_at, earlier.c.id)
        .limit(1)
        .scalar_subquery()
    )
    firsts = select(first_id).where(CALLER.c.id.in_(callers))
    stmt = select(CALL.c.caller_id, CALL.c.started_at, CALL.c.id).where(CALL.c.id.in_(firsts))
    return list((await conn.execute(stmt)).all())


def _by_company(pairs: list[Pair] | set[Pair]) -> dict[int, list[int]]:
    callers: dict[int, list[int]] = defaultdict(list)
    for company_id, caller_id in pairs:
        callers[company_id].append(caller_id)
    return callers


async def recompute_first_calls(conn: AsyncConnection, *, pairs: set[Pair]) -> None:
    """Set is_first_call right for every call of the given (company id, caller id) pairs."""
    for company_id, callers in _by_company(pairs).items():
        for chunk in chunked(sorted(callers)):
            await _recompute(conn, company_id=company_id, callers=list(chunk))


async def _recompute(conn: AsyncConnection, *, company_id: int, callers: list[int]) -> None:
    stmt = (
        select(CALL.c.id, CALL.c.caller_id, CALL.c.is_first_call)
        .where(CALL.c.company_id == company_id, CALL.c.caller_id.in_(callers))
        .order_by(CALL.c.caller_id, CALL.c.started_at, CALL.c.id)
    )
    set_true: list[int] = []
    set_false: list[int] = []
    previous_caller = None
    for call_id, caller_id, flagged in (await conn.execute(stmt)).all():
        first = caller_id != previous_caller
        previous_caller = caller_id
        if first and not flagged:
            set_true.append(call_id)
        elif flagged and not first:
            set_false.append(call_id)
    for ids, value in ((set_true, True), (set_false, False)):
        for chunk in chunked(ids):
            await conn.execute(update(CALL).where(CALL.c.id.in_(chunk)).values(is_first_call=value))
