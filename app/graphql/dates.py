"""DateRange: TrackDrive's created_at_label values and explicit bounds, resolved on the server."""

import enum
from calendar import monthrange
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import strawberry

from app.graphql.errors import UserInputError
from app.graphql.rails_zones import RAILS_TIME_ZONES


@strawberry.enum(
    description="TrackDrive's `created_at_label` values (Last 5 Min ... Custom Range)."
)
class DateRangeLabel(enum.Enum):
    LAST_5_MIN = "Last 5 Min"
    LAST_15_MIN = "Last 15 Min"
    LAST_30_MIN = "Last 30 Min"
    LAST_HOUR = "Last Hour"
    LAST_4_HOURS = "Last 4 Hours"
    LAST_6_HOURS = "Last 6 Hours"
    LAST_12_HOURS = "Last 12 Hours"
    LAST_DAY = "Last Day"
    LAST_2_DAYS = "Last 2 Days"
    TODAY = "Today"
    YESTERDAY = "Yesterday"
    THIS_WEEK = "This Week"
    LAST_WEEK = "Last Week"
    THIS_MONTH = "This Month"
    LAST_MONTH = "Last Month"
    THIS_QUARTER = "This Quarter"
    LAST_QUARTER = "Last Quarter"
    LAST_6_MONTHS = "Last 6 Months"
    THIS_YEAR = "This Year"
    LAST_YEAR = "Last Year"
    LIFETIME = "Lifetime"
    CUSTOM_RANGE = "Custom Range"


@strawberry.input(
    description=(
        "A time range. `from` is inclusive and `to` exclusive (as Fone Dynamics documents After/"
        "Before). Either give `from`/`to`, or a `label` (TrackDrive's created_at_label) that the "
        "server resolves against the current time in `timeZone` with calendar semantics: weeks "
        "start on Monday, THIS_* ranges run from the start of the period at local midnight to "
        "now, LAST_WEEK/LAST_MONTH/... are whole previous periods, LAST_<n> spans are rolling. "
        "`from`/`to` written without an offset are read in `timeZone`."
    )
)
class DateRange:
    from_: datetime | None = strawberry.field(
        default=None, name="from", description="Inclusive start (TrackDrive `*_from`, FD `After`)."
    )
    to: datetime | None = strawberry.field(
        default=None, description="Exclusive end (TrackDrive `*_to`, FD `Before`)."
    )
    label: DateRangeLabel | None = strawberry.field(
        default=None, description="TrackDrive `created_at_label`; CUSTOM_RANGE means use from/to."
    )
    time_zone: str | None = strawberry.field(
        default=None,
        description=(
            "Time zone for labels and offset-less bounds (TrackDrive `time_zone`): an IANA name "
            "(`America/Chicago`) or a Rails zone name as TrackDrive takes them (`Central Time "
            "(US & Canada)`); default the company's, else UTC. `appliedRanges` reports the IANA "
            "name."
        ),
    )


@strawberry.type(description="The range a connection applied to one of its date filters.")
class AppliedDateRange:
    field: str = strawberry.field(description="The filter field, e.g. `startedAt`.")
    from_: datetime | None = strawberry.field(name="from", description="Inclusive start, UTC.")
    to: datetime | None = strawberry.field(description="Exclusive end, UTC.")
    label: DateRangeLabel | None = strawberry.field(description="The label that was resolved.")
    time_zone: str = strawberry.field(description="The IANA time zone used.")


_ROLLING = {
    DateRangeLabel.LAST_5_MIN: timedelta(minutes=5),
    DateRangeLabel.LAST_15_MIN: timedelta(minutes=15),
    DateRangeLabel.LAST_30_MIN: timedelta(minutes=30),
    DateRangeLabel.LAST_HOUR: timedelta(hours=1),
    DateRangeLabel.LAST_4_HOURS: timedelta(hours=4),
    DateRangeLabel.LAST_6_HOURS: timedelta(hours=6),
    DateRangeLabel.LAST_12_HOURS: timedelta(hours=12),
    DateRangeLabel.LAST_DAY: timedelta(days=1),
    DateRangeLabel.LAST_2_DAYS: timedelta(days=2),
}


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _calendar_bounds(label: DateRangeLabel, today: date) -> tuple[date | None, date | None]:
    """Local-midnight bounds for calendar labels; None `to` means now."""
    month_start = today.replace(day=1)
    quarter_start = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    week_start = today - timedelta(days=today.weekday())
    bounds: dict[DateRangeLabel, Callable[[], tuple[date | None, date | None]]] = {
        DateRangeLabel.TODAY: lambda: (today, None),
        DateRangeLabel.YESTERDAY: lambda: (today - timedelta(days=1), today),
        DateRangeLabel.THIS_WEEK: lambda: (week_start, None),
        DateRangeLabel.LAST_WEEK: lambda: (week_start - timedelta(days=7), week_start),
        DateRangeLabel.THIS_MONTH: lambda: (month_start, None),
        DateRangeLabel.LAST_MONTH: lambda: (_add_months(month_start, -1), month_start),
        DateRangeLabel.THIS_QUARTER: lambda: (quarter_start, None),
        DateRangeLabel.LAST_QUARTER: lambda: (_add_months(quarter_start, -3), quarter_start),
        DateRangeLabel.THIS_YEAR: lambda: (date(today.year, 1, 1), None),
        DateRangeLabel.LAST_YEAR: lambda: (date(today.year - 1, 1, 1), date(today.year, 1, 1)),
        DateRangeLabel.LIFETIME: lambda: (None, None),
    }
    return bounds[label]()


