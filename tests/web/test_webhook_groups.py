"""Webhooks under concurrency, against a real `switchboard serve`: requests imported together
in one group commit each get their own summary and rejects, a request that fails leaves the
others of its group imported, a webhook kept from the account's import turn past
IMPORT_TURN_SECONDS or past MAX_QUEUED_IMPORTS is 503 with Retry-After and stores nothing, and
subscribers get each event once, only their account's, while many subscriptions share reads."""

import asyncio
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import asyncpg
import httpx
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from app.core.ids import encode_global_id
from app.core.settings import Settings
from app.ingest.pipeline import IMPORT_LOCK_PREFIX
from app.models import Call, Lead

import helpers.factories as f
from helpers.imports import call, load
from helpers.live import Subscriber, seed, served

REQUESTS = 40


def stored(settings: Settings, model: Any) -> int:
    async def work(conn: Any) -> int:
        return int((await conn.execute(select(func.count()).select_from(model))).scalar_one())

    return f.run_db(settings, work)


async def post_all(base: str, requests: list[tuple[str, Any]]) -> list[httpx.Response]:
    """Every (path, body) at once, as concurrent vendors would."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        return await asyncio.gather(*(http.post(path, json=body) for path, body in requests))


def test_concurrent_requests_each_get_their_own_summary_and_rejects(settings: Settings) -> None:
    ((_, hook),) = seed(settings, "acme").values()

    def bodies(duration: int) -> list[tuple[str, Any]]:
        made = []
        for n in range(REQUESTS):
            good = {**call(f"CA-{n}", 1717221600 + n, "+61412345678"), "Duration": duration}
            bad = {**call(f"CA-bad-{n}", 1717221600, "+61412345678"), "DateTime": "abc"}
            made.append((hook, [bad, good] if n % 2 else [good, bad]))
        return made

    with served(settings.database_url) as base:
        first = asyncio.run(post_all(base, bodies(30)))
        again = asyncio.run(post_all(base, bodies(30)))
        changed = asyncio.run(post_all(base, bodies(31)))
    for outcome, responses in (("created", first), ("unchanged", again), ("updated", changed)):
        for n, response in enumerate(responses):
            assert response.status_code == 200, response.text
            body = response.json()
            bad_at = 0 if n % 2 else 1
            assert (body[outcome], body["rejected"]) == (1, 1), (outcome, n, body)
            assert body["created"] + body["updated"] + body["unchanged"] == 1
            (reject,) = body["rejects"]
            assert (reject["position"], reject["externalId"]) == (bad_at, f"CA-bad-{n}")
            assert reject["reason"].startswith("DateTime:")
    assert stored(settings, Call) == REQUESTS


def test_a_failing_request_fails_alone_and_the_others_of_its_group_import(
    settings: Settings,
) -> None:
    async def key(conn: Any) -> str:
        return await f.api_key(conn, await f.account(conn, "acme"))

    token = f.run_db(settings, key)
    payload = load("trackdrive/leads.json")
    nowhere = encode_global_id("Company", 999_999)
    paths = [
        f"/webhooks/trackdrive/leads?company={nowhere if n % 4 == 0 else 'TD1'}"
        for n in range(REQUESTS)
    ]

    async def scenario() -> list[httpx.Response]:
        headers = {"X-API-Key": token}
        async with httpx.AsyncClient(base_url=base, timeout=60, headers=headers) as http:
            return await asyncio.gather(*(http.post(path, json=payload) for path in paths))

    with served(settings.database_url) as base:
        responses = asyncio.run(scenario())
    for n, response in enumerate(responses):
        if n % 4 == 0:
            assert response.status_code == 400, response.text
            assert "no such Company in this account" in response.text
        else:
            assert response.status_code == 200, response.text
            assert response.json()["rejected"] == 0
    created = sum(r.json()["created"] for r in responses if r.status_code == 200)
    assert created == stored(settings, Lead) >= 1


@contextmanager
def turn_held(settings: Settings, account: str) -> Iterator[None]:
    """Another process's import holding `account`'s turn until the block ends: PostgreSQL's
    advisory lock in an open transaction, SQLite's write lock (BEGIN IMMEDIATE)."""
    if settings.is_sqlite:
        conn = sqlite3.connect(settings.database_url.split("///", 1)[1], isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
        return
    dsn = make_url(settings.database_url).set(drivername="postgresql").render_as_string(False)
    held, release = threading.Event(), threading.Event()

    async def hold() -> None:
        conn = await asyncpg.connect(dsn)
        async with conn.transaction():
            key = f"{IMPORT_LOCK_PREFIX}{account}"
            await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", key)
            held.set()
            await asyncio.get_running_loop().run_in_executor(None, release.wait)
        await conn.close()

    thread = threading.Thread(target=asyncio.run, args=(hold(),))
    thread.start()
    try:
        assert held.wait(15)
        yield
    finally:
        release.set()
        thread.join(15)


def test_a_webhook_kept_from_its_turn_is_503_with_retry_after_and_stores_nothing(
    settings: Settings,
) -> None:
    ((_, hook),) = seed(settings, "acme").values()
    body = call("CA-1", 1717221600, "+61412345678")
    with served(settings.database_url, import_turn_seconds="0.5") as base:
        with turn_held(settings, "acme"):
            (refused,) = asyncio.run(post_all(base, [(hook, body)]))
        assert refused.status_code == 503, refused.text
        assert refused.headers["retry-after"] == "1"
        error = refused.json()["errors"][0]
        assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
        assert "IMPORT_TURN_SECONDS" in error["message"]
        assert stored(settings, Call) == 0
        (done,) = asyncio.run(post_all(base, [(hook, body)]))
    assert done.status_code == 200 and done.json()["created"] == 1


def test_past_the_queue_bound_webhooks_are_503_at_once_and_none_is_500(
    settings: Settings,
) -> None:
    ((_, hook),) = seed(settings, "acme").values()
    requests = [(hook, call(f"CA-{n}", 1717221600 + n, "+61412345678")) for n in range(10)]
    env = {"import_turn_seconds": "2", "max_queued_imports": "2"}
    with served(settings.database_url, **env) as base, turn_held(settings, "acme"):
        responses = asyncio.run(post_all(base, requests))
    assert {r.status_code for r in responses} == {503}
    messages = [r.json()["errors"][0]["message"] for r in responses]
    assert sum("MAX_QUEUED_IMPORTS" in m for m in messages) >= 7  # at most 1 taken, 2 waiting
    assert all(r.headers["retry-after"] == "1" for r in responses)
    assert stored(settings, Call) == 0


def test_many_subscribers_get_each_event_once_and_only_their_accounts(
    settings: Settings,
) -> None:
    hooks = seed(settings, "acme", "globex")
    per_account = 3

    async def scenario(base: str) -> dict[str, list[list[str]]]:
        subscribers = {name: [await Subscriber.connect(base, token)
                              for _ in range(per_account)] for name, (token, _) in hooks.items()}  # fmt: skip
        for subs in subscribers.values():
            for sub in subs:
                await sub.subscribe()
        await asyncio.sleep(1.0)  # every subscription watching
        requests = [  # a caller each: no import moves another call's first-call flag
            (hooks[name][1], call(f"CA-{name}-{n}", 1717221600 + n, f"+614{a}{n:07}"))
            for n in range(REQUESTS // 2)
            for a, name in enumerate(hooks)
        ]
        responses = await post_all(base, requests)
        assert all(r.status_code == 200 for r in responses)
        got: dict[str, list[list[str]]] = {}
        for name, subs in subscribers.items():
            got[name] = []
            for sub in subs:
                ids = [(await sub.event())["callEvents"]["call"]["externalId"]
                       for _ in range(REQUESTS // 2)]  # fmt: skip
                with_more = asyncio.wait_for(sub.message(), 1.0)
                try:
                    extra = await with_more
                except TimeoutError:
                    extra = None
                assert extra is None, f"a repeated or foreign event: {extra}"
                got[name].append(ids)
                await sub.close()
        return got

    with served(settings.database_url) as base:
        got = asyncio.run(scenario(base))
    for name in hooks:
        expected = {f"CA-{name}-{n}" for n in range(REQUESTS // 2)}
        for ids in got[name]:
            assert len(ids) == len(set(ids)) and set(ids) == expected
