"""Every documented vendor field lands in a column: the recorded payloads, read back."""

from datetime import UTC, datetime
from decimal import Decimal

from app.models import Call, Company, Lead, Number, Source
from app.models.enums import Vendor

from helpers.imports import Importer, Rows, load

PROPERTY = "PR4f0c2a9e7b1d4c3a8e5f6a7b8c9d0e1f"


async def test_callrail_sources_companies_and_tracking_numbers(
    run_import: Importer, rows: Rows
) -> None:
    await run_import(Vendor.CALLRAIL, "sources", load("callrail/sources.json"))

    [company] = await rows(Company)
    assert (company["vendor"], company["external_id"], company["name"]) == (
        "CALLRAIL", "254822795", "LMM",
    )  # fmt: skip
    organic, pool = await rows(Source)
    assert organic["external_id"] == "240917258"
    assert (organic["name"], organic["tracking_type"], organic["destination_e164"]) == (
        "Google Organic", "SOURCE", "+17701112222",
    )  # fmt: skip
    assert organic["created_at"] == datetime(2012, 6, 20, 19, 14, 26, tzinfo=UTC)
    assert (organic["disabled_at"], pool["tracking_type"]) == (None, "SESSION")
    numbers = await rows(Number)
    assert len(numbers) == 11
    by_source = {
        n["e164"]: (n["source_id"], n["keyword_pool"], n["endpoint_e164"]) for n in numbers
    }
    assert by_source["+16781112222"] == (organic["id"], False, "+17701112222")
    assert by_source["+16787524454"] == (pool["id"], True, "+17705985444")
    assert {n["company_id"] for n in numbers} == {company["id"]}


async def test_callrail_disabled_at_and_renamed_company(run_import: Importer, rows: Rows) -> None:
    payload = load("callrail/sources_field_examples.json")
    await run_import(Vendor.CALLRAIL, "sources", payload)
    payload["sources"][0]["company_name"] = "Bob's Auto Garage & Tyres"
    await run_import(Vendor.CALLRAIL, "sources", payload)

    [source] = await rows(Source)
    assert source["disabled_at"] == datetime(2012, 8, 5, 19, 6, 10, tzinfo=UTC)
    [company] = await rows(Company)
    assert company["name"] == "Bob's Auto Garage & Tyres"


async def test_fone_dynamics_number_fields(run_import: Importer, rows: Rows) -> None:
    await run_import(Vendor.FONE_DYNAMICS, "numbers", load("fonedynamics/numbers.json"))

    [company] = await rows(Company, Company.external_id == PROPERTY)
    assert (company["vendor_account_id"], company["default_region"]) == (
        "AC1b2c3d4e5f60718293a4b5c6d7e8f901", "AU",
    )  # fmt: skip
    [number] = await rows(Number, Number.e164 == "+61290001234")
    [google] = await rows(Source, Source.external_id == f"{PROPERTY}:google")
    assert {k: number[k] for k in EXPECTED_NUMBER} == EXPECTED_NUMBER | {
        "company_id": company["id"], "source_id": google["id"],
    }  # fmt: skip
    types = {n["e164"]: (n["number_type"], n["status"]) for n in await rows(Number)}
    assert types["+611800123456"] == ("TOLL_FREE", "PENDING")
    assert types["+611300123456"] == ("SHARED_RATE", "ACTIVE")
    assert types["+61731234567"] == ("NATIONAL", "ACTIVE")


EXPECTED_NUMBER = {
    "company_id": None, "source_id": None, "friendly_name": "Sydney office - Google Ads",
    "routing_method": "ENDPOINT", "endpoint_e164": "+61298765432", "recording_mode": "CALL",
    "attribution_source": "google", "attribution_medium": "cpc",
    "attribution_campaign": "spring-sale", "attribution_content": "headline-a",
    "number_type": "LOCAL", "has_voice": True, "has_sms": True, "has_mms": False,
    "country_code": "AU", "region": "NSW", "city": "Sydney", "status": "ACTIVE",
    "is_valid": True,
}  # fmt: skip


async def test_fone_dynamics_call_fields(run_import: Importer, rows: Rows) -> None:
    calls = load("fonedynamics/calls.json")
    await run_import(Vendor.FONE_DYNAMICS, "calls", calls)

    first, anonymous, ivr, _, failed = await rows(Call)
    [number] = await rows(Number, Number.e164 == "+61290001234")
    [google] = await rows(Source, Source.external_id == f"{PROPERTY}:google")
    assert {k: first[k] for k in EXPECTED_CALL} == EXPECTED_CALL | {
        "number_id": number["id"], "source_id": google["id"],
    }  # fmt: skip
    assert (anonymous["disposition"], anonymous["caller_id"], anonymous["caller_raw"]) == (
        "NO_ANSWER", None, "anonymous",
    )  # fmt: skip
    assert (ivr["disposition"], ivr["prompt_keys"], ivr["is_first_call"]) == ("IVR", "1,2", False)
    assert (failed["prompt_keys"], failed["traffic_type"]) == ("2,3;1", "REFERRAL")
    regions = {c["external_id"]: c["default_region"] for c in await rows(Company)}
    assert regions[PROPERTY] == "AU"  # from the dialled number, for national-format callers


