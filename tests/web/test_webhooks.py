"""Webhook ingest over HTTP: a URL minted by `switchboard webhooks create` (run as a process)
takes a vendor's payloads as documented, imports them like files and answers the summary;
revoked, unknown and malformed tokens are 401, malformed ones without any SQL."""

import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, func, select
from starlette.testclient import TestClient

from app.core.api_keys import READ_SCOPES
from app.core.settings import Settings
from app.models import Call, Lead
from app.web.app import create_app

import helpers.factories as f
from helpers.imports import CALLS, SWITCHBOARD, call, load


def switchboard(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SWITCHBOARD, "--database-url", settings.database_url, "webhooks", *args],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def create(settings: Settings, *args: str) -> str:
    """The URL path `webhooks create` prints (with an empty --base-url)."""
    done = switchboard(settings, "create", "--account", "acme", *args)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def count(settings: Settings, model: Any) -> int:
    async def work(conn: Any) -> int:
        return int((await conn.execute(select(func.count()).select_from(model))).scalar_one())

    return f.run_db(settings, work)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client


def test_a_webhook_imports_a_single_record_and_a_page_idempotently(
    settings: Settings, client: TestClient
) -> None:
    url = create(settings, "--vendor", "fone-dynamics", "--resource", "calls")
    assert url.startswith("/webhooks/wh_")
    single = client.post(url, json=load("fonedynamics/call_single.json"))
    assert single.status_code == 200, single.text
    assert single.json() == {
        "resource": "calls", "created": 1, "updated": 0, "unchanged": 0, "rejected": 0,
        "rejects": [],
    }  # fmt: skip
    page = client.post(url, json=CALLS)
    assert page.json()["created"] == len(CALLS)
    again = client.post(url, json=CALLS)
    assert again.json()["unchanged"] == len(CALLS)
    assert count(settings, Call) == len(CALLS) + 1


def test_rejects_name_record_and_field_and_the_rest_imports(
    settings: Settings, client: TestClient
) -> None:
    url = create(settings, "--vendor", "fonedynamics", "--resource", "calls")
    good = call("CA-good", 1717221600, "+61412345678")
    bad = {**call("CA-bad", 1717221601, "+61412345678"), "DateTime": "abc"}
    response = client.post(url, json=[good, bad])
    body = response.json()
    assert (response.status_code, body["created"], body["rejected"]) == (200, 1, 1)
    reject = body["rejects"][0]
    assert reject["position"] == 1 and reject["externalId"] == "CA-bad"
    assert reject["reason"].startswith("DateTime:")


@pytest.mark.parametrize(
    ("body", "problem"),
    [(b"{not json", "body is not JSON"), (b'{"leads": []}', "")],
    ids=["not-json", "wrong-shape"],
)
def test_a_body_that_is_not_the_payload_is_400_and_stores_nothing(
    settings: Settings, client: TestClient, body: bytes, problem: str
) -> None:
    url = create(settings, "--vendor", "fonedynamics", "--resource", "calls")
    response = client.post(url, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and problem in error["message"]
    assert count(settings, Call) == 0


def test_a_body_over_the_limit_is_413_and_stores_nothing(database_url: str) -> None:
    settings = Settings(database_url=database_url, max_body_bytes=2_000)
    url = create(settings, "--vendor", "fonedynamics", "--resource", "calls")
    with TestClient(create_app(settings)) as client:
        response = client.post(url, json=CALLS * 10)
    assert response.status_code == 413
    assert count(settings, Call) == 0


def test_a_revoked_token_is_refused(settings: Settings, client: TestClient) -> None:
    url = create(settings, "--vendor", "fonedynamics", "--resource", "calls")
    assert client.post(url, json=CALLS[:1]).status_code == 200
    listed = switchboard(settings, "list").stdout
    assert "\tacme\tFONE_DYNAMICS\tcalls\t" in listed and listed.rstrip().endswith("live")
    revoked = switchboard(settings, "revoke", url)
    assert revoked.returncode == 0, revoked.stderr
    response = client.post(url, json=CALLS[1:2])
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert count(settings, Call) == 1
    assert switchboard(settings, "list").stdout.rstrip().endswith("revoked")


def test_bad_tokens_are_401_and_only_a_new_well_formed_one_is_looked_up(
    settings: Settings, client: TestClient
) -> None:
    statements: list[str] = []
    engine = client.app.state.engine  # type: ignore[attr-defined]
    event.listen(engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    unknown = "/webhooks/wh_0123456789ab_" + "x" * 43
    for path in ("/webhooks/nonsense", "/webhooks/wh_short_x", unknown, unknown, unknown):
        assert client.post(path, json=CALLS).status_code == 401
    assert len(statements) == 1  # the unknown token's first lookup; then it is remembered


def test_a_vendor_payload_without_its_company_needs_one_bound(settings: Settings) -> None:
    done = switchboard(settings, "create", "--account", "acme", "--vendor", "trackdrive",
                       "--resource", "leads")  # fmt: skip
    assert done.returncode == 2 and "--company" in done.stderr
    url = create(settings, "--vendor", "trackdrive", "--resource", "leads", "--company", "TD1")
    with TestClient(create_app(settings)) as client:
        response = client.post(url, json=load("trackdrive/leads.json"))
    assert response.status_code == 200 and response.json()["created"] >= 1


def test_an_ingest_write_api_key_posts_to_the_vendor_resource(settings: Settings) -> None:
    async def keys(conn: Any) -> tuple[str, str]:
        account = await f.account(conn, "acme")
        return await f.api_key(conn, account), await f.api_key(conn, account, READ_SCOPES)

    writer, reader = f.run_db(settings, keys)
    payload = load("trackdrive/leads.json")
    with TestClient(create_app(settings)) as client:
        path = "/webhooks/trackdrive/leads?company=TD1"
        refused = client.post(path, json=payload, headers={"X-API-Key": reader})
        assert refused.status_code == 403
        assert refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert client.post(path, json=payload).status_code == 401
        unknown = client.post("/webhooks/trackdrive/calls", json=payload,
                              headers={"X-API-Key": writer})  # fmt: skip
        assert unknown.status_code == 404 and "has no resource 'calls'" in unknown.text
        done = client.post(path, json=payload, headers={"Authorization": f"Bearer {writer}"})
    assert done.status_code == 200 and done.json()["created"] == count(settings, Lead) >= 1
