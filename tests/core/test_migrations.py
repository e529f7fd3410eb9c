"""The migrations build exactly the schema the models describe."""

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import Connection

from app.core.db import create_engine
from app.core.migrate import upgrade
from app.core.settings import Settings
from app.models import metadata

T = datetime(2026, 1, 1, tzinfo=UTC).isoformat()


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [
        diff
        for diff in compare_metadata(context, metadata)
        if not (
            isinstance(diff, tuple)
            and diff[0] == "remove_table"
            and diff[1].name == "alembic_version"
        )
    ]


async def _compare(settings: Settings) -> list[Any]:
    engine = create_engine(settings)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(_differences)
    finally:
        await engine.dispose()


def test_migrated_database_matches_the_models(settings: Settings) -> None:
    assert asyncio.run(_compare(settings)) == []


async def _company_links_after_0007(settings: Settings) -> list[Any]:
    engine = create_engine(settings)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text("INSERT INTO account (id, name, created_at) VALUES (1, 'a', :t)"), {"t": T}
            )
            for pk, vendor, external, account in (
                (1, "CALLRAIL", "254822795", None),
                (2, "FONE_DYNAMICS", "PR1", "AC1"),
            ):
                await conn.execute(
                    text(
                        "INSERT INTO company (id, account_id, vendor, external_id, vendor_account_id, "
                        "name, time_zone, default_region, created_at) "
                        "VALUES (:pk, 1, :v, :e, :acc, 'n', 'UTC', 'US', :t)"
                    ),
                    {"pk": pk, "v": vendor, "e": external, "acc": account, "t": T},
                )
            await conn.execute(
                text(
                    "INSERT INTO number (id, account_id, company_id, e164, is_valid, number_type, "
                    "has_voice, has_sms, has_mms, keyword_pool, created_at, updated_at) "
                    "VALUES (1, 1, 2, '+61290001234', true, 'LOCAL', true, false, false, false, :t, :t)"
                ),
                {"t": T},
            )
            await conn.execute(
                text(
                    "INSERT INTO number_link (account_id, number_id, vendor, external_id) "
                    "VALUES (1, 1, 'FONE_DYNAMICS', '+61290001234')"
                )
            )
        await asyncio.to_thread(upgrade, settings)
        async with engine.connect() as conn:
            links = await conn.execute(
                text(
                    "SELECT company_id, vendor, external_id, vendor_account_id FROM company_link "
                    "ORDER BY id"
                )
            )
            named = await conn.execute(text("SELECT named_by FROM company ORDER BY id"))
            number = await conn.execute(text("SELECT vendor_account_id FROM number_link"))
            return [list(links), list(named.scalars()), list(number.scalars())]
    finally:
        await engine.dispose()


def test_0007_copies_each_companys_own_vendor_id_into_company_link(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
    upgrade(settings, "0006_live_data")

    links, named, number = asyncio.run(_company_links_after_0007(settings))

    assert [tuple(row) for row in links] == [
        (1, "CALLRAIL", "254822795", None),
        (2, "FONE_DYNAMICS", "PR1", "AC1"),
    ]
    assert named == ["VENDOR", "VENDOR"]
    assert number == ["AC1"]  # the property's AccountSid
