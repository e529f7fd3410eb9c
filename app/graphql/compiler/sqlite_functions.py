"""Deterministic functions SQLite lacks, registered on every connection.

Base64url global ids and cursors, DateTime and Decimal text (each the same Python code the general executor runs,
so the text is identical; as functions they also keep deep selections within SQLite's parser
stack, which nested CASE expressions overflowed) and a comma-separated list as a JSON array."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.ids import encode_global_id
from app.graphql.cursors import encode_cursor
from app.models.columns import MONEY_SCALE

FOUR_PLACES = Decimal("0.0001")


def _global_id(type_name: str, pk: int) -> str | None:
    return None if pk is None else encode_global_id(type_name, pk)


def _cursor_value(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "t":  # stored text, read back as the UTCDateTime column type reads it
        parsed = datetime.fromisoformat(value)
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    if kind == "d":  # Money: a scaled integer
        return (Decimal(value) / MONEY_SCALE).quantize(FOUR_PLACES)
    return value


def _cursor(issuer: str, kind: str, value: Any, pk: int) -> str:
    return encode_cursor(issuer=issuer, value=_cursor_value(kind, value), pk=pk)


def _datetime(value: str | None) -> str | None:
    """A stored timestamp as the DateTime scalar writes it (isoformat of the UTC value)."""
    return None if value is None else _cursor_value("t", value).isoformat()


def _money(value: int | None) -> str | None:
    """A scaled-integer amount as the Decimal scalar writes it (four places)."""
    return None if value is None else str(_cursor_value("d", value))


def _comma_list(text: str | None) -> str | None:
    return orjson.dumps(text.split(",")).decode() if text else None


FUNCTIONS = (
    ("sb_global_id", 2, _global_id),
    ("sb_cursor", 4, _cursor),
    ("sb_comma_list", 1, _comma_list),
    ("sb_datetime", 1, _datetime),
    ("sb_money", 1, _money),
)


def _register(dbapi_connection: Any, _record: Any) -> None:
    for name, arity, function in FUNCTIONS:
        dbapi_connection.create_function(name, arity, function, deterministic=True)


def install_sql_functions(engine: AsyncEngine) -> None:
    """Register the functions on every SQLite connection `engine` opens (PostgreSQL has its own)."""
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _register)
