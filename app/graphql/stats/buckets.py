"""Local calendar buckets and UTC offsets of a time zone, computed in Python with zoneinfo so
both databases bucket by comparing stored UTC instants with the same boundaries."""

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from itertools import pairwise
from zoneinfo import ZoneInfo

import strawberry

from app.graphql.dates import _add_months, _local_midnight

# A year of HOUR buckets (8,784 in a leap year) is the largest range an interval may cover.
MAX_BUCKETS = 8_784
# Transitions are searched in this span when a range is unbounded (local hour/day of week).
EPOCH, HORIZON = datetime(1970, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)


@strawberry.enum(
    description=(
        "A time bucket on the local calendar of the stats' time zone: HOUR is a local clock "
        "hour (a repeated hour at a DST change is two buckets), DAY a local calendar day (23 to "
        "25 hours at DST changes), WEEK starts on Monday, QUARTER in January, April, July, October."
    )
)
class StatsInterval(enum.Enum):
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


# The shortest length of one bucket, to bound the count before generating any.
_SHORTEST = {
    StatsInterval.HOUR: timedelta(hours=1),
    StatsInterval.DAY: timedelta(hours=22),
    StatsInterval.WEEK: timedelta(days=7) - timedelta(hours=2),
    StatsInterval.MONTH: timedelta(days=28) - timedelta(hours=2),
    StatsInterval.QUARTER: timedelta(days=89) - timedelta(hours=2),
    StatsInterval.YEAR: timedelta(days=365) - timedelta(hours=2),
}


@dataclass(frozen=True)
class Bucket:
    """One local period: its first instant in the zone, and its UTC [from, to)."""

    start: datetime
    from_: datetime
    to: datetime


def most_buckets(start: datetime, end: datetime, interval: StatsInterval) -> int:
    """An upper bound on the buckets [start, end) spans (cheap; checked before generating): a
    repeated or half-hour DST change adds at most two HOUR buckets, twice a year."""
    slack = 4 * ((end - start).days // 365 + 1) if interval is StatsInterval.HOUR else 0
    return int((end - start) / _SHORTEST[interval]) + 2 + slack


def _period_start(day: date, interval: StatsInterval) -> date:
    if interval is StatsInterval.WEEK:
        return day - timedelta(days=day.weekday())
    if interval is StatsInterval.MONTH:
        return day.replace(day=1)
    if interval is StatsInterval.QUARTER:
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    if interval is StatsInterval.YEAR:
        return date(day.year, 1, 1)
    return day


def _next_period(day: date, interval: StatsInterval) -> date:
    steps = {StatsInterval.MONTH: 1, StatsInterval.QUARTER: 3, StatsInterval.YEAR: 12}
    if interval in steps:
        return _add_months(day, steps[interval])
    return day + timedelta(days=7 if interval is StatsInterval.WEEK else 1)


def _day_starts(
    start: datetime, end: datetime, zone: ZoneInfo, interval: StatsInterval
) -> list[datetime]:
    """Local midnights (as the date labels compute them) of each period meeting [start, end)."""
    day = _period_start(start.astimezone(zone).date(), interval)
    starts: list[datetime] = []
    while True:
        instant = _local_midnight(day, zone)
        assert instant is not None
        if instant >= end and starts:
            break
        starts.append(instant.astimezone(UTC))
        day = _next_period(day, interval)
    starts.append(instant.astimezone(UTC))
    return starts


def _hour_starts(start: datetime, end: datetime, zone: ZoneInfo) -> list[datetime]:
    """The first instant of every local clock hour meeting [start, end): both folds of a
    repeated hour; a skipped hour gives no bucket."""
    local = start.astimezone(zone).replace(minute=0, second=0, microsecond=0, tzinfo=None)
    found: set[datetime] = set()
    last = end.astimezone(zone).replace(tzinfo=None) + timedelta(hours=2)
    while local <= last:
        for fold in (0, 1):
            found.add(local.replace(tzinfo=zone, fold=fold).astimezone(UTC))
        local += timedelta(hours=1)
    ordered = sorted(found)
    first = max(i for i, instant in enumerate(ordered) if instant <= start)
    stop = next(i for i, instant in enumerate(ordered) if instant >= end and i > first)
    return ordered[first : stop + 1]


def buckets(
    start: datetime, end: datetime, zone_name: str, interval: StatsInterval
) -> list[Bucket]:
    """Every bucket of `interval` meeting [start, end) in the zone, in order, end to end."""
    zone = ZoneInfo(zone_name)
    if interval is StatsInterval.HOUR:
        edges = _hour_starts(start, end, zone)
    else:
        edges = _day_starts(start, end, zone, interval)
    return [Bucket(start=lo.astimezone(zone), from_=lo, to=hi) for lo, hi in pairwise(edges)]


@lru_cache(maxsize=4096)
def _year_transitions(zone_name: str, year: int) -> tuple[tuple[datetime, int], ...]:
    """(instant, new UTC offset in seconds) for each offset change in a UTC year."""
    zone = ZoneInfo(zone_name)
    moment = datetime(year, 1, 1, tzinfo=UTC)
    stop = datetime(year + 1, 1, 1, tzinfo=UTC)
    found = []
    offset = _offset(zone, moment)
    while moment < stop:
        following = min(moment + timedelta(days=1), stop)
        changed = _offset(zone, following)
        if changed != offset:
            low, high = moment, following  # bisect to the second
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                low, high = (middle, high) if _offset(zone, middle) == offset else (low, middle)
            found.append((high.replace(microsecond=0), changed))
            offset = changed
        moment = following
    return tuple(found)


def _offset(zone: ZoneInfo, instant: datetime) -> int:
    delta = instant.astimezone(zone).utcoffset()
    assert delta is not None
    return int(delta.total_seconds())


def offsets(
    start: datetime | None, end: datetime | None, zone_name: str
) -> tuple[int, list[tuple[datetime, int]]]:
    """The zone's UTC offset at `start` and each change until `end` (unbounded: 1970-2100)."""
    lo = max(start or EPOCH, EPOCH)
    hi = min(end or HORIZON, HORIZON)
    first = _offset(ZoneInfo(zone_name), lo)
    changes = [
        change
        for year in range(lo.year, hi.year + 1)
        for change in _year_transitions(zone_name, year)
        if lo < change[0] < hi
    ]
    return first, changes


def steady(zone_name: str, start: datetime, end: datetime, *, hours: bool) -> bool:
    """Whether clock arithmetic buckets [start, end) exactly: for hours, every offset is the
    same modulo an hour (local hours are UTC hours); for days, no change moves the clock across
    midnight (local dates are whole local-clock days)."""
    zone = ZoneInfo(zone_name)
    first, changes = offsets(start, end, zone_name)
    if hours:
        return all((offset - first) % 3600 == 0 for _, offset in changes)
    second = timedelta(seconds=1)
    return all(
        (at - second).astimezone(zone).date() == at.astimezone(zone).date() for at, _ in changes
    )
