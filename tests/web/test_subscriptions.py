"""Subscriptions over a real WebSocket to `switchboard serve` processes: a webhook POST reaches
subscribers (on another server process too), in the subscriber's account, filter and selection;
replay-then-live yields each event once while imports race the seam; keys are checked in
connection_init and limited per key."""

import asyncio
import json
import subprocess
import threading
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from app.core.settings import Settings
from app.graphql.limits import SUBSCRIPTION_OVER_HTTP
from app.web.app import create_app
from app.web.media import GRAPHQL_RESPONSE

import helpers.factories as f
from helpers.imports import call, import_command
from helpers.live import CALL_EVENTS, Subscriber, seed, served

FAST_POLL = {"live_poll_seconds": "0.2"}


def test_a_webhook_on_one_server_reaches_a_subscriber_on_another(settings: Settings) -> None:
    ((token, hook),) = seed(settings, "acme").values()
    with (
        served(settings.database_url, **FAST_POLL) as receiver,
        served(settings.database_url, **FAST_POLL) as pusher,
    ):

        async def scenario() -> None:
            subscriber = await Subscriber.connect(pusher, token)
            await subscriber.subscribe()
            await asyncio.sleep(0.5)  # subscribed before the import
            async with httpx.AsyncClient(base_url=receiver) as http:
                posted = await http.post(hook, json=[call("CA-1", 1717221600, "+61412345678")])
                assert posted.json()["created"] == 1
                event = (await subscriber.event())["callEvents"]
                assert (event["kind"], event["call"]["externalId"]) == ("CREATED", "CA-1")
                assert set(event["call"]) == {"id", "externalId", "durationSeconds", "disposition"}
                changed = {**call("CA-1", 1717221600, "+61412345678"), "Duration": 999}
                assert (await http.post(hook, json=changed)).json()["updated"] == 1
                event = (await subscriber.event())["callEvents"]
                assert (event["kind"], event["call"]["durationSeconds"]) == ("UPDATED", 999)
            await subscriber.close()

        asyncio.run(scenario())


def test_another_accounts_subscriber_gets_nothing_and_filters_apply(settings: Settings) -> None:
    keys = seed(settings, "acme", "globex")
    with served(settings.database_url) as base:

        async def scenario() -> None:
            globex = await Subscriber.connect(base, keys["globex"][0])
            await globex.subscribe()
            answered = await Subscriber.connect(base, keys["acme"][0])
            await answered.subscribe(filter={"dispositions": ["ANSWERED"]})
            await asyncio.sleep(0.5)
            async with httpx.AsyncClient(base_url=base) as http:
                missed = {
                    **call("CA-missed", 1717221600, "+61412345678"),
                    "Disposition": "NoAnswer",
                }
                acme_calls = [missed, call("CA-answered", 1717221601, "+61412345679")]
                assert (await http.post(keys["acme"][1], json=acme_calls)).json()["created"] == 2
                first = (await answered.event())["callEvents"]["call"]["externalId"]
                assert first == "CA-answered"  # the missed call did not match the filter
                await http.post(
                    keys["globex"][1], json=[call("CA-globex", 1717221602, "+61412345670")]
                )
                # globex's first event is its own call: acme's two never reached it
                assert (await globex.event())["callEvents"]["call"]["externalId"] == "CA-globex"
            await globex.close()
            await answered.close()

        asyncio.run(scenario())


def test_replay_then_live_yields_each_event_once_while_imports_race_the_seam(
    settings: Settings,
) -> None:
    ((token, hook),) = seed(settings, "acme").values()
    total = 40
    with served(settings.database_url) as base:
        posted: list[str] = []
        a_third_posted = threading.Event()

        def post_all() -> None:
            with httpx.Client(base_url=base) as http:
                for n in range(total):
                    sid = f"CA-{n:03}"
                    assert (
                        http.post(
                            hook, json=call(sid, 1717221600 + n, f"+6141234{n:04}")
                        ).status_code
                        == 200
                    )
                    posted.append(sid)
                    if len(posted) == total // 3:
                        a_third_posted.set()

        async def scenario() -> list[dict[str, Any]]:
            pusher = threading.Thread(target=post_all)
            pusher.start()
            await asyncio.to_thread(a_third_posted.wait, 60)
            subscriber = await Subscriber.connect(base, token)
            await subscriber.subscribe(since="2000-01-01T00:00:00Z")  # while imports keep landing
            events = []
            while len({e["call"]["externalId"] for e in events}) < total:
                events.append((await subscriber.event())["callEvents"])
            pusher.join()
            await subscriber.close()
            return events

        events = asyncio.run(scenario())
    sids = [e["call"]["externalId"] for e in events]
    assert sorted(sids) == [f"CA-{n:03}" for n in range(total)]  # each once, none missing
    assert {e["kind"] for e in events} == {"CREATED"}
    assert [e["cursor"] for e in events] == sorted(
        {e["cursor"] for e in events}, key=[e["cursor"] for e in events].index
    )


