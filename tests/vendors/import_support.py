"""Shared pieces of the import tests (imported explicitly): the recorded payloads and the types
of the fixtures in conftest.py."""

import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from app.ingest import ImportSummary

FIXTURES = Path(__file__).parent.parent / "fixtures" / "vendors"
ACCOUNT = "acme"

Importer = Callable[..., Awaitable[ImportSummary]]
Snapshot = Callable[[], Awaitable[dict[str, list[dict[str, Any]]]]]
Rows = Callable[..., Awaitable[list[Any]]]


def load(path: str) -> Any:
    """A recorded payload, e.g. load("fonedynamics/calls.json")."""
    return json.loads((FIXTURES / path).read_text())
