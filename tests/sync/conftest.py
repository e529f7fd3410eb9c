"""The sync loop's tests keep their state in a migrated SQLite database of their own; the
database store itself is tested on both databases (test_sync_state.py)."""

import shutil
from pathlib import Path

import pytest

from app.core.settings import Settings


@pytest.fixture
def state_db(sqlite_template: Path, tmp_path: Path) -> Settings:
    path = tmp_path / "state.db"
    shutil.copy(sqlite_template, path)
    return Settings(database_url=f"sqlite+aiosqlite:///{path}")
