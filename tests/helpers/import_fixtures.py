"""Fixtures for the import tests (a pytest plugin the root conftest loads).

A session factory on the fresh test database, an importer bound to the test account, a snapshot
of every table and a row reader."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.db import create_engine, create_session_factory
from app.core.settings import Settings
from app.ingest import ImportSummary, import_payload
from app.models import metadata
from app.models.enums import Vendor

from helpers.imports import ACCOUNT, Importer, Rows, Snapshot


@pytest.fixture
async def session_factory(settings: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(settings)
    yield create_session_factory(engine)
    await engine.dispose()


@pytest.fixture
def run_import(session_factory: async_sessionmaker[AsyncSession]) -> Importer:
    """import_payload for the test account: run_import(vendor, resource, payload, company=...)."""

    async def run(
        vendor: Vendor, resource: str, payload: Any, company: str | None = None
    ) -> ImportSummary:
        return await import_payload(
            session_factory=session_factory,
            account=ACCOUNT,
            vendor=vendor,
            resource=resource,
            payload=payload,
            company=company,
        )

    return run


@pytest.fixture
def snapshot(session_factory: async_sessionmaker[AsyncSession]) -> Snapshot:
    """Every row of every table, ordered by id, to prove an import changed nothing."""

    async def take() -> dict[str, list[dict[str, Any]]]:
        async with session_factory() as session:
            conn = await session.connection()
            result = {}
            for table in metadata.sorted_tables:
                stmt = select(table).order_by(table.c.id)
                result[table.name] = [dict(row) for row in (await conn.execute(stmt)).mappings()]
            return result

    return take


@pytest.fixture
def rows(session_factory: async_sessionmaker[AsyncSession]) -> Rows:
    """rows(Model, *where) -> the table's rows (mappings) matching `where`, ordered by id."""

    async def fetch(model: Any, *where: Any) -> list[Any]:
        table = model.__table__
        async with session_factory() as session:
            conn = await session.connection()
            stmt = select(table).where(*where).order_by(table.c.id)
            return list((await conn.execute(stmt)).mappings())

    return fetch
