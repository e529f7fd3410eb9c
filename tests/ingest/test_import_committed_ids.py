"""The caller ids a run's files share (CommittedIds): taken only from committed files."""

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.ingest import import_payload
from app.ingest.context import CommittedIds
from app.ingest.first_call import FirstCalls
from app.models import Call, Caller
from app.models.enums import Vendor

from helpers.imports import ACCOUNT, Rows, load

CALLS = load("fonedynamics/calls.json")


async def run(factory: async_sessionmaker[AsyncSession], payload: Any, ids: CommittedIds) -> Any:
    return await import_payload(
        session_factory=factory, account=ACCOUNT, vendor=Vendor.FONE_DYNAMICS, resource="calls",
        payload=payload, committed=ids,
    )  # fmt: skip


async def test_later_files_reuse_committed_callers(
    session_factory: async_sessionmaker[AsyncSession], rows: Rows
) -> None:
    ids = CommittedIds()
    await run(session_factory, CALLS[:1], ids)
    [known] = ids.callers.values()
    assert known == {"+61412345678": 1}

    later = {**CALLS[2], "CallSid": "CA-later"}  # the same caller, in a later file
    await run(session_factory, [later], ids)

    assert [c["e164"] for c in await rows(Caller)] == ["+61412345678"]
    assert {c["caller_id"] for c in await rows(Call)} == {1}


async def test_a_file_that_rolls_back_leaves_no_ids_behind(
    session_factory: async_sessionmaker[AsyncSession], rows: Rows, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = CommittedIds()

    async def fail(*_: Any, **__: Any) -> None:
        raise RuntimeError("lost the connection")

    with monkeypatch.context() as patch:  # fails after its callers were inserted
        patch.setattr(FirstCalls, "apply", fail)
        with pytest.raises(RuntimeError):
            await run(session_factory, CALLS[:1], ids)
    assert ids.callers == {}

    summary = await run(session_factory, CALLS[:1], ids)  # the rerun creates the caller again

    assert summary.created == 1
    [caller] = await rows(Caller)
    assert [c["caller_id"] for c in await rows(Call)] == [caller["id"]]


async def test_first_calls_are_read_again_when_another_import_wrote_calls_meanwhile(
    session_factory: async_sessionmaker[AsyncSession], rows: Rows
) -> None:
    """The run's first file makes CALLS[0] its caller's first; another import (no shared ids)
    then stores an older call of that caller; the run's next file brings one between the two.
    Trusting what the run remembered would flag it too."""
    ids = CommittedIds()
    await run(session_factory, CALLS[:1], ids)  # 1717200000
    other = {**CALLS[0], "CallSid": "CA-other", "DateTime": "1717000000"}
    await run(session_factory, [other], CommittedIds())
    between = {**CALLS[0], "CallSid": "CA-between", "DateTime": "1717100000"}
    await run(session_factory, [between], ids)

    flagged = {c["external_id"] for c in await rows(Call) if c["is_first_call"]}
    assert flagged == {"CA-other"}
