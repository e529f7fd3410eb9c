"""`switchboard companies list|set|link` as a subprocess, on the vendor documents' examples:
a rename, zone and region survive the next import; a linked id takes that vendor's imports;
bad input is refused with the value named and nothing changed."""

import os
import subprocess
import sys
from pathlib import Path

from app.core.settings import Settings

from helpers.imports import FIXTURES

SWITCHBOARD = str(Path(sys.executable).parent / "switchboard")
LMM = "Q29tcGFueTox"  # Company 1: the first company the CallRail example creates


def switchboard(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": settings.database_url}
    return subprocess.run([SWITCHBOARD, *args], capture_output=True, text=True, env=env, timeout=60)


def ok(settings: Settings, *args: str) -> list[list[str]]:
    """Run a command that must succeed; its stdout as tab-separated rows after the header."""
    result = switchboard(settings, *args)
    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    assert header.split("\t") == [
        "id", "account", "name", "named by", "time zone", "region", "vendor ids",
    ]  # fmt: skip
    return [row.split("\t") for row in rows]


def refused(settings: Settings, *args: str, status: int = 1) -> str:
    result = switchboard(settings, *args)
    assert result.returncode == status, (result.stdout, result.stderr)
    assert result.stdout == ""
    return result.stderr


def import_callrail(settings: Settings) -> None:
    path = str(FIXTURES / "callrail/sources.json")
    result = switchboard(settings, "import", "callrail", "sources", path, "--account", "acme")
    assert result.returncode == 0, result.stderr


def test_list_set_and_an_import_afterwards_keeps_them(settings: Settings) -> None:
    import_callrail(settings)
    assert ok(settings, "companies", "list") == [
        [LMM, "acme", "LMM", "VENDOR", "UTC", "US", "CALLRAIL:254822795"]
    ]
    changed = ok(
        settings, "companies", "set", LMM, "--name", "Bob's Auto Garage",
        "--zone", "Eastern Time (US & Canada)", "--region", "us",
    )  # fmt: skip
    expected = [
        LMM,
        "acme",
        "Bob's Auto Garage",
        "USER",
        "America/New_York",
        "US",
        "CALLRAIL:254822795",
    ]
    assert changed == [expected]

    import_callrail(settings)  # the payload still says company_name "LMM"

    assert ok(settings, "companies", "list", "--account", "acme") == [expected]
    assert ok(settings, "companies", "list", "--account", "nobody") == []
    assert (
        ok(settings, "companies", "set", LMM, "--zone", "Australia/Sydney")[0][4]
        == "Australia/Sydney"
    )


def test_link_takes_the_vendors_imports(settings: Settings) -> None:
    import_callrail(settings)
    linked = ok(
        settings, "companies", "link", LMM, "fone-dynamics", "PR4f0c2a9e7b1d4c3a8e5f6a7b8c9d0e1f",
        "--vendor-account", "AC1b2c3d4e5f60718293a4b5c6d7e8f901",
    )  # fmt: skip
    assert linked[0][6] == (
        "CALLRAIL:254822795,"
        "FONE_DYNAMICS:PR4f0c2a9e7b1d4c3a8e5f6a7b8c9d0e1f@AC1b2c3d4e5f60718293a4b5c6d7e8f901"
    )
    numbers = str(FIXTURES / "fonedynamics/numbers.json")
    result = switchboard(
        settings, "import", "fone-dynamics", "numbers", numbers, "--account", "acme"
    )
    assert result.returncode == 0, result.stderr

    companies = ok(settings, "companies", "list")
    # The linked property's numbers went to LMM; the example's other property is a new company.
    assert [c[2] for c in companies] == ["LMM", "PR9a8b7c6d5e4f30211f2e3d4c5b6a7980"]
    # Linking an id the company already has is allowed (and keeps it once).
    again = ok(
        settings, "companies", "link", LMM, "FONE_DYNAMICS", "PR4f0c2a9e7b1d4c3a8e5f6a7b8c9d0e1f"
    )
    assert again[0][6] == linked[0][6]


def test_bad_input_is_refused_naming_the_problem(settings: Settings) -> None:
    import_callrail(settings)
    before = ok(settings, "companies", "list")
    other = ok(settings, "companies", "link", LMM, "butter", "org_taken")
    assert "BUTTER:org_taken" in other[0][6]
    path = str(FIXTURES / "butter/phone_numbers.json")
    assert switchboard(
        settings, "import", "butter", "phone-numbers", path, "--account", "acme", "--company", "org_x"
    ).returncode == 0  # fmt: skip
    second = ok(settings, "companies", "list")[1][0]

    cases = [
        (("set", LMM, "--zone", "Mars/Olympus"), "time zone 'Mars/Olympus': unknown"),
        (("set", LMM, "--region", "XX"), "region 'XX': not an ISO 3166 alpha-2 country code"),
        (("set", LMM, "--name", "   "), "name '   ': expected 1 to 300 characters"),
        (("set", LMM), "nothing to set"),
        (("set", "Q29tcGFueTo5OQ", "--name", "x"), "company 'Q29tcGFueTo5OQ': no such company"),
        (("set", "U291cmNlOjE", "--name", "x"), "that is a Source ID, not a Company ID"),
        (("set", "not-an-id", "--name", "x"), "company 'not-an-id': "),
        (("link", second, "butter", "org_taken"), f"BUTTER id 'org_taken' already names company {LMM} (LMM)"),
        (("link", LMM, "callrail", "x" * 101), "expected 1 to 100 characters"),
    ]  # fmt: skip
    for args, message in cases:
        assert message in refused(settings, "companies", *args), args
    assert "unknown vendor 'nope'" in refused(
        settings, "companies", "link", LMM, "nope", "1", status=2
    )
    assert ok(settings, "companies", "list")[0] == [
        *before[0][:6],
        "BUTTER:org_taken,CALLRAIL:254822795",
    ]
