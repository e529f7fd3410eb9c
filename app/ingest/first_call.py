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
from typing import Any

from sqlalchemy import select, update

from app.ingest.sql import Executes, chunked
from app.models import Call

CALL = Call.__table__
Pair = tuple[int, int]  # (company id, caller id)


@dataclass
class FirstCalls:
    """The first-call bookkeeping of one import."""

    before: dict[Pair, tuple[datetime, int] | None] = field(default_factory=dict)  # (start, id)
    earliest_new: dict[Pair, tuple[datetime, int, str]] = field(default_factory=dict)
    dirty: set[Pair] = field(default_factory=set)

    async def read_before(
        self, conn: Executes, pairs: set[Pair], *, new_callers: set[int]
    ) -> None:
        """Remember the current first call of pairs not seen yet (call before inserting);
        callers created by this import have none."""
        unseen = [pair for pair in pairs if pair not in self.before]
        for pair in unseen:
            self.before[pair] = None
        wanted = {pair for pair in unseen if pair[1] not in new_callers}
        for chunk in chunked(sorted({caller_id for _, caller_id in wanted})):
            for caller_id, company_id, started_at, call_id in await _calls_in_order(conn, chunk):
                pair = (company_id, caller_id)
                if pair in wanted and self.before[pair] is None:  # the pair's earliest row
                    self.before[pair] = (started_at, call_id)

    def add_new(self, pair: Pair, *, started_at: datetime, position: int, external_id: str) -> None:
        """A call inserted by this import (positions grow with insertion order, as ids do)."""
        current = self.earliest_new.get(pair)
        if current is None or (started_at, position) < current[:2]:
            self.earliest_new[pair] = (started_at, position, external_id)

    async def apply(self, conn: Executes, *, account_id: int, vendor: str) -> None:
        """Write the flags that changed: the old first of a pair first, then the new one."""
        winners: list[str] = []
        losers: list[int] = []  # ids of calls that stop being first
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


async def _calls_in_order(conn: Executes, callers: Sequence[int]) -> list[Any]:
    """(caller id, company id, started_at, id) of the callers' calls, each caller's in call order.

    By caller alone, with companies told apart here: given `company_id = ?` too, SQLite reads
    the company's whole time index instead of the callers' few entries in ix_call_caller_started
    (which holds company_id, so this read is index-only)."""
    stmt = (
        select(CALL.c.caller_id, CALL.c.company_id, CALL.c.started_at, CALL.c.id)
        .where(CALL.c.caller_id.in_(callers))
        .order_by(CALL.c.caller_id, CALL.c.started_at, CALL.c.id)
    )
    return list(await conn.execute(stmt))


def _by_company(pairs: list[Pair] | set[Pair]) -> dict[int, list[int]]:
    callers: dict[int, list[int]] = defaultdict(list)
    for company_id, caller_id in pairs:
        callers[company_id].append(caller_id)
    return callers


async def recompute_first_calls(conn: Executes, *, pairs: set[Pair]) -> None:
    """Set is_first_call right for every call of the given (company id, caller id) pairs."""
    for company_id, callers in _by_company(pairs).items():
        for chunk in chunked(sorted(callers)):
            await _recompute(conn, company_id=company_id, callers=list(chunk))


async def _recompute(conn: Executes, *, company_id: int, callers: list[int]) -> None:
    # By caller alone, as in _calls_in_order: the index gives each caller's calls in order.
    stmt = (
        select(CALL.c.id, CALL.c.caller_id, CALL.c.company_id, CALL.c.is_first_call)
        .where(CALL.c.caller_id.in_(callers))
        .order_by(CALL.c.caller_id, CALL.c.started_at, CALL.c.id)
    )
    set_true: list[int] = []
    set_false: list[int] = []
    previous_caller = None
    for call_id, caller_id, company, flagged in (await conn.execute(stmt)).all():
        if company != company_id:
            continue
        first = caller_id != previous_caller
        previous_caller = caller_id
        if first and not flagged:
            set_true.append(call_id)
        elif flagged and not first:
            set_false.append(call_id)
    for ids, value in ((set_true, True), (set_false, False)):
        for chunk in chunked(ids):
            await conn.execute(update(CALL).where(CALL.c.id.in_(chunk)).values(is_first_call=value))
