"""`switchboard serve` as a process on a free loopback port, for tests that drive it from outside
(node's graphql-http audit, a headless browser)."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 90  # start-up is a few seconds alone; a loaded shared machine takes far longer


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serving(database_url: str, *args: str) -> Iterator[str]:
    """The server's base URL once /healthz answers; stopped (by its own pid) afterwards."""
    port = free_port()
    command = [sys.executable, "-m", "app.cli", "--database-url", database_url, "serve"]
    command += ["--port", str(port), "--log-level", "warning", *args]
    proc = subprocess.Popen(command, cwd=REPO, env=os.environ.copy(), stdout=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(proc, base)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def _wait_until_healthy(proc: subprocess.Popen[bytes], base: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"switchboard serve exited with {proc.returncode}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"switchboard serve did not answer /healthz within {STARTUP_SECONDS} s")
