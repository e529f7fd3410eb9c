"""`serve --demo-key` keeps one demo key across reruns (an open GraphiQL tab keeps working):
the stored key while it is live for the account in this database, else a new one."""

import stat
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from app.cli.keys import demo_key
from app.core.api_keys import revoke_key
from app.core.settings import Settings
from app.web.app import create_app

import helpers.factories as f

QUERY = {"query": "{ companies { totalCount } }"}


@pytest.fixture
def demo_settings(settings: Settings, tmp_path: Path) -> Settings:
    return settings.model_copy(update={"demo_key_file": tmp_path / "var" / "demo-key"})


def status_with(settings: Settings, token: str) -> int:
    with TestClient(create_app(settings)) as client:
        return client.post(
            "/graphql", json=QUERY, headers={"Authorization": f"Bearer {token}"}
        ).status_code


def test_a_rerun_reuses_the_stored_demo_key(demo_settings: Settings) -> None:
    first = demo_key(demo_settings, host="127.0.0.1")
    again = demo_key(demo_settings, host="127.0.0.1")

    assert again == first
    assert status_with(demo_settings, first) == 200
    stored = demo_settings.demo_key_file
    assert stored.read_text().strip() == first
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600


def test_a_revoked_or_foreign_stored_key_is_replaced(demo_settings: Settings) -> None:
    first = demo_key(demo_settings, host="127.0.0.1")
    f.run_db(demo_settings, lambda conn: revoke_key(conn, prefix=first.split("_")[1]))

    second = demo_key(demo_settings, host="127.0.0.1")

    assert second != first
    assert demo_settings.demo_key_file.read_text().strip() == second
    assert status_with(demo_settings, second) == 200
    # a key of another account (or another database) is not the demo key either
    other = f.run_db(demo_settings, lambda conn: _other_account_key(conn))
    demo_settings.demo_key_file.write_text(other)
    third = demo_key(demo_settings, host="127.0.0.1")
    assert third not in (other, second)
    assert status_with(demo_settings, second) == 401  # the previous demo key was replaced


async def _other_account_key(conn: object) -> str:
    return await f.api_key(conn, await f.account(conn, "someone-else"))  # type: ignore[arg-type]


def test_the_demo_key_is_for_loopback_only(demo_settings: Settings) -> None:
    with pytest.raises(SystemExit, match="loopback"):
        demo_key(demo_settings, host="0.0.0.0")
