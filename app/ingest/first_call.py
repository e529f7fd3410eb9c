"""Call.is_first_call: true for a caller's earliest call to a company by (started_at, id), so an
older call imported later becomes the first and the previous first becomes a repeat."""

from collections import defaultdict

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from app.ingest.sql import chunked
from app.models import Call

CALL = Call.__table__


async def recompute_first_calls(conn: AsyncConnection, *, pairs: set[tuple[int, int]]) -> None:
    """Set is_first_call right for every call of the given (company id, caller id) pairs."""
    callers_by_company: dict[int, list[int]] = defaultdict(list)
    for company_id, caller_id in pairs:
        callers_by_company[company_id].append(caller_id)
    for company_id, callers in callers_by_company.items():
        for chunk in chunked(sorted(callers)):
            await _recompute(conn, company_id=company_id, callers=chunk)


async def _recompute(conn: AsyncConnection, *, company_id: int, callers: list[int]) -> None:
    stmt = (
        select(CALL.c.id, CALL.c.caller_id, CALL.c.is_first_call)
        .where(CALL.c.company_id == company_id, CALL.c.caller_id.in_(callers))
        .order_by(CALL.c.caller_id, CALL.c.started_at, CALL.c.id)
    )
    set_true: list[int] = []
    set_false: list[int] = []
    previous_caller = None
    for call_id, caller_id, flagged in (await conn.execute(stmt)).tuples():
        first = caller_id != previous_caller
        previous_caller = caller_id
        if first and not flagged:
            set_true.append(call_id)
        elif flagged and not first:
            set_false.append(call_id)
    for ids, value in ((set_true, True), (set_false, False)):
        for chunk in chunked(ids):
            await conn.execute(update(CALL).where(CALL.c.id.in_(chunk)).values(is_first_call=value))
