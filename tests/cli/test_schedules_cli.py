"""`switchboard schedules add|list|remove`: what a schedule stores (never a secret), how it is
listed, and every bad input as one clear line."""

import asyncio
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cli import main
from app.core.db import create_engine
from app.core.settings import Settings
from app.models import SyncSchedule
from app.sync.schedules import interval_text, parse_interval

from helpers.scheduling import switchboard

FONE = ["fonedynamics", "calls", "--base-url", "http://vendor.test", "--account-sid", "AC1"]


@pytest.fixture(autouse=True)
def no_vendor_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FONEDYNAMICS_ACCOUNT_SID", "FONEDYNAMICS_TOKEN", "CALLRAIL_API_KEY"):
        monkeypatch.delenv(name, raising=False)


def schedules(settings: Settings, *args: str) -> int:
    return main(["--database-url", settings.database_url, "schedules", *args])


def stored(settings: Settings) -> list[dict[str, object]]:
    async def read() -> list[dict[str, object]]:
        engine = create_engine(settings)
        try:
            async with engine.connect() as conn:
                rows = await conn.execute(select(SyncSchedule.__table__))
                return [dict(row) for row in rows.mappings()]
        finally:
            await engine.dispose()

    return asyncio.run(read())


@pytest.mark.parametrize(
    ("text", "seconds", "written"),
    [("90", 90, "90s"), ("30s", 30, "30s"), ("15m", 900, "15m"), ("2H", 7200, "2h"),
     ("1d", 86400, "1d"), ("120m", 7200, "2h")],
)  # fmt: skip
def test_intervals_read_and_write_back(text: str, seconds: int, written: str) -> None:
    assert parse_interval(text) == seconds
    assert interval_text(seconds) == written


def test_a_schedule_stores_the_sync_s_arguments_and_where_its_secret_comes_from(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["add", "--every", "15m", *FONE, "--filter", "After=1700000000", "--env=token=ACME_FD"]
    assert schedules(settings, *argv) == 0
    assert capsys.readouterr().out == (
        "schedule 1: fonedynamics calls from http://vendor.test into account demo every 15m, "
        "due now\n"
    )
    (row,) = stored(settings)
    arguments = json.loads(str(row["arguments"]))
    assert arguments[: len(FONE)] == FONE
    assert arguments[len(FONE) :][:4] == ["--filter", "After=1700000000", "--account", "demo"]
    assert arguments[-2] == "--rejects" and arguments[-1].startswith("var/rejects/fone_dynamics-")
    assert json.loads(str(row["credential_env"])) == {"token": "ACME_FD"}
    assert (row["interval_seconds"], row["enabled"]) == (900, True)

    assert schedules(settings, "list") == 0
    line = capsys.readouterr().out
    assert line == (
        "1\tdemo\tfonedynamics calls\thttp://vendor.test\tevery 15m\tenabled\tnever run\t"
        "next run due now\n"
    )
    assert schedules(settings, "remove", "1") == 0
    assert capsys.readouterr().out == "removed schedule 1 (its sync's state stays)\n"
    assert stored(settings) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["add", *FONE], "pass --every once: how often the sync runs"),
        (["add", "--every", "5x", *FONE], "--every takes seconds or a number with s, m, h or d"),
        (["add", "--every", "0", *FONE], "--every must be between 1s and 366d, not '0'"),
        (["add", "--every", "400d", *FONE], "--every must be between 1s and 366d"),
        (["add", "--every", "1h"], "name the sync to schedule: VENDOR RESOURCE --base-url URL"),
        (
            ["add", "--every", "1h", *FONE, "--token", "secret"],
            "--token is a secret and schedules do not store secrets: set FONEDYNAMICS_TOKEN",
        ),
        (
            ["add", "--every", "1h", *FONE, "--env", "account_sid=X"],
            "--env takes SECRET=VARIABLE with SECRET one of token, not 'account_sid=X'",
        ),
        (["add", "--every", "1h", *FONE, "--env", "token=1-bad"], "needs an environment variable"),
        (
            ["add", "--every", "1h", *FONE[:4]],
            "missing Fone Dynamics AccountSid: pass --account-sid or set FONEDYNAMICS_ACCOUNT_SID",
        ),
        (["add", "--every", "1h", *FONE, "--page-size", "900"], "--page-size must be between 1"),
        (
            ["add", "--every", "1h", "butter", "phone-numbers", "--base-url", "http://x",
             "--organization-id", "o"],
            "phone-numbers payloads do not name their company: pass --company",
        ),
    ],
)  # fmt: skip
def test_bad_schedules_are_one_line_errors(
    settings: Settings, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert schedules(settings, *argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("switchboard schedules add: ")
    assert message in err
    assert stored(settings) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["add", "--every", "1h", "acme", "calls"], "argument VENDOR: invalid choice: 'acme'"),
        (
            ["add", "--every", "1h", "callrail", "calls", "--base-url", "http://x"],
            "argument RESOURCE: invalid choice: 'calls'",
        ),
        (["remove", "one"], "a schedule id is a number `schedules list` shows, not 'one'"),
    ],
)
def test_unknown_vendors_resources_and_ids_are_refused_by_the_parser(
    settings: Settings, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        schedules(settings, *argv)
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


def test_a_second_schedule_of_one_sync_and_a_missing_one_are_refused(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert schedules(settings, "add", "--every", "1h", *FONE) == 0
    assert schedules(settings, "add", "--every", "5m", *FONE) == 1
    assert "schedule 1 already runs this sync" in capsys.readouterr().err
    assert schedules(settings, "remove", "7") == 1
    assert capsys.readouterr().err == "switchboard schedules remove: no schedule 7\n"


def test_an_unmigrated_database_names_switchboard_migrate(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
    settings = Settings(database_url=url)
    for args in (["schedules", "list"], ["worker", "--once"]):
        result = switchboard(settings, *args)
        assert result.returncode == 1
        assert "run `switchboard migrate`" in result.stderr
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("--concurrency=0", "--concurrency must be at least 1"),
        ("--lease-seconds=0.5", "--lease-seconds at least 1"),
        ("--failure-backoff=-1", "--failure-backoff must be at least 0"),
    ],
)
def test_bad_worker_options_are_one_line_errors(
    option: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["worker", "--once", option]) == 2
    err = capsys.readouterr().err
    assert err.startswith("switchboard worker: ") and message in err