def _months_back(local: datetime, months: int) -> datetime:
    """The same local wall time `months` calendar months earlier (the day clamped to the month)."""
    first = _add_months(local.date().replace(day=1), -months)
    day = min(local.day, monthrange(first.year, first.month)[1])
    return local.replace(year=first.year, month=first.month, day=day)


# The longest IANA zone name is 32 characters; anything much longer is not one (and a name
# past the file system's limit fails with ENAMETOOLONG instead of "not found").
MAX_ZONE_NAME = 64


def _known_zone(name: str) -> ZoneInfo | None:
    if len(name) > MAX_ZONE_NAME:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _zone(name: str, field: str) -> tuple[ZoneInfo, str]:
    """The zone and its IANA name, for an IANA name or else a Rails (TrackDrive) zone name
    (the two overlap only where they mean the same zone: `UTC`, `Singapore`)."""
    iana = name if _known_zone(name) is not None else RAILS_TIME_ZONES.get(name, name)
    zone = _known_zone(iana)
    if zone is None:
        raise UserInputError(
            f"{field}.timeZone: unknown time zone {name[:MAX_ZONE_NAME]!r} (expected an IANA "
            "name such as 'America/Chicago' or a Rails name such as 'Central Time (US & Canada)')"
        )
    return zone, iana


def _local_midnight(day: date | None, zone: ZoneInfo) -> datetime | None:
    return None if day is None else datetime(day.year, day.month, day.day, tzinfo=zone)


def _aware(value: datetime | None, zone: ZoneInfo) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=zone) if value.tzinfo is None else value


def resolve_range(
    value: DateRange, *, field: str, now: datetime, default_time_zone: str
) -> AppliedDateRange:
    """The concrete [from, to) a DateRange means now; BAD_USER_INPUT naming `field` if invalid
    (a bound whose offset or zone moves it out of years 1-9999 in UTC included)."""
    try:
        return _resolve(value, field=field, now=now, default_time_zone=default_time_zone)
    except OverflowError:
        raise UserInputError(f"{field}: a bound is outside years 1-9999 once read in UTC") from None


def _resolve(
    value: DateRange, *, field: str, now: datetime, default_time_zone: str
) -> AppliedDateRange:
    zone, zone_name = _zone(
        default_time_zone if value.time_zone is None else value.time_zone, field
    )
    label = value.label
    if label is not None and label is not DateRangeLabel.CUSTOM_RANGE:
        if value.from_ is not None or value.to is not None:
            raise UserInputError(
                f"{field}: label {label.name} cannot be combined with from/to (use CUSTOM_RANGE)"
            )
        start: datetime | None
        end: datetime | None
        if label in _ROLLING:
            start, end = now - _ROLLING[label], now
        elif label is DateRangeLabel.LAST_6_MONTHS:
            # A rolling span like the other LAST_<n> labels, counted on the local calendar.
            start, end = _months_back(now.astimezone(zone), 6), now
        else:
            first, last = _calendar_bounds(label, now.astimezone(zone).date())
            start = _local_midnight(first, zone)
            end = (
                _local_midnight(last, zone)
                if last is not None
                else (None if label is DateRangeLabel.LIFETIME else now)
            )
    else:
        start, end = _aware(value.from_, zone), _aware(value.to, zone)
    if start is not None and end is not None and start > end:
        raise UserInputError(f"{field}: from ({start.isoformat()}) is after to ({end.isoformat()})")
    return AppliedDateRange(
        field=field,
        from_=start.astimezone(ZoneInfo("UTC")) if start else None,
        to=end.astimezone(ZoneInfo("UTC")) if end else None,
        label=label,
        time_zone=zone_name,
    )