EXPECTED_CALL = {
    "external_id": "CA7d1e3f5a9b2c4d6e8f0a1b3c5d7e9f01", "vendor": "FONE_DYNAMICS",
    "number_id": None, "source_id": None,
    "started_at": datetime(2024, 6, 1, 0, 0, tzinfo=UTC), "duration_seconds": 184,
    "disposition": "ANSWERED", "is_first_call": True, "caller_raw": "+61412345678",
    "caller_country_code": "AU", "caller_region": "NSW", "caller_city": "Sydney",
    "dialled_e164": "+61290001234", "dialled_friendly": "Sydney office - Google Ads",
    "endpoint_e164": "+61298765432",
    "recording_url": "https://api.fonedynamics.com/v2/Recordings/"
                     "CA7d1e3f5a9b2c4d6e8f0a1b3c5d7e9f01.mp3",
    "attribution_source": "google", "attribution_medium": "cpc",
    "attribution_campaign": "spring-sale", "attribution_content": "headline-a",
    "traffic_type": "CAMPAIGN", "keywords": "emergency plumber sydney",
    "conversion_uri": "/contact-us",
    "landing_uri": "https://example.com.au/plumbing?gclid=Cj0KCQjw",
    "survey_type": "sales", "survey_value": "250", "survey_custom1": "new customer",
    "survey_custom2": "blocked drain", "survey_custom3": "weekday",
    "survey_unique_code": "SV-20240601-0001", "prompt_keys": "1",
    "notes": "Booked a visit for Tuesday morning.", "call_type": "Sales",
    "ga_client_id": "1234567890.1717199000", "gads_click_id": "Cj0KCQjw-AbCdEfGhIjK",
}  # fmt: skip


async def test_butter_phone_number_fields(run_import: Importer, rows: Rows) -> None:
    await run_import(Vendor.BUTTER, "phone-numbers", load("butter/phone_numbers.json"),
                     company="org_7f3a9c")  # fmt: skip

    assigned, free = await rows(Number)
    assert {k: assigned[k] for k in EXPECTED_BUTTER} == EXPECTED_BUTTER
    assert (free["assigned"], free["assigned_agent_id"], free["provider"]) == (False, None, "sip")
    [company] = await rows(Company)
    assert (company["vendor"], company["external_id"]) == ("BUTTER", "org_7f3a9c")


EXPECTED_BUTTER = {
    "e164": "+15551234567", "is_valid": False, "provider": "twilio", "assigned": True,
    "supports_inbound": True, "supports_outbound": True,
    "assigned_agent_id": "agent_b2c3d4e5f6a7",
    "created_at": datetime(2024, 1, 15, 10, 30, tzinfo=UTC),
}  # fmt: skip


async def test_trackdrive_lead_fields(run_import: Importer, rows: Rows) -> None:
    leads = load("trackdrive/leads.json")
    await run_import(Vendor.TRACKDRIVE, "leads", leads, company="td-company-42")

    first, second, third = await rows(Lead)
    [source] = await rows(Source, Source.external_id == "3310")
    expected = EXPECTED_LEAD | {"source_id": source["id"]}
    assert {k: first[k] for k in expected} == expected
    assert first["caller_id"] is not None
    assert (second["revenue"], second["payout"]) == (Decimal("40"), Decimal("18.75"))
    assert second["created_at"] == datetime(2016, 1, 1, 17, 40, 2, tzinfo=UTC)
    assert (third["caller_id"], third["caller_number"], third["blocked"]) == (
        None, "anonymous", True,
    )  # fmt: skip
    assert third["data"] is None


def _td(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S %z").astimezone(UTC)


EXPECTED_LEAD = {
    "external_id": "18452211", "legacy_id": "L-2016-004521", "lead_type": "Lead",
    "uuid": "6f1c2b8e-4a3d-4e5f-9a7b-1c2d3e4f5a6b",
    "created_at": _td("2016-01-01 12:25:15 -0500"), "updated_at": _td("2016-01-02 09:10:00 -0500"),
    "deleted_at": None, "user_updated_at": _td("2016-01-02 09:05:42 -0500"),
    "routes_show_path": "/leads/18452211", "routes_edit_path": "/leads/18452211/edit",
    "external_record_id": "crm-000987", "context_menu_name": "Lead #18452211",
    "name": "Jane Smith", "caller_number": "+17705551234", "email": "jane.smith@example.com",
    "full_name": "Jane A. Smith", "contact_field_type": "phone", "expires_in": "30 days",
    "country": "US", "state_province": "GA", "zip_postal_code": "30301",
    "time_zone": "Eastern Time (US & Canada)", "sub_id": "aff-778-summer", "offer_id": "4421",
    "schedule_id": "91", "contact_id": "7731002", "status": "scheduled",
    "status_wait": "waiting_for_schedule", "human_status": "Scheduled callback",
    "css_status": "warning", "has_next_action": True, "opt_out": False,
    "revenue": Decimal("25.00"), "payout": Decimal("12.50"), "offer_converted": True,
    "buyer_converted": False, "traffic_source_id": "3310", "buyer_id": "5120",
    "lead_import_id": "812", "remote_ip": "203.0.113.42", "attempted_call_id": "99120001",
    "connected_call_id": "99120002", "scheduled_callback_id": "4410",
    "call_buyer_conversion_id": None, "call_offer_conversion_id": "66001",
    "sms_number_id": "301", "dial_number_id": "302", "dial_tier": "1",
    "last_action_at": _td("2016-01-02 09:00:00 -0500"),
    "first_action_at": _td("2016-01-01 12:26:00 -0500"),
    "first_queued_at": _td("2016-01-01 12:25:30 -0500"), "schedule_ended_at": None,
    "next_action_at": _td("2016-01-03 10:00:00 -0500"),
    "last_call_at": _td("2016-01-02 08:58:12 -0500"), "is_live": False,
    "schedule_trigger_type": "lead_created", "blocked": False,
    "data": {"loan_amount": "15000", "credit_score": "good", "utm_source": "facebook"},
}  # fmt: skip
