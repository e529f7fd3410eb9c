"""`switchboard sync`: options, credentials from options or the environment, one-line errors."""

from pathlib import Path

import pytest

from app.cli import build_parser, main
from app.cli.sync import build_request, limits
from app.core.settings import Settings
from app.models.enums import Vendor
from app.vendors.registry import client_spec

CALLRAIL = ["sync", "callrail", "sources", "--base-url", "http://127.0.0.1:9"]
BUTTER = ["sync", "butter", "phone-numbers", "--base-url", "http://127.0.0.1:9"]


@pytest.fixture(autouse=True)
def no_vendor_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "CALLRAIL_API_KEY",
        "FONEDYNAMICS_ACCOUNT_SID",
        "FONEDYNAMICS_TOKEN",
        "BUTTER_API_KEY",
        "BUTTER_ORGANIZATION_ID",
        "TRACKDRIVE_PUBLIC_KEY",
        "TRACKDRIVE_PRIVATE_KEY",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (CALLRAIL, "missing CallRail API key: pass --api-key or set CALLRAIL_API_KEY"),
        (
            ["sync", "fonedynamics", "calls", "--base-url", "http://x", "--account-sid", "AC1"],
            "missing Fone Dynamics auth token: pass --token or set FONEDYNAMICS_TOKEN",
        ),
        (
            [*BUTTER, "--company", "ACME", "--api-key", "k"],
            "missing Butter AI organization id: pass --organization-id or set "
            "BUTTER_ORGANIZATION_ID",
        ),
        (
            ["sync", "trackdrive", "leads", "--base-url", "http://x", "--company", "ACME"],
            "missing TrackDrive public key: pass --public-key or set TRACKDRIVE_PUBLIC_KEY",
        ),
        (
            [*CALLRAIL, "--api-key", "k", "--page-size", "251"],
            "--page-size must be between 1 and 250",
        ),
        ([*CALLRAIL, "--api-key", "k", "--filter", "page=3"], "--filter page is set by the sync"),
        ([*CALLRAIL, "--api-key", "k", "--filter", "company_id"], "--filter takes NAME=VALUE"),
        ([*CALLRAIL, "--api-key", "k", "--attempts", "0"], "--attempts must be at least 1"),
        (
            [*BUTTER, "--api-key", "k", "--organization-id", "o"],
            "phone-numbers payloads do not name their company: pass --company",
        ),
    ],
)
def test_bad_options_are_one_line_errors(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("switchboard sync ")
    assert message in err


def test_unknown_resources_are_refused_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["sync", "callrail", "calls", "--base-url", "http://x"])
    assert "invalid choice: 'calls'" in capsys.readouterr().err


def test_options_win_over_the_environment_and_filters_pass_through(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FONEDYNAMICS_ACCOUNT_SID", "AC_ENV")
    monkeypatch.setenv("FONEDYNAMICS_TOKEN", "token-from-env")
    args = build_parser().parse_args(
        [
            "sync",
            "fone-dynamics",
            "calls",
            "--base-url",
            "http://x",
            "--account-sid",
            "AC_OPT",
            "--property",
            "PR1",
            "--filter",
            "After=1700000000",
            "--filter",
            "Unique=Repeat",
        ]
    )
    request = build_request(args, spec=client_spec(Vendor.FONE_DYNAMICS))
    assert request.credentials == {"account_sid": "AC_OPT", "token": "token-from-env"}
    assert request.filters == {"After": "1700000000", "Unique": "Repeat"}
    assert (request.subtree, request.page_size) == ("PR1", 200)


def test_an_unmigrated_database_is_named_before_any_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    assert main(["--database-url", url, *CALLRAIL, "--api-key", "k"]) == 1
    assert "run `switchboard migrate`" in capsys.readouterr().err


def test_the_old_state_dir_option_is_ignored_with_a_warning(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--database-url", settings.database_url, *CALLRAIL, "--api-key", "k", "--attempts=1"]
    assert main([*argv, "--state-dir", str(tmp_path / "sync")]) == 1  # port 9 refuses
    warning, failure = capsys.readouterr().err.splitlines()
    assert warning.startswith("switchboard sync: --state-dir is no longer used and is ignored")
    assert "rerun the same command to resume (state: sync_state " in failure
    assert not (tmp_path / "sync").exists()


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("--max-pages=0", "--max-pages must be more than 0"),
        ("--request-deadline=-1", "--request-deadline must be more than 0"),
        ("--max-redirects=-1", "--max-redirects must be at least 0"),
    ],
)
def test_bad_limits_are_one_line_errors(
    option: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*CALLRAIL, "--api-key", "k", option]) == 2
    assert capsys.readouterr().err == f"switchboard sync callrail: {message}\n"


def test_limits_come_from_options_else_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNC_MAX_PAGES", "7")
    monkeypatch.setenv("SYNC_MAX_RETRY_AFTER", "0")
    args = build_parser().parse_args([*CALLRAIL, "--max-response-mb", "2", "--max-redirects", "0"])
    policy, bounds = limits(args, Settings())
    assert (bounds.max_pages, bounds.max_response_bytes, bounds.max_redirects) == (7, 2_000_000, 0)
    assert (policy.max_retry_after, bounds.request_deadline) == (0, 120.0)
