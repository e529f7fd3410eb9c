"""Every command on an unmigrated and on an unreachable database: one line naming the problem
(and `switchboard migrate` where that is the fix), a non-zero exit, no traceback."""

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.cli import main
from app.core.db import create_engine
from app.core.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
SYNC = ["sync", "callrail", "sources", "--base-url", "http://127.0.0.1:9", "--api-key", "k"]
COMMANDS = {
    "keys create": ["keys", "create", "--account", "acme"],
    "keys list": ["keys", "list"],
    "keys revoke": ["keys", "revoke", "sb_abc_def"],
    "demo": ["demo"],
    "import": ["import", "callrail", "sources", "/dev/null"],
    "serve --demo-key": ["serve", "--port", "0", "--demo-key"],
    "sync": SYNC,
}
UNREACHABLE = {
    "postgresql-refused": "postgresql://switchboard:secret@127.0.0.1:1/switchboard",
    "postgresql-unknown-host": "postgresql://switchboard@no-such-host.invalid/switchboard",
}


async def _admin(url: str, statement: str) -> None:
    engine = create_engine(Settings(database_url=url))
    try:
        async with engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def empty_postgres() -> Iterator[str]:
    """A database of this module's own with no tables at all."""
    if not POSTGRES_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    server = Settings(database_url=POSTGRES_URL).database_url
    name = f"sb_empty_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(server, f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(_admin(server, f'DROP DATABASE "{name}"'))


@pytest.fixture(params=["sqlite", "postgresql"])
def unmigrated(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    url: str = request.getfixturevalue("empty_postgres")
    return url


def _one_line_failure(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if "retrying in" not in line]
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize("argv", COMMANDS.values(), ids=COMMANDS.keys())
def test_an_unmigrated_database_names_switchboard_migrate(
    argv: list[str],
    unmigrated: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # the sync's state directory lands here
    assert main(["--database-url", unmigrated, *argv]) != 0
    assert "run `switchboard migrate`" in _one_line_failure(capsys)


@pytest.mark.parametrize("url", UNREACHABLE.values(), ids=UNREACHABLE.keys())
@pytest.mark.parametrize(
    "argv", [*COMMANDS.values(), ["migrate"]], ids=[*COMMANDS.keys(), "migrate"]
)
def test_an_unreachable_database_is_one_line_without_its_password(
    argv: list[str],
    url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["--database-url", url, *argv]) == 1
    line = _one_line_failure(capsys)
    assert line.startswith(f"switchboard {argv[0]}: cannot reach the database at postgresql")
    assert "secret" not in line


def test_keys_create_on_an_unmigrated_database_as_a_process(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "app.cli",
            "--database-url",
            url,
            "keys",
            "create",
            "--account",
            "a",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "has no Switchboard tables: run `switchboard migrate`" in result.stderr


def test_a_bad_database_url_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--database-url", "mysql://x/y", "schema"]) == 2
    assert "DATABASE_URL must be sqlite+aiosqlite" in _one_line_failure(capsys)
