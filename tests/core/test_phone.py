"""Phone parsing: any written form in, E.164 out; anonymous and junk rejected."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.phone import PhoneParseError, parse_phone, to_e164
from app.models.enums import NumberType


@pytest.mark.parametrize("raw", ["(770) 111-2222", "770-111-2222", "+17701112222", "1 770 111 2222"])
def test_common_written_forms_give_one_e164(raw: str) -> None:
    assert to_e164(raw, "US") == "+17701112222"


def test_national_form_uses_region() -> None:
    assert to_e164("02 9374 4000", "AU") == "+61293744000"


def test_vendor_example_numbers_are_kept_though_invalid() -> None:
    parsed = parse_phone("+15551234567")
    assert parsed.e164 == "+15551234567"
    assert parsed.is_valid is False


def test_toll_free_type_from_metadata() -> None:
    assert parse_phone("+18005550199").number_type is NumberType.TOLL_FREE


@pytest.mark.parametrize("raw", ["anonymous", "", "  ", "Restricted", "hello", "12"])
def test_not_a_number(raw: str) -> None:
    assert to_e164(raw) is None
    with pytest.raises(PhoneParseError):
        parse_phone(raw)


@given(st.text(max_size=30))
def test_never_raises_anything_but_parse_error(raw: str) -> None:
    try:
        parsed = parse_phone(raw)
    except PhoneParseError:
        return
    assert parsed.e164.startswith("+")
    assert parse_phone(parsed.e164).e164 == parsed.e164
