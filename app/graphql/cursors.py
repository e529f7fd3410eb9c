"""Opaque keyset cursors: the position (sort value, id) plus what list and order they belong to.

A cursor comes back from the client, so it is input like any other: decoding checks that its
sort value fits the column it is compared with (an aware datetime in years 1-9999, a finite
amount money can store, an integer in the column's range, text without NUL) and that its id
is a key the tables can hold, so a tampered cursor is BAD_USER_INPUT on both databases."""

import base64
import binascii
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import orjson
from sqlalchemy import BigInteger, Column, Integer, String
from sqlmodel.sql.sqltypes import AutoString

from app.core.ids import MAX_KEY
from app.graphql.errors import UserInputError
from app.models.columns import MONEY_SCALE, Money, UTCDateTime

MAX_CURSOR_LENGTH = 2_000
_INT_RANGE = {True: 2**63 - 1, False: 2**31 - 1}  # BigInteger or not
_MONEY_LIMIT = Decimal(2**63 - 1) / MONEY_SCALE


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, Decimal):
        return {"d": str(value)}
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict):
        if "t" in value and isinstance(value["t"], str):
            return datetime.fromisoformat(value["t"])
        if "d" in value and isinstance(value["d"], str):
            return Decimal(value["d"])
        raise ValueError("unknown cursor value")
    if value is None or isinstance(value, int | str):
        return value
    raise ValueError("unknown cursor value")


def encode_cursor(*, issuer: str, value: Any, pk: int) -> str:
    """`issuer` names the connection's type and order, so a cursor cannot be used elsewhere."""
    raw = orjson.dumps([issuer, _encode_value(value), pk])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def fits_column(value: Any, column: Column[Any]) -> bool:
    """Whether `value` is one the sort column can hold, so comparing with it cannot fail."""
    if value is None:
        return bool(column.nullable)
    kind = column.type
    if isinstance(kind, UTCDateTime):
        return isinstance(value, datetime) and value.tzinfo is not None and _in_utc_range(value)
    if isinstance(kind, Money):
        return isinstance(value, Decimal) and value.is_finite() and abs(value) <= _MONEY_LIMIT
    if isinstance(kind, Integer):
        limit = _INT_RANGE[isinstance(kind, BigInteger)]
        return type(value) is int and -limit - 1 <= value <= limit
    if isinstance(kind, String | AutoString):
        return isinstance(value, str) and "\x00" not in value
    return False


def _in_utc_range(value: datetime) -> bool:
    try:
        value.astimezone(UTC)
    except OverflowError:
        return False
    return True


def decode_cursor(
    cursor: str, *, issuer: str, argument: str, column: Column[Any]
) -> tuple[Any, int]:
    """(sort value, id) of a cursor issued for `issuer`, ordered by `column`; BAD_USER_INPUT
    naming `argument` if it is not one."""
    invalid = UserInputError(f"{argument}: {cursor[:100]!r} is not a valid cursor")
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise invalid
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        issued_for, value, pk = orjson.loads(raw)
        decoded = _decode_value(value)
    except (binascii.Error, ValueError, TypeError, InvalidOperation, orjson.JSONDecodeError):
        raise invalid from None
    if issued_for != issuer:
        raise UserInputError(
            f"{argument}: the cursor belongs to another list or ordering, not {issuer}"
        )
    if type(pk) is not int or not 1 <= pk <= MAX_KEY or not fits_column(decoded, column):
        raise invalid
    return decoded, pk
