"""When demo calls and leads happen: the last 90 days before today's UTC midnight, weighted to
business hours and weekdays in the business's own time zone, and growing slightly over time."""

import bisect
import itertools
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAYS = 90
# Relative call volume per local hour, 00:00 to 23:00: quiet nights, a mid-morning peak.
HOUR_WEIGHTS = (
    0.05, 0.03, 0.02, 0.02, 0.03, 0.10, 0.30, 0.80, 1.60, 2.00, 2.00, 1.90,
    1.60, 1.80, 1.90, 1.80, 1.60, 1.20, 0.80, 0.50, 0.35, 0.25, 0.15, 0.08,
)
OPEN_HOURS = range(8, 18)


def utc_midnight(today: date) -> datetime:
    return datetime.combine(today, time(0), tzinfo=UTC)


@dataclass
class Clock:
    """Draws moments in [anchor - DAYS days, anchor) that follow local working patterns.

    The window ends at today's UTC midnight, so a rerun the same day draws the same moments and
    nothing is ever in the future; "today" is populated wherever the local day began before it.
    """

    anchor: datetime
    time_zone: str
    weekend: tuple[float, float]  # Saturday and Sunday volume relative to a weekday
    _zone: ZoneInfo = field(init=False)
    _dates: list[date] = field(init=False)
    _day_weights: list[float] = field(init=False)
    _hour_weights: list[float] = field(init=False)

    def __post_init__(self) -> None:
        self._zone = ZoneInfo(self.time_zone)
        last = (self.anchor - timedelta(microseconds=1)).astimezone(self._zone).date()
        self._dates = [last - timedelta(days=back) for back in range(DAYS + 1)]
        self._day_weights = list(itertools.accumulate(self._day_weight(d) for d in self._dates))
        self._hour_weights = list(itertools.accumulate(HOUR_WEIGHTS))

    def _day_weight(self, day: date) -> float:
        age = (self._dates[0] - day).days
        growth = 1.0 + 0.3 * (DAYS - age) / DAYS  # the businesses are doing a little better lately
        weekday = day.weekday()
        return growth * (self.weekend[weekday - 5] if weekday >= 5 else 1.0)

    def draw(self, rng: random.Random) -> datetime:
        """A local moment, as an aware datetime in the business's zone, inside the window."""
        start = self.anchor - timedelta(days=DAYS)
        while True:
            day = self._dates[_pick(rng, self._day_weights)]
            hour = _pick(rng, self._hour_weights)
            local = datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)),
                                     tzinfo=self._zone)
            if start <= local < self.anchor:
                return local


def _pick(rng: random.Random, cum_weights: list[float]) -> int:
    """An index drawn by cumulative weights (random.choices without building a list)."""
    return min(bisect.bisect(cum_weights, rng.random() * cum_weights[-1]), len(cum_weights) - 1)


def is_open(moment: datetime) -> bool:
    """Whether the desk is staffed: weekdays and Saturday mornings, local time."""
    weekday = moment.weekday()
    if weekday == 6:
        return False
    return moment.hour in (range(8, 12) if weekday == 5 else OPEN_HOURS)
