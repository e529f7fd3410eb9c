"""Custom scalars. DateTime and Decimal are Strawberry's (ISO 8601 with offset; decimal strings)."""

from typing import Any, NewType

import strawberry
from strawberry.types.scalar import ScalarDefinition

PhoneNumber = NewType("PhoneNumber", str)


def _parse_phone_text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"PhoneNumber must be a string, got {type(value).__name__}")
    return value


PHONE_NUMBER: ScalarDefinition = strawberry.scalar(
    name="PhoneNumber",
    description=(
        "A phone number. Output is E.164 (+17701112222). Input takes any common written form "
        "((770) 111-2222, 770-111-2222, +17701112222); national forms are read with the "
        "company's default region, else the account's."
    ),
    serialize=str,
    parse_value=_parse_phone_text,
)

SCALAR_MAP = {PhoneNumber: PHONE_NUMBER}
