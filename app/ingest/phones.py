"""Caller ids parsed fast, with the same verdicts as app.core.phone.parse_phone.

E.164 and validity, without the number-type and region lookups a Caller never needs; those are
most of parse_phone's cost for +1 numbers, and a large import sees hundreds of thousands of
distinct callers."""

from collections.abc import Iterable
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberFormat

from app.core.phone import ANONYMOUS_VALUES

# A worker process parses each file's callers (_region_free); with fewer entries than an
# import's distinct callers the cache thrashes (as measured on a large import; an entry is a
# few hundred bytes, so the cap bounds the cache to about 100 MB). The writing process parses
# the rest, or all of them without a worker.
CACHED_CALLERS = 300_000


@lru_cache(maxsize=CACHED_CALLERS)
def caller_e164(raw: str, region: str) -> tuple[str, bool] | None:
    """(E.164, is_valid) for a caller id, or None for anonymous and unparseable text."""
    text = raw.strip()
    if text.lower() in ANONYMOUS_VALUES:
        return None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    return _verdict(number)


def _verdict(number: phonenumbers.PhoneNumber) -> tuple[str, bool] | None:
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164), _is_valid(number)


def _is_valid(number: phonenumbers.PhoneNumber) -> bool:
    # Valid for the calling code's main region means valid (is_valid_number would pick that
    # region first); only otherwise try every region sharing the code, as it does.
    main = phonenumbers.region_code_for_country_code(number.country_code or 0)
    return phonenumbers.is_valid_number_for_region(number, main) or phonenumbers.is_valid_number(
        number
    )


def international_callers(raws: Iterable[str]) -> dict[str, tuple[str, bool] | None]:
    """caller_e164's verdicts for the caller ids written with a leading "+" whose verdict no
    company's region can change, so a worker process parses them before the region is known
    (app.ingest.validation); the others wait for the region (ImportContext.caller)."""
    found = {}
    for raw in set(raws):
        if raw.strip().startswith("+"):
            known, verdict = _region_free(raw)
            if known:
                found[raw] = verdict
    return found


@lru_cache(maxsize=CACHED_CALLERS)
def _region_free(raw: str) -> tuple[bool, tuple[str, bool] | None]:
    """(True, caller_e164's verdict) when no region can change it, else (False, None).

    phonenumbers reads the country calling code after a leading "+" without the region, and
    from there on uses only that code's metadata. Only when no known code follows the "+"
    (INVALID_COUNTRY_CODE) does it try again with the "+" dropped, as a number dialled from the
    region: it strips the region's international prefix and looks for a code after that. So
    " +00 27 ..." is +27 from GB or DE (prefix 00) and no number from the US (011), " +011 27
    ..." is +27 from the US, " +991 1 ..." +1 from FI (prefix 99...). Without a region ("ZZ")
    that retry always fails with INVALID_COUNTRY_CODE, and those texts wait; every other
    failure comes before the region is looked at or after a code was read from the text."""
    try:
        number = phonenumbers.parse(raw.strip(), "ZZ")
    except phonenumbers.NumberParseException as exc:
        return exc.error_type != phonenumbers.NumberParseException.INVALID_COUNTRY_CODE, None
    return True, _verdict(number)
