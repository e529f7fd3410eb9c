"""The one clock the models use, so tests can reason about defaults."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
