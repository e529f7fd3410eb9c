"""A database of a test module's own, seeded with the demo (real vendor payloads through the
import path), and a client per read path on it with one frozen clock."""

import asyncio
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

from app.core.db import create_engine, create_session_factory
from app.core.migrate import upgrade
from app.core.settings import Settings
from app.demo.plan import plan_demo
from app.demo.run import run_demo
from app.web.app import create_app

import helpers.factories as f
from helpers.differential.dataset import frozen_clock

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")  # as tests/conftest.py reads it
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])
READ_PATHS = {"compiled": True, "general": False}


async def _on_server(url: str, statement: str) -> None:
    engine = create_engine(Settings(database_url=url))
    try:
        async with engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


@contextmanager
def module_database(request: pytest.FixtureRequest, backend: str) -> Iterator[str]:
    """A migrated database no other test truncates: a copied SQLite file, or a PostgreSQL
    database of its own, dropped afterwards."""
    if backend == "sqlite":
        folder = request.getfixturevalue("tmp_path_factory").mktemp("demo")
        shutil.copy(request.getfixturevalue("sqlite_template"), folder / "demo.db")
        yield f"sqlite+aiosqlite:///{folder / 'demo.db'}"
        return
    assert POSTGRES_URL
    server = Settings(database_url=POSTGRES_URL).database_url
    name = f"sb_demo_{uuid.uuid4().hex[:12]}"
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    asyncio.run(_on_server(server, f'CREATE DATABASE "{name}"'))
    try:
        upgrade(Settings(database_url=url))
        yield url
    finally:
        asyncio.run(_on_server(server, f'DROP DATABASE "{name}" WITH (FORCE)'))


async def seed(settings: Settings, *, seed: int, calls: int, today: date) -> None:
    engine = create_engine(settings)
    try:
        plan = plan_demo(seed=seed, calls=calls, today=today)
        await run_demo(session_factory=create_session_factory(engine), account="demo", plan=plan)
    finally:
        await engine.dispose()


@contextmanager
def demo_clients(
    request: pytest.FixtureRequest, backend: str, *, seed_value: int, calls: int, today: date
) -> Iterator[dict[str, TestClient]]:
    """{"compiled": client, "general": client}, both authenticated as the demo account."""
    with module_database(request, backend) as url, ExitStack() as stack:
        settings = Settings(database_url=url)
        asyncio.run(seed(settings, seed=seed_value, calls=calls, today=today))
        headers = {"Authorization": f"Bearer {f.run_db(settings, f.demo_key)}"}
        clients = {}
        for path, compiled in READ_PATHS.items():
            app = create_app(
                settings.model_copy(update={"compiled_reads": compiled}), clock=frozen_clock
            )
            clients[path] = stack.enter_context(TestClient(app, headers=headers))
        yield clients
