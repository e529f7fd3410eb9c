"""Shared pieces of the import tests (imported explicitly): the recorded payloads and the types
of the fixtures in conftest.py."""

import json
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from app.core.db import create_engine
from app.core.settings import Settings
from app.ingest import ImportSummary
from app.models import metadata

FIXTURES = Path(__file__).parent.parent / "fixtures" / "vendors"
ACCOUNT = "acme"

Importer = Callable[..., Awaitable[ImportSummary]]
Snapshot = Callable[[], Awaitable[dict[str, list[dict[str, Any]]]]]
Rows = Callable[..., Awaitable[list[Any]]]


def load(path: str) -> Any:
    """A recorded payload, e.g. load("fonedynamics/calls.json")."""
    return json.loads((FIXTURES / path).read_text())


SWITCHBOARD = str(Path(sys.executable).parent / "switchboard")
CALLS = load("fonedynamics/calls.json")


def call(sid: str, when: int, caller: str, to: str = "+61290001234") -> dict[str, Any]:
    return {**CALLS[0], "CallSid": sid, "DateTime": str(when), "From": caller, "To": to}


def mixed_pages(folder: Path) -> list[Path]:
    """Pages covering each path through an import: good calls, a record the model refuses,
    one refused when its number is resolved, national and anonymous callers, a caller's older
    call arriving in a later file, a file that is not JSON and one of the wrong shape."""
    pages: dict[str, Any] = {
        "1-calls.json": CALLS,
        "2-mixed.json": [
            call("CA-national", 1717300000, "0412 345 679"),
            {**CALLS[1], "CallSid": "CA-bad-date", "DateTime": "yesterday"},
            call("CA-bad-number", 1717300100, "+61412345670", to="hello"),
            call("CA-anonymous", 1717300200, "anonymous"),
            call("CA-repeat", 1717300300, "+61412345679"),
        ],
        "3-older.json": [call("CA-older", 1717100000, "+61412345678")],
        "4-not-json.json": "<html>502 Bad Gateway</html>",
        "5-wrong-shape.json": load("butter/phone_numbers.json"),
    }
    paths = []
    for name, page in pages.items():
        path = folder / name
        path.write_text(page if isinstance(page, str) else json.dumps(page))
        paths.append(path)
    return paths


def import_command(
    database_url: str, paths: list[Path], *options: str, resource: str = "calls"
) -> list[str]:
    """`switchboard import fone-dynamics RESOURCE PATH... OPTION...`."""
    return [SWITCHBOARD, "--database-url", database_url, "import", "fone-dynamics", resource,
            *map(str, paths), *options]  # fmt: skip


def switchboard_import(
    database_url: str, paths: list[Path], *options: str, cwd: Path, resource: str = "calls"
) -> Any:
    """import_command run as a process to its end."""
    return subprocess.run(
        import_command(database_url, paths, *options, resource=resource), capture_output=True,
        text=True, cwd=cwd, timeout=120, check=False,
    )  # fmt: skip


# Columns the clock fills: when a row was stored, changed or stamped by an import.
CLOCK_COLUMNS = ("created_at", "updated_at", "imported_at", "changed_at")


async def table_rows(database_url: str, *, empty_after: bool) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows by id, without the clock's columns; optionally emptied afterwards
    (ids start again at 1 on both databases)."""
    engine = create_engine(Settings(database_url=database_url))
    try:
        async with engine.begin() as conn:
            found = {}
            for table in metadata.sorted_tables:
                rows = (await conn.execute(select(table).order_by(table.c.id))).mappings()
                found[table.name] = [
                    {k: v for k, v in row.items() if k not in CLOCK_COLUMNS}
                    for row in rows
                ]
            if empty_after:
                await _empty(conn)
            return found
    finally:
        await engine.dispose()


async def _empty(conn: Any) -> None:
    if conn.dialect.name == "postgresql":
        tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
        await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        return
    for table in reversed(metadata.sorted_tables):
        await conn.execute(table.delete())
