"""UTCDateTime's one-step SQLite bind processor writes what SQLAlchemy's DATETIME writes."""

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import DateTime
from sqlalchemy.dialects.sqlite import aiosqlite

from app.models.columns import UTCDateTime

SQLITE = aiosqlite.dialect()
FAST = UTCDateTime().dialect_impl(SQLITE).bind_processor(SQLITE)
CORE = DateTime().dialect_impl(SQLITE).bind_processor(SQLITE)


@pytest.mark.parametrize(
    "value",
    [
        datetime(2024, 1, 1, tzinfo=UTC),  # no microseconds: still written with six digits
        datetime(2026, 4, 5, 2, 30, 0, 999_999, tzinfo=UTC),
        datetime(2026, 4, 5, 2, 30, tzinfo=ZoneInfo("Australia/Sydney")),
        datetime(2026, 3, 8, 1, 59, 59, 1, tzinfo=timezone(timedelta(hours=-5))),
        datetime(1, 1, 2, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
        datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC")),  # another UTC object
    ],
)
def test_same_text_as_core(value: datetime) -> None:
    assert FAST is not None and CORE is not None
    assert FAST(value) == CORE(value.astimezone(UTC).replace(tzinfo=None))


def test_none_and_naive() -> None:
    assert FAST is not None
    assert FAST(None) is None
    with pytest.raises(ValueError, match="naive datetime"):
        FAST(datetime(2026, 1, 1))
