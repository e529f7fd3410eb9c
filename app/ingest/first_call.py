"""Call.is_first_call: true for a caller's earliest call to a company by (started_at, id), so an
older call imported later becomes the first and the previous first becomes a repeat.

New calls are flagged as they are inserted: before a chunk goes in, the start of each (company,
caller) pair's current first call is read from an index, unless an earlier file of the run
already told it (KnownFirsts); a new call that starts earlier is inserted flagged, and the call
it displaces (stored, or flagged by an earlier chunk or file) is unflagged once the inserts are
done. A new row's id is higher, so ties keep the old first. Pairs whose existing calls changed
(moved in time, changed caller) are recomputed: at the end of the import, or of a bulk run,
whose indexes are built only then (app.ingest.bulk; its imports read no index: every first
call stored before the run is read once at its start)."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from app.ingest.sql import Executes, chunked
from app.models import Call

CALL = Call.__table__
Pair = tuple[int, int]  # (company id, caller id)
# A call this import inserts: its pair, position (ids grow with it), external id, column values.
NewCall = tuple[Pair, int, str, dict[str, Any]]
# A pair's stored first call: its start and its id (read from the database) or its external id
# (imported by an earlier file of the run: the import does not learn the ids it inserts).
Stored = tuple[datetime, int | None, str | None]
# Per pair: its first call as an earlier file of the run left it, None for none.
KnownFirsts = dict[Pair, Stored | None]


@dataclass
class FirstCalls:
    """The first-call bookkeeping of one import."""

    known: KnownFirsts = field(default_factory=dict)  # the run's, read here
    lookups: bool = True  # False: `known` holds every stored first call (a bulk run)
    before: KnownFirsts = field(default_factory=dict)  # read by this import
    # The new call each pair has flagged now: (start, position, external id).
    flagged: dict[Pair, tuple[datetime, int, str]] = field(default_factory=dict)
    unflag_ids: list[int] = field(default_factory=list)  # stored calls displaced
    unflag_new: list[str] = field(default_factory=list)  # external ids of new calls displaced
    dirty: set[Pair] = field(default_factory=set)

    async def read_before(self, conn: Executes, pairs: set[Pair], *, new_callers: set[int]) -> None:
        """Remember the current first call of pairs not seen yet (call before inserting);
        callers created by this import have none."""
        known = self.known
        unseen = [pair for pair in pairs if pair not in self.before and pair not in known]
        for pair in unseen:
            self.before[pair] = None
        if not self.lookups:
            return
        wanted = {pair for pair in unseen if pair[1] not in new_callers}
        for chunk in chunked(sorted({caller_id for _, caller_id in wanted})):
            for caller_id, company_id, started_at, call_id in await _calls_in_order(conn, chunk):
                pair = (company_id, caller_id)
                if pair in wanted and self.before[pair] is None:  # the pair's earliest row
                    self.before[pair] = (started_at, call_id, None)

    def remember(self, known: KnownFirsts) -> None:
        """Once the import has committed: tell the run's later imports what it read and
        flagged. Pairs left to recompute are forgotten (in a bulk run they are recomputed at
        its end, which makes right whatever later files flag for them)."""
        known.update(self.before)
        for pair, (started_at, _, external_id) in self.flagged.items():
            known[pair] = (started_at, None, external_id)
        if self.lookups:
            for pair in self.dirty:
                known.pop(pair, None)

    def flag(self, chunk: list[NewCall]) -> None:
        """Set is_first_call in the values of a chunk of new calls, in position order, before
        they are inserted (their pairs' read_before done): true for a call that starts before
        its pair's current first, which is unflagged (in the chunk's values if it is there)."""
        flagged_here: dict[Pair, dict[str, Any]] = {}
        for pair, position, external_id, values in chunk:
            started_at = values["started_at"]
            current = self.flagged.get(pair)
            if current is not None:
                if (started_at, position) >= current[:2]:
                    continue
                displaced = flagged_here.get(pair)
                if displaced is not None:
                    displaced["is_first_call"] = False
                else:
                    self.unflag_new.append(current[2])
            else:
                old = self.before[pair] if pair in self.before else self.known[pair]
                if old is not None:
                    if started_at >= old[0]:
                        continue
                    if old[1] is not None:
                        self.unflag_ids.append(old[1])
                    else:
                        self.unflag_new.append(str(old[2]))
            values["is_first_call"] = True
            self.flagged[pair] = (started_at, position, external_id)
            flagged_here[pair] = values

    async def apply(
        self,
        conn: Executes,
        *,
        account_id: int,
        vendor: str,
        recompute: bool = True,
        changed_at: datetime | None = None,
    ) -> None:
        """After the inserts: unflag the displaced first calls, recompute the dirty pairs (or
        leave them to the caller: a bulk run recomputes once its indexes are built). Calls
        whose flag changes get `changed_at` (the import's change stamp) when given."""
        stamp = {} if changed_at is None else {"changed_at": changed_at}
        for chunk in chunked(self.unflag_ids):
            stmt = update(CALL).where(CALL.c.id.in_(chunk)).values(is_first_call=False, **stamp)
            await conn.execute(stmt)
        for chunk in chunked(self.unflag_new):
            stmt = update(CALL).where(
                CALL.c.account_id == account_id, CALL.c.vendor == vendor,
                CALL.c.external_id.in_(chunk),
            ).values(is_first_call=False, **stamp)  # fmt: skip
            await conn.execute(stmt)
        if recompute:
            await recompute_first_calls(conn, pairs=self.dirty, changed_at=changed_at)


async def last_call_id(conn: Executes) -> int | None:
    """The highest call id stored (a bulk run's size estimate; a run's check that no other
    import wrote calls between its files)."""
    highest: int | None = (await conn.execute(select(func.max(CALL.c.id)))).scalar()
    return highest


async def stored_firsts(conn: Executes, *, account_id: int) -> KnownFirsts:
    """Every first call the account has stored, by pair (a bulk run's start: one pass over a
    call table it found smaller than what it imports, which it reads without indexes)."""
    stmt = select(CALL.c.company_id, CALL.c.caller_id, CALL.c.started_at, CALL.c.id).where(
        CALL.c.account_id == account_id, CALL.c.is_first_call
    )
    return {
        (company_id, caller_id): (started_at, call_id, None)
        for company_id, caller_id, started_at, call_id in await conn.execute(stmt)
    }


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


async def recompute_first_calls(
    conn: Executes, *, pairs: set[Pair], changed_at: datetime | None = None
) -> None:
    """Set is_first_call right for every call of the given (company id, caller id) pairs: each
    caller's calls are read once, whatever number of its companies' pairs are given. Calls
    whose flag changes get `changed_at` when given."""
    set_true: list[int] = []
    set_false: list[int] = []
    for chunk in chunked(sorted({caller_id for _, caller_id in pairs})):
        # By caller alone, as in _calls_in_order: the index gives each caller's calls in order.
        stmt = (
            select(CALL.c.id, CALL.c.caller_id, CALL.c.company_id, CALL.c.is_first_call)
            .where(CALL.c.caller_id.in_(chunk))
            .order_by(CALL.c.caller_id, CALL.c.started_at, CALL.c.id)
        )
        seen: set[Pair] = set()  # the pairs whose first call has gone by
        for call_id, caller_id, company_id, flagged in await conn.execute(stmt):
            pair = (company_id, caller_id)
            if pair not in pairs:
                continue
            first = pair not in seen
            seen.add(pair)
            if first and not flagged:
                set_true.append(call_id)
            elif flagged and not first:
                set_false.append(call_id)
    for ids, value in ((set_true, True), (set_false, False)):
        for chunk in chunked(ids):
            flag = update(CALL).where(CALL.c.id.in_(chunk)).values(is_first_call=value)
            await conn.execute(flag if changed_at is None else flag.values(changed_at=changed_at))