def test_after_a_cursor_resumes_right_after_it(settings: Settings) -> None:
    ((token, hook),) = seed(settings, "acme").values()
    with served(settings.database_url) as base:

        async def scenario() -> None:
            async with httpx.AsyncClient(base_url=base) as http:
                for n in range(3):
                    await http.post(hook, json=call(f"CA-{n}", 1717221600 + n, f"+6141234500{n}"))
            first = await Subscriber.connect(base, token)
            await first.subscribe(since="2000-01-01T00:00:00Z")
            cursor = (await first.event())["callEvents"]["cursor"]
            await first.close()
            again = await Subscriber.connect(base, token)
            await again.subscribe(after=cursor)
            resumed = [(await again.event())["callEvents"]["call"]["externalId"] for _ in range(2)]
            assert resumed == ["CA-1", "CA-2"]
            await again.subscribe(op="2", after="not-a-cursor")
            refused = await again.message()
            assert (
                refused["type"] == "error"
                and refused["payload"][0]["extensions"]["code"] == "BAD_USER_INPUT"
            )
            await again.close()

        asyncio.run(scenario())


def test_keys_are_checked_at_connection_init_with_their_scopes_and_limit(database_url: str) -> None:
    settings = Settings(database_url=database_url)
    ((token, _),) = seed(settings, "acme").values()
    ((leads_only, _),) = seed(settings, "initech", scopes=("leads:read",)).values()
    with served(database_url, max_subscriptions_per_key="2") as base:

        async def scenario() -> None:
            with pytest.raises(Exception) as refused:
                await Subscriber.connect(base, "sb_000000000000_" + "x" * 43)
            assert "4403" in str(refused.value)
            narrow = await Subscriber.connect(base, leads_only)
            await narrow.subscribe()
            forbidden = await narrow.message()
            assert forbidden["type"] == "error"
            assert forbidden["payload"][0]["extensions"]["code"] == "FORBIDDEN"
            subscriber = await Subscriber.connect(base, token)
            for op in ("1", "2", "3"):
                await subscriber.subscribe(CALL_EVENTS, op=op)
            limited = await subscriber.message()
            assert (limited["id"], limited["type"]) == ("3", "error")
            assert limited["payload"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
            await narrow.close()
            await subscriber.close()

        asyncio.run(scenario())


def test_a_cli_import_reaches_subscribers(settings: Settings, tmp_path: Any) -> None:
    """Another process's import: NOTIFY on PostgreSQL, the poll of LIVE_POLL_SECONDS on SQLite."""
    ((token, _),) = seed(settings, "acme").values()
    page = tmp_path / "calls.json"
    page.write_text(json.dumps([call("CA-cli", 1717221600, "+61412345678")]))
    with served(settings.database_url, **FAST_POLL) as base:

        async def scenario() -> None:
            subscriber = await Subscriber.connect(base, token)
            await subscriber.subscribe()
            await asyncio.sleep(0.5)
            done = await asyncio.to_thread(
                subprocess.run,
                import_command(settings.database_url, [page], "--account", "acme"),
                capture_output=True, text=True, timeout=60, check=False, cwd=tmp_path,
            )  # fmt: skip
            assert done.returncode == 0, done.stderr
            event = (await subscriber.event())["callEvents"]
            assert (event["kind"], event["call"]["externalId"]) == ("CREATED", "CA-cli")
            await subscriber.close()

        asyncio.run(scenario())


def test_a_subscription_over_http_says_where_it_runs(settings: Settings) -> None:
    key = f.run_db(settings, f.demo_key)
    with TestClient(create_app(settings)) as client:
        response = client.post(
            "/graphql",
            json={"query": "subscription { callEvents { kind } }"},
            headers={"Authorization": f"Bearer {key}", "Accept": GRAPHQL_RESPONSE},
        )
    assert response.status_code == 400
    assert [(e["message"], e["extensions"]["code"]) for e in response.json()["errors"]] == [
        (SUBSCRIPTION_OVER_HTTP, "BAD_USER_INPUT")
    ]
