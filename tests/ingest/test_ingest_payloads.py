"""Ingest pieces that need no database: the registry, vendor names, payload field types and
the fast caller parser (same verdicts as app.core.phone.parse_phone)."""

from datetime import UTC, datetime
from decimal import Decimal

import phonenumbers
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import ValidationError

from app.core.phone import PhoneParseError, parse_phone
from app.ingest import ImportSummary
from app.ingest.phones import caller_e164, international_callers
from app.models.enums import Vendor
from app.vendors.base import error_reason
from app.vendors.fonedynamics.payloads import FoneDynamicsCall
from app.vendors.registry import REGISTRY, parse_vendor
from app.vendors.trackdrive.payloads import TrackDriveLead


def test_registry_has_the_documented_resources() -> None:
    assert set(REGISTRY) == {
        (Vendor.CALLRAIL, "sources"),
        (Vendor.FONE_DYNAMICS, "numbers"),
        (Vendor.FONE_DYNAMICS, "calls"),
        (Vendor.BUTTER, "phone-numbers"),
        (Vendor.TRACKDRIVE, "leads"),
    }
    assert {spec.vendor for spec in REGISTRY.values() if not spec.names_company} == {
        Vendor.BUTTER, Vendor.TRACKDRIVE,
    }  # fmt: skip


@pytest.mark.parametrize(
    "name", ["fone-dynamics", "FONE_DYNAMICS", "FoneDynamics", "fone dynamics"]
)
def test_vendor_names_as_people_write_them(name: str) -> None:
    assert parse_vendor(name) is Vendor.FONE_DYNAMICS


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2016-01-01 12:25:15 -0500", datetime(2016, 1, 1, 17, 25, 15, tzinfo=UTC)),
        ("2016-01-01T12:25:15-05:00", datetime(2016, 1, 1, 17, 25, 15, tzinfo=UTC)),
        ("2016-01-01T17:25:15Z", datetime(2016, 1, 1, 17, 25, 15, tzinfo=UTC)),
        ("2016-01-01 17:25:15", datetime(2016, 1, 1, 17, 25, 15, tzinfo=UTC)),  # no offset: UTC
    ],
)
def test_trackdrive_dates(raw: str, expected: datetime) -> None:
    lead = TrackDriveLead.model_validate({"id": 1, "created_at": raw, "updated_at": raw})
    assert lead.created_at == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12.50", Decimal("12.5")), (12.1, Decimal("12.1")), (7, Decimal(7)), ("", None),
     (None, None), ("0.00016", Decimal("0.0002"))],
)  # fmt: skip
def test_trackdrive_money_is_exact_to_four_places(raw: object, expected: Decimal | None) -> None:
    lead = TrackDriveLead.model_validate(
        {"id": 1, "created_at": "2016-01-01T00:00:00Z", "updated_at": "2016-01-01T00:00:00Z",
         "revenue": raw}
    )  # fmt: skip
    assert lead.revenue == expected


@pytest.mark.parametrize("raw", ["abc", "NaN", "1e30", True, [1]])
def test_trackdrive_money_rejects_non_amounts(raw: object) -> None:
    with pytest.raises(ValidationError) as raised:
        TrackDriveLead.model_validate(
            {"id": 1, "created_at": "2016-01-01T00:00:00Z", "updated_at": "2016-01-01T00:00:00Z",
             "payout": raw}
        )  # fmt: skip
    assert error_reason(raised.value) == f"payout: not an amount of money: {raw!r}"


@pytest.mark.parametrize(("raw", "ok"), [("1717200000", True), (1717200000, True),
                                          ("-5", False), (True, False), ("1e99", False)])  # fmt: skip
def test_fone_dynamics_unix_seconds(raw: object, ok: bool) -> None:
    record = {"CallSid": "CA1", "PropertySid": "PR1", "DateTime": raw, "Disposition": "Busy"}
    if ok:
        assert FoneDynamicsCall.model_validate(record).date_time == datetime(2024, 6, 1, tzinfo=UTC)
        return
    with pytest.raises(ValidationError) as raised:
        FoneDynamicsCall.model_validate(record)
    assert error_reason(raised.value) == f"DateTime: not a Unix timestamp: {raw!r}"


