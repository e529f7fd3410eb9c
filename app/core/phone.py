"""Phone numbers: any written form in, E.164 out, with type and validity from phonenumbers."""

from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberType

from app.models.enums import NumberType

# Caller ids vendors send when there is no number to show.
ANONYMOUS_VALUES = frozenset({"", "anonymous", "unknown", "private", "restricted", "unavailable"})

_TYPE_MAP = {
    PhoneNumberType.FIXED_LINE: NumberType.LOCAL,
    PhoneNumberType.FIXED_LINE_OR_MOBILE: NumberType.LOCAL,
    PhoneNumberType.MOBILE: NumberType.MOBILE,
    PhoneNumberType.TOLL_FREE: NumberType.TOLL_FREE,
    PhoneNumberType.SHARED_COST: NumberType.SHARED_RATE,
    PhoneNumberType.PREMIUM_RATE: NumberType.PREMIUM_RATE,
    PhoneNumberType.VOIP: NumberType.NATIONAL,
    PhoneNumberType.UAN: NumberType.NATIONAL,
    PhoneNumberType.PERSONAL_NUMBER: NumberType.NATIONAL,
}


@dataclass(frozen=True, slots=True)
class ParsedPhone:
    """A number that parsed to a possible E.164; `is_valid` is phonenumbers' stricter verdict."""

    e164: str
    country_code: str | None
    is_valid: bool
    number_type: NumberType


class PhoneParseError(ValueError):
    """The text is not a possible phone number."""


@lru_cache(maxsize=200_000)
def parse_phone(raw: str, region: str = "US") -> ParsedPhone:
    """Parse any common written form; national forms use `region`.

    A possible-but-invalid number is kept (vendors' own examples such as +15551234567 fail strict
    validation, and numbering plans change faster than metadata); `is_valid` reports the verdict.
    """
    text = raw.strip()
    if text.lower() in ANONYMOUS_VALUES:
        raise PhoneParseError(f"{raw!r} is not a phone number")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise PhoneParseError(f"{raw!r} is not a phone number: {exc}") from None
    if not phonenumbers.is_possible_number(number):
        raise PhoneParseError(f"{raw!r} is not a possible phone number")
    is_valid = phonenumbers.is_valid_number(number)
    kind = _TYPE_MAP.get(phonenumbers.number_type(number), NumberType.UNKNOWN) if is_valid else (
        NumberType.UNKNOWN
    )
    return ParsedPhone(
        e164=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        country_code=phonenumbers.region_code_for_number(number),
        is_valid=is_valid,
        number_type=kind,
    )


def to_e164(raw: str, region: str = "US") -> str | None:
    """E.164 for `raw`, or None for anonymous and unparseable values."""
    try:
        return parse_phone(raw, region).e164
    except PhoneParseError:
        return None
