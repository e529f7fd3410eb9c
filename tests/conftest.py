"""Fresh, migrated databases for every test: SQLite always, PostgreSQL too when
TEST_DATABASE_URL is set (CI sets it). Each pytest run gets its own PostgreSQL database, so
parallel runs on one server never collide."""

import asyncio
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.core.db import create_engine
from app.core.migrate import upgrade
from app.core.settings import Settings
from app.models import metadata

pytest_plugins = ("helpers.import_fixtures",)  # import tests in tests/ingest, tests/cli, ...

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


async def _execute(url: str, *statements: str, autocommit: bool = False) -> None:
    engine = create_engine(Settings(database_url=url))
    try:
        options = {"isolation_level": "AUTOCOMMIT"} if autocommit else {}
        async with engine.connect() as conn:
            conn = await conn.execution_options(**options)
            for statement in statements:
                await conn.execute(text(statement))
            await conn.commit()
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file; each test copies it (much faster than migrating again)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(Settings(database_url=f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A migrated database of this run's own on the TEST_DATABASE_URL server."""
    assert POSTGRES_URL, "TEST_DATABASE_URL is not set"
    server = Settings(database_url=POSTGRES_URL).database_url
    name = f"sb_test_{uuid.uuid4().hex[:12]}"
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    asyncio.run(_execute(server, f'CREATE DATABASE "{name}"', autocommit=True))
    upgrade(Settings(database_url=url))
    yield url
    asyncio.run(_execute(server, f'DROP DATABASE "{name}" WITH (FORCE)', autocommit=True))


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty, migrated database: a copied SQLite file, or the run's PostgreSQL database
    truncated."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite+aiosqlite:///{path}"
    url: str = request.getfixturevalue("postgres_database")
    tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    asyncio.run(_execute(url, f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    return url


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url)
