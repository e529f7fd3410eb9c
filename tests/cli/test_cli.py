"""The `switchboard` command, run as a process."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def switchboard(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "--database-url", database_url, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_serve_refuses_an_unmigrated_database_and_says_what_to_run(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    result = switchboard("serve", "--port", "0", database_url=url)
    assert result.returncode == 2
    assert "run `switchboard migrate`" in result.stderr


def test_migrate_brings_a_fresh_database_to_head(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    first = switchboard("migrate", database_url=url)
    again = switchboard("migrate", database_url=url)
    assert first.returncode == 0, first.stderr
    assert again.returncode == 0, again.stderr
    assert "head revision" in again.stdout
