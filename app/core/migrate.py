"""Schema migrations: upgrade a database and tell whether one is current."""

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.settings import Settings

MIGRATIONS_DIR = Path(__file__).parents[1] / "migrations"


class DatabaseOutOfDate(RuntimeError):
    """The database's schema revision is not the code's head revision."""


def alembic_config(settings: Settings) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", settings.database_url)
    return config


def upgrade(settings: Settings, revision: str = "head") -> None:
    """Bring the database to `revision` (runs its own event loop; call from sync code)."""
    command.upgrade(alembic_config(settings), revision)


async def upgrade_async(settings: Settings) -> None:
    """Bring the database to head from async code (alembic's env runs its own loop)."""
    await asyncio.to_thread(upgrade, settings)


def head_revision(settings: Settings) -> str | None:
    return ScriptDirectory.from_config(alembic_config(settings)).get_current_head()


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def check_current(engine: AsyncEngine, settings: Settings) -> None:
    """Raise DatabaseOutOfDate naming the command to run when the schema is behind the code."""
    async with engine.connect() as connection:
        current = await connection.run_sync(_current)
    head = head_revision(settings)
    if current != head:
        raise DatabaseOutOfDate(
            f"database schema is at revision {current or 'none (empty database)'} but the code "
            f"needs {head}: run `switchboard migrate` (DATABASE_URL={masked_url(settings.database_url)})"
        )


def masked_url(url: str) -> str:
    """A database URL as it may be printed: any password replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "DATABASE_URL"
