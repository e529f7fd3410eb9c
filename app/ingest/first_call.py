"""Call.is_first_call: true for a caller's earliest call to a company by (started_at, id), so an
older call imported later becomes the first and the previous first becomes a repeat.

New calls are settled incrementally: before a chunk is inserted, the start of each (company,
caller) pair's current first call is read from an index; at the end the earliest new call of the
pair replaces it only if it started earlier (a new row's id is higher, so ties keep the old
first). Pairs whose existing calls changed (moved in time, changed caller) are recomputed."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from app.ingest.sql import chunked
from app.models import Call

CALL = Call.__table__
Pair = tuple[int, int]  # (company id, caller id)


@dataclass
class FirstCalls:
    """The first-call bookkeeping of one import."""

    before: dict[Pair, datetime | None] = field(default_factory=dict)  # first call's start
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
                for caller_id, started_at in await _first_starts(conn, company_id, chunk):
                    self.before[(company_id, caller_id)] = started_at

    def add_new(self, pair: Pair, *, started_at: datetime, position: int, external_id: str) -> None:
        """A call inserted by this import (positions grow with insertion order, as ids do)."""
        current = self.earliest_new.get(pair)
        if current is None or (started_at, position) < current[:2]:
            self.earliest_new[pair] = (started_at, position, external_id)

    async def apply(self, conn: AsyncConnection, *, account_id: int, vendor: str) -> None:
        """Write the flags that changed: the old first of a pair first, then the new one."""
        winners: list[str] = []
        losers: dict[int, list[int]] = defaultdict(list)  # company id -> caller ids
        for pair, (started_at, _, external_id) in self.earliest_new.items():
            if pair in self.dirty:
                continue
            old = self.before[pair]
            if old is None or started_at < old:
                winners.append(external_id)
                if old is not None:
                    losers[pair[0]].append(pair[1])
        for company_id, callers in losers.items():
            for chunk in chunked(callers):
                stmt = update(CALL).where(
                    CALL.c.company_id == company_id, CALL.c.caller_id.in_(chunk),
                    CALL.c.is_first_call.is_(True),
                ).values(is_first_call=False)  # fmt: skip
                await conn.execute(stmt)
        for chunk in chunked(winners):
            stmt = update(CALL).where(
                CALL.c.account_id == account_id, CALL.c.vendor == vendor,
                CALL.c.external_id.in_(chunk),
            ).values(is_first_call=True)  # fmt: skip
            await conn.execute(stmt)
        await recompute_first_calls(conn, pairs=self.dirty)


async def _first_starts(
    conn: AsyncConnection, company_id: int, callers: Sequence[int]
) -> list[tuple[int, datetime]]:
    """(caller id, start of the first call) for callers with calls to the company."""
    stmt = (
        select(CALL.c.caller_id, func.min(CALL.c.started_at))
        .where(CALL.c.company_id == company_id, CALL.c.caller_id.in_(callers))
        .group_by(CALL.c.caller_id)
    )
    return [(caller_id, started_at) for caller_id, started_at in await conn.execute(stmt)]


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
