"""Custom scalars, each stating its wire form: DateTime, Decimal, JSON and PhoneNumber."""

import decimal
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, NewType

import dateutil.parser
import strawberry
from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.scalars import JSON
from strawberry.schema.types.scalar import DEFAULT_SCALAR_REGISTRY
from strawberry.types.scalar import ScalarDefinition

PhoneNumber = NewType("PhoneNumber", str)

RFC_3339 = "https://datatracker.ietf.org/doc/html/rfc3339"
E_164 = "https://www.itu.int/rec/T-REC-E.164"
MAX_UNIX_SECONDS = 253_402_300_799  # 9999-12-31T23:59:59Z, the last instant RFC 3339 can write
SPACED = "%Y-%m-%d %H:%M:%S %z"  # TrackDrive's "2016-01-01 12:25:15 -0500"


def _unix_seconds(value: int) -> datetime:
    if not 0 <= value <= MAX_UNIX_SECONDS:
        raise StrawberryInputCoercionError(
            f"DateTime cannot represent {value}: Unix seconds must be 0 to {MAX_UNIX_SECONDS}"
        )
    return datetime.fromtimestamp(value, UTC)


def parse_datetime(value: Any) -> datetime:
    """RFC 3339 / ISO 8601 text (an offset-less value is read in the filter's time zone),
    TrackDrive's `2016-01-01 12:25:15 -0500`, or Unix seconds as an integer (Fone Dynamics)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return _unix_seconds(value)
    if not isinstance(value, str):
        raise StrawberryInputCoercionError(
            f"DateTime cannot represent {value!r}: expected a string or Unix seconds (an integer)"
        )
    try:
        parsed: datetime = dateutil.parser.isoparse(value)
        return parsed
    except (ValueError, OverflowError):
        pass
    try:
        return datetime.strptime(value, SPACED)
    except ValueError:
        raise StrawberryInputCoercionError(
            f'DateTime cannot represent "{value}": expected RFC 3339 (2016-01-01T12:25:15-05:00), '
            "TrackDrive's 2016-01-01 12:25:15 -0500, or Unix seconds (an integer)"
        ) from None


def _parse_phone_text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"PhoneNumber must be a string, got {type(value).__name__}")
    return value


DATETIME = ScalarDefinition(
    name="DateTime",
    description=(
        "An instant. Output is RFC 3339 in UTC: `2026-03-01T14:05:09+00:00`, with fractional "
        "seconds (`.250000`) only when they are not zero. Input takes RFC 3339 / ISO 8601 "
        "(`2026-03-01T09:05:09-05:00`; without an offset it is read in the filter's time "
        "zone), TrackDrive's `2016-01-01 12:25:15 -0500`, and Unix seconds as an integer "
        "(`1451650000`, as Fone Dynamics' After/Before take them)."
    ),
    specified_by_url=RFC_3339,
    serialize=datetime.isoformat,
    parse_value=parse_datetime,
    parse_literal=None,
    origin=datetime,
)

# Strawberry's own Decimal and JSON, with descriptions that state the wire form.
DECIMAL = replace(
    DEFAULT_SCALAR_REGISTRY[decimal.Decimal],
    description=(
        'An exact amount (money): a JSON string with four decimal places, `"12.5000"`, never '
        "a float."
    ),
)

JSON_VALUE = replace(
    DEFAULT_SCALAR_REGISTRY[JSON],
    description=(
        "Any JSON value (object, array, string, number, boolean or null; ECMA-404), sent as "
        "it was stored, not as a string holding JSON."
    ),
)

PHONE_NUMBER: ScalarDefinition = strawberry.scalar(
    name="PhoneNumber",
    description=(
        "A phone number. Output is E.164 (`+17701112222`). Input takes any common written form "
        "(`(770) 111-2222`, `770-111-2222`, `+17701112222`); national forms are read with the "
        "company's default region, else the account's."
    ),
    specified_by_url=E_164,
    serialize=str,
    parse_value=_parse_phone_text,
)

SCALAR_MAP = {
    PhoneNumber: PHONE_NUMBER,
    datetime: DATETIME,
    decimal.Decimal: DECIMAL,
    JSON: JSON_VALUE,
}