def test_long_inputs_are_shortened_in_reasons() -> None:
    with pytest.raises(ValidationError) as raised:
        FoneDynamicsCall.model_validate({"CallSid": "x" * 500})
    reason = error_reason(raised.value)
    assert reason.startswith("CallSid: String should have at most 100 characters: 'xxx")
    assert len(reason) < 140


def test_summary_line() -> None:
    summary = ImportSummary(resource="calls", created=3, unchanged=2)
    summary.reject(position=4, external_id="CA9", reason="DateTime: not a Unix timestamp: 'x'")
    assert summary.line() == "calls: created 3, updated 0, unchanged 2, rejected 1"
    assert summary.total == 6


@given(st.text(alphabet="+0123456789 ()-.anoymus", max_size=20), st.sampled_from(["US", "AU"]))
def test_caller_parse_agrees_with_parse_phone(raw: str, region: str) -> None:
    try:
        parsed = parse_phone(raw, region)
    except PhoneParseError:
        assert caller_e164(raw, region) is None
        return
    assert caller_e164(raw, region) == (parsed.e164, parsed.is_valid)


# After its "+", a text without a known country code is read as dialled from the region:
# behind the region's international prefix (00 in GB and DE, 011 in the US, 0011 in AU, 99...
# in FI, 99 in KP) a code may follow. Such texts wait for the region.
REGION_PREFIXED = [
    (" +002700000", "GB"), (" +00 27 11 555 1234", "DE"), ("+011 27 11 555 1234", "US"),
    ("+0011 27 11 555 1234", "AU"), ("+991 1 202 555 0123", "FI"), ("+99 1 202 555 0123", "KP"),
]  # fmt: skip


@example(" +002700000", "GB")  # a worker once gave None: the region's 00, then +27
@example("+011 27 11 555 1234", "US")
@example("+0011 27 11 555 1234", "AU")
@example("+991 1 202 555 0123", "FI")  # an unknown code 991, or FI's prefix 99 and +1
@example("+44 1", "GB")  # too short, whatever the region: parsed ahead, as None
@given(
    st.text(alphabet="+0123456789 ()-.", max_size=20).map(lambda tail: " +" + tail),
    st.sampled_from(sorted(phonenumbers.SUPPORTED_REGIONS)),
)
def test_international_callers_need_no_region(raw: str, region: str) -> None:
    # A worker parses these before the company's region is known (app.ingest.validation); the
    # writer parses those it leaves out, with the region.
    assert international_callers([raw]).items() <= {raw: caller_e164(raw, region)}.items()


@pytest.mark.parametrize(("raw", "region"), REGION_PREFIXED)
def test_callers_behind_a_region_prefix_wait_for_the_region(raw: str, region: str) -> None:
    assert caller_e164(raw, region) is not None
    assert caller_e164(raw, "ZZ") is None  # no region, no prefix to strip
    assert international_callers([raw]) == {}


def test_callers_with_a_country_code_are_parsed_ahead() -> None:
    raws = ["+44 20 7946 0958", " +1 202-555-0123", "+44 1", "+"]
    assert international_callers(raws) == {
        "+44 20 7946 0958": ("+442079460958", True), " +1 202-555-0123": ("+12025550123", True),
        "+44 1": None, "+": None,
    }  # fmt: skip


def test_callers_without_a_plus_wait_for_the_region() -> None:
    assert international_callers(["0412 345 678", "anonymous", "+61412345678"]) == {
        "+61412345678": ("+61412345678", True)
    }


@pytest.mark.parametrize(
    "raw", ["+16045551234", "+14165550123", "+18095550123", "+12425551234", "+17055551234"]
)
def test_caller_validity_for_codes_shared_by_countries(raw: str) -> None:
    # +1 numbers of Canada and the Caribbean are not valid for the US but are valid numbers.
    parsed = parse_phone(raw)
    assert caller_e164(raw, "US") == (parsed.e164, parsed.is_valid)
