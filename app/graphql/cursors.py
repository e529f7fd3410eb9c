"""Opaque keyset cursors: the position (sort value, id) plus what list and order they belong to."""

import base64
import binascii
from datetime import datetime
from decimal import Decimal
from typing import Any

import orjson

from app.graphql.errors import UserInputError


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, Decimal):
        return {"d": str(value)}
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict):
        if "t" in value:
            return datetime.fromisoformat(value["t"])
        if "d" in value:
            return Decimal(value["d"])
        raise ValueError("unknown cursor value")
    if value is None or isinstance(value, int | str):
        return value
    raise ValueError("unknown cursor value")


def encode_cursor(*, issuer: str, value: Any, pk: int) -> str:
    """`issuer` names the connection's type and order, so a cursor cannot be used elsewhere."""
    raw = orjson.dumps([issuer, _encode_value(value), pk])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, *, issuer: str, argument: str) -> tuple[Any, int]:
    """(sort value, id) of a cursor issued for `issuer`; BAD_USER_INPUT naming `argument` if not."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        issued_for, value, pk = orjson.loads(raw)
        decoded = _decode_value(value)
    except (binascii.Error, ValueError, TypeError, orjson.JSONDecodeError):
        raise UserInputError(f"{argument}: {cursor!r} is not a valid cursor") from None
    if issued_for != issuer or not isinstance(pk, int):
        raise UserInputError(
            f"{argument}: the cursor belongs to another list or ordering, not {issuer}"
        )
    return decoded, pk
