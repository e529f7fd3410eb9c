"""Shared pieces of the schedule and worker tests (imported explicitly): `switchboard` run as a
process with a vendor's secrets in its environment, a schedule's arguments for a fake vendor,
and waiting for a sync's saved state to reach a point."""

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.core.settings import Settings
from app.vendors.registry import VENDORS, client_spec

from helpers.sync_cases import ACCOUNT, Live, VendorCase, saved_states

ROOT = Path(__file__).resolve().parents[2]
VENDOR_ENV = [c.env for entry in VENDORS.values() for c in entry.client.credentials]


def environment(*cases: VendorCase, **extra: str) -> dict[str, str]:
    """This process's environment without any vendor credential, plus each case's secrets
    under their usual variables and `extra`."""
    env = {name: value for name, value in os.environ.items() if name not in VENDOR_ENV}
    for case in cases:
        for credential in client_spec(case.vendor).credentials:
            if credential.secret:
                env[credential.env] = case.credentials[credential.name]
    return {**env, **extra}


def command(settings: Settings, *args: str) -> list[str]:
    return [sys.executable, "-m", "app.cli", "--database-url", settings.database_url, *args]


def switchboard(
    settings: Settings, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command(settings, *args),
        cwd=ROOT,
        env=env or environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def start_worker(settings: Settings, *args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command(settings, "worker", *args),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def sync_arguments(live: Live, *, rejects: Path, **extra: str) -> list[str]:
    """`schedules add` arguments from VENDOR on for a case's fake server: no secret among them
    (they come from the environment), the non-secret ids as options, fast retries."""
    case = live.case
    spec = client_spec(case.vendor)
    argv = [VENDORS[case.vendor].name, case.resource, "--base-url", live.url]
    argv += ["--account", ACCOUNT, "--company", "ACME", "--attempts", "2", "--backoff", "0"]
    argv += ["--rejects", str(rejects)]
    for credential in spec.credentials:
        if not credential.secret:
            argv += [credential.option, case.credentials[credential.name]]
    if case.page_size:
        argv += ["--page-size", str(case.page_size)]
    for option, value in extra.items():
        argv += [f"--{option.replace('_', '-')}", value]
    return argv


def wait_for_state(
    settings: Settings, until: Callable[[dict[str, Any]], bool], *, seconds: float = 60
) -> dict[str, Any]:
    """The first saved sync state for which `until` holds, polled."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for state in asyncio.run(saved_states(settings)):
            if until(state):
                return state
        time.sleep(0.1)
    raise AssertionError(f"no sync state matched within {seconds} s")


def finish(proc: subprocess.Popen[str], *, seconds: float = 120) -> tuple[int, str, str]:
    """Wait for a process; its exit status, stdout and stderr."""
    out, err = proc.communicate(timeout=seconds)
    return proc.returncode, out, err
