"""`switchboard import` run as a user runs it: a subprocess on the test database."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main

from helpers.imports import FIXTURES, Snapshot

SWITCHBOARD = str(Path(sys.executable).parent / "switchboard")


def switchboard(database_url: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SWITCHBOARD, "--database-url", database_url, "import", *args],
        capture_output=True, text=True, cwd=cwd, timeout=120, check=False,
    )  # fmt: skip


def test_import_prints_counts_and_is_unchanged_the_second_time(
    database_url: str, tmp_path: Path
) -> None:
    calls = str(FIXTURES / "fonedynamics" / "calls.json")
    single = str(FIXTURES / "fonedynamics" / "call_single.json")

    first = switchboard(database_url, "fone-dynamics", "calls", calls, single, cwd=tmp_path)
    again = switchboard(database_url, "fone-dynamics", "calls", calls, single, cwd=tmp_path)

    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [
        f"{calls}: calls: created 5, updated 0, unchanged 0, rejected 0",
        f"{single}: calls: created 1, updated 0, unchanged 0, rejected 0",
        "calls: created 6, updated 0, unchanged 0, rejected 0 (2 of 2 files)",
    ]
    assert "import calls: 6/6 records" in first.stderr  # plain progress line off a terminal
    assert again.stdout.splitlines()[-1] == (
        "calls: created 0, updated 0, unchanged 6, rejected 0 (2 of 2 files)"
    )
    assert not (tmp_path / "rejects.jsonl").exists()


def test_rejected_records_go_to_the_rejects_file(database_url: str, tmp_path: Path) -> None:
    leads = json.loads((FIXTURES / "trackdrive" / "leads.json").read_text())
    leads["leads"][1]["updated_at"] = "soon"
    path = tmp_path / "leads.json"
    path.write_text(json.dumps(leads))

    result = switchboard(database_url, "trackdrive", "leads", str(path), "--company", "td-42",
                         "--account", "acme", "--rejects", "bad.jsonl", cwd=tmp_path)  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{path}: leads: created 2, updated 0, unchanged 0, rejected 1"
    [line] = (tmp_path / "bad.jsonl").read_text().splitlines()
    reject = json.loads(line)
    assert {k: reject[k] for k in ("file", "position", "external_id", "reason")} == {
        "file": str(path), "position": 1, "external_id": "18452212",
        "reason": "updated_at: not a date like '2016-01-01 12:25:15 -0500' or ISO 8601: 'soon'",
    }  # fmt: skip
    assert reject["record"] == leads["leads"][1]
    assert "rejected: " in result.stderr and "bad.jsonl" in result.stderr


async def test_bad_files_fail_with_one_line_and_import_nothing(
    database_url: str, tmp_path: Path, snapshot: Snapshot
) -> None:
    not_json = tmp_path / "page.json"
    not_json.write_text("<html>502 Bad Gateway</html>")
    wrong_shape = FIXTURES / "butter" / "phone_numbers.json"

    result = switchboard(database_url, "fone-dynamics", "calls", str(not_json), str(wrong_shape),
                         cwd=tmp_path)  # fmt: skip

    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2
    assert errors[0].startswith(f"error: {not_json}: not JSON: unexpected character")
    assert errors[0].endswith("(nothing imported from this file)")
    assert errors[1] == (
        f"error: {wrong_shape}: not a Fone Dynamics calls response: expected a record object "
        "or a list of them (nothing imported from this file)"
    )
    assert all(rows == [] for rows in (await snapshot()).values())  # not even the account


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["butter", "phone-numbers"], "butter phone-numbers needs --company"),
        (["ringba", "calls"], "unknown vendor 'ringba' (expected one of: callrail, fone-dynamics"),
        (["butter", "calls"], "BUTTER has no resource 'calls' (it has: phone-numbers)"),
    ],
)
def test_usage_errors_exit_2_before_touching_the_database(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    butter = str(FIXTURES / "butter" / "phone_numbers.json")
    assert main(["--database-url", "sqlite:///nowhere/x.db", "import", *args, butter]) == 2
    assert message in capsys.readouterr().err
