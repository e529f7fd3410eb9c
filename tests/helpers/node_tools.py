"""The project's node tools (scripts/node): installed with `npm ci` from the committed
package-lock.json when missing or stale; missing node or chromium skips a test locally and
fails it in CI (CI=true), so CI never passes without running them."""

import fcntl
import os
import shutil
import subprocess
from pathlib import Path

import pytest

NODE_DIR = Path(__file__).resolve().parents[2] / "scripts" / "node"
CHROMIUM = "/usr/bin/chromium"


def unavailable(what: str) -> None:
    """Fail in CI, skip elsewhere."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI")
    pytest.skip(f"{what} is not installed")


def node_tools() -> Path:
    """scripts/node with its node_modules installed as package-lock.json pins them."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        unavailable("node and npm")
    installed = NODE_DIR / "node_modules" / ".package-lock.json"
    lock = NODE_DIR / "package-lock.json"
    with open(NODE_DIR / ".npm-ci.lock", "w") as turn:  # pytest-xdist workers take turns
        fcntl.flock(turn, fcntl.LOCK_EX)
        if not installed.exists() or installed.stat().st_mtime < lock.stat().st_mtime:
            subprocess.run(
                ["npm", "ci", "--no-audit", "--no-fund"],
                cwd=NODE_DIR,
                check=True,
                capture_output=True,
                timeout=300,
            )
    return NODE_DIR


def chromium() -> str:
    """Debian's chromium (scripts/setup_browser installs it; .ci/run calls that)."""
    if not Path(CHROMIUM).exists():
        unavailable(f"{CHROMIUM} (scripts/setup_browser installs it)")
    return CHROMIUM
