"""Caller ids parsed fast: the same verdicts as app.phone.parse_phone (E.164, validity) without
the number-type and region lookups a Caller never needs; those are most of parse_phone's cost
for +1 numbers, and a large import sees hundreds of thousands of distinct callers."""

from collections.abc import Iterable
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberFormat

from app.phone import ANONYMOUS_VALUES


# A worker process parses each file's callers; with fewer entries than an import's distinct
# callers the cache thrashes (1M calls of 250,000 callers: 318,169 parses with 200,000 entries,
# 245,343 with 300,000; a parse ~35 us, an entry ~340 bytes, so at most ~100 MB).
@lru_cache(maxsize=300_000)
def caller_e164(raw: str, region: str) -> tuple[str, bool] | None:
    """(E.164, is_valid) for a caller id, or None for anonymous and unparseable text."""
    text = raw.strip()
    if text.lower() in ANONYMOUS_VALUES:
        return None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    return e164, _is_valid(number)


def _is_valid(number: phonenumbers.PhoneNumber) -> bool:
    # Valid for the calling code's main region means valid (is_valid_number would pick that
    # region first); only otherwise try every region sharing the code, as it does.
    main = phonenumbers.region_code_for_country_code(number.country_code)
    return phonenumbers.is_valid_number_for_region(number, main) or phonenumbers.is_valid_number(
        number
    )


def international_callers(raws: Iterable[str]) -> dict[str, tuple[str, bool] | None]:
    """caller_e164's verdicts for the caller ids written with a leading "+": the country code is
    in the text, so no company's region can change them, and a worker process parses them
    before the region is known (app.ingest.prepare)."""
    return {raw: caller_e164(raw, "ZZ") for raw in set(raws) if raw.strip().startswith("+")}
