"""The syncStatus query: the key's account's syncs (scheduled first, then one-shot), with their
progress or last result, only with the sync:read scope, never another account's."""

from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.testclient import TestClient

from app.core.api_keys import READ_SCOPES, SYNC_SCOPE
from app.core.settings import Settings
from app.models import StoredSyncState
from app.sync.lease import now
from app.sync.schedules import NewSchedule, add_schedule
from app.sync.state import key_hash
from app.sync.store import ensure_state_row
from app.web.app import create_app

import helpers.factories as f

QUERY = """{ syncStatus { vendor resource baseUrl scheduleId intervalSeconds enabled status
  pages records created updated unchanged rejected failures lastError startedAt finishedAt
  nextRunAt leaseExpiresAt } }"""


def key(account: str, resource: str, base_url: str = "http://vendor.test") -> dict[str, Any]:
    return {
        "account": account, "vendor": "FONE_DYNAMICS", "resource": resource, "base_url": base_url,
        "subtree": None, "filters": {}, "page_size": 200, "credentials": {"account_sid": "AC1"},
    }  # fmt: skip


async def seed(conn: AsyncConnection) -> dict[str, str]:
    acme = await f.account(conn, "acme")
    other = await f.account(conn, "other")
    scheduled = NewSchedule(key=key("acme", "calls"), arguments=[], credential_env={}, interval=900)
    await add_schedule(conn, scheduled)
    await ensure_state_row(conn, key=key("acme", "numbers"))  # run by hand, failed
    await ensure_state_row(conn, key=key("other", "calls", "http://elsewhere.test"))
    running = {"status": "running", "pages": 2, "records": 400, "created": 390, "updated": 10,
               "lease_owner": "host:1:ab", "lease_expires_at": now() + timedelta(seconds=60)}  # fmt: skip
    await _set(conn, key("acme", "calls"), running)
    failed = {"status": "failed", "failures": 2, "last_error": "GET ... returned HTTP 401"}
    await _set(conn, key("acme", "numbers"), failed)
    return {
        "full": await f.api_key(conn, acme, (*READ_SCOPES, SYNC_SCOPE)),
        "reader": await f.api_key(conn, acme, READ_SCOPES),
        "other": await f.api_key(conn, other, (SYNC_SCOPE,)),
    }


async def _set(conn: AsyncConnection, sync: dict[str, Any], values: dict[str, Any]) -> None:
    table = StoredSyncState.__table__
    await conn.execute(update(table).where(table.c.key_hash == key_hash(sync)).values(values))


def ask(settings: Settings, token: str) -> Any:
    with TestClient(create_app(settings)) as client:
        response = client.post("/graphql", json={"query": QUERY}, headers={"X-API-Key": token})
    assert response.status_code == 200
    return response.json()


def test_sync_status_lists_the_account_s_syncs_with_progress_and_errors(settings: Settings) -> None:
    keys = f.run_db(settings, seed)
    statuses = ask(settings, keys["full"])["data"]["syncStatus"]
    scheduled, by_hand = statuses
    assert {k: scheduled[k] for k in ("vendor", "resource", "scheduleId", "intervalSeconds")} == {
        "vendor": "FONE_DYNAMICS", "resource": "calls", "scheduleId": 1, "intervalSeconds": 900,
    }  # fmt: skip
    assert (scheduled["status"], scheduled["pages"], scheduled["records"]) == ("RUNNING", 2, 400)
    assert (scheduled["created"], scheduled["updated"], scheduled["enabled"]) == (390, 10, True)
    assert scheduled["nextRunAt"] is not None and scheduled["leaseExpiresAt"] is not None
    assert (by_hand["resource"], by_hand["scheduleId"], by_hand["status"]) == (
        "numbers", None, "FAILED",
    )  # fmt: skip
    assert (by_hand["failures"], by_hand["lastError"]) == (2, "GET ... returned HTTP 401")
    assert by_hand["baseUrl"] == "http://vendor.test"

    (other,) = ask(settings, keys["other"])["data"]["syncStatus"]
    assert (other["baseUrl"], other["status"]) == ("http://elsewhere.test", "IDLE")


def test_a_running_sync_whose_lease_lapsed_is_interrupted(settings: Settings) -> None:
    keys = f.run_db(settings, seed)

    async def lapse(conn: AsyncConnection) -> None:
        await _set(conn, key("acme", "calls"), {"lease_expires_at": now() - timedelta(seconds=1)})

    f.run_db(settings, lapse)
    assert ask(settings, keys["full"])["data"]["syncStatus"][0]["status"] == "INTERRUPTED"


def test_sync_status_needs_the_sync_read_scope(settings: Settings) -> None:
    keys = f.run_db(settings, seed)
    body = ask(settings, keys["reader"])
    assert body["data"] == {"syncStatus": None}
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert "lacks the sync:read scope" in error["message"]
