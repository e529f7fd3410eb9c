"""`switchboard keys ...` as a subprocess: a key is printed once, works, and stops when revoked."""

import os
import subprocess
import sys
from pathlib import Path

from starlette.testclient import TestClient

from app.core.settings import Settings
from app.web.app import create_app

SWITCHBOARD = str(Path(sys.executable).parent / "switchboard")
QUERY = {"query": "{ companies { totalCount } calls { totalCount } }"}


def switchboard(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": settings.database_url}
    return subprocess.run([SWITCHBOARD, *args], capture_output=True, text=True, env=env, timeout=60)


def test_create_prints_a_working_key_and_revoke_ends_it(settings: Settings) -> None:
    created = switchboard(settings, "keys", "create", "--account", "acme", "--scope", "companies:read")
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    assert token.startswith("sb_") and "not shown again" in created.stderr

    with TestClient(create_app(settings)) as client:
        body = client.post("/graphql", json=QUERY, headers={"Authorization": f"Bearer {token}"}).json()
    assert body["data"] == {"companies": {"totalCount": 0}, "calls": None}
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    listed = switchboard(settings, "keys", "list")
    assert token.split("_")[1] in listed.stdout and token not in listed.stdout

    revoked = switchboard(settings, "keys", "revoke", token)
    assert revoked.returncode == 0, revoked.stderr
    with TestClient(create_app(settings)) as client:
        assert client.post("/graphql", json=QUERY, headers={"X-API-Key": token}).status_code == 401
    assert switchboard(settings, "keys", "revoke", token).returncode == 1


def test_unknown_scopes_are_refused(settings: Settings) -> None:
    result = switchboard(settings, "keys", "create", "--account", "acme", "--scope", "calls:write")
    assert result.returncode == 2
    assert "unknown scope 'calls:write'" in result.stderr
