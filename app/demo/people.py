"""The demo's people: where callers live, their valid phone numbers, and a heavy-tailed pool of
callers so that a few regulars call often and most people call once."""

import bisect
import itertools
import random
from dataclasses import dataclass, field

import phonenumbers

FIRST_NAMES = (
    "Olivia", "Liam", "Emma", "Noah", "Ava", "Jack", "Mia", "Lucas", "Chloe", "Ethan", "Grace",
    "Mason", "Zoe", "Leo", "Ruby", "Henry", "Isla", "James", "Harper", "Daniel", "Aria", "Samuel",
    "Ella", "Oscar", "Lily", "Thomas", "Priya", "Wei", "Carlos", "Fatima", "Hiro", "Maria",
)
LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Nguyen",
    "Wilson", "Taylor", "Anderson", "Thomas", "Martin", "Lee", "Walker", "Hall", "Young", "King",
    "Wright", "Lopez", "Hill", "Scott", "Green", "Adams", "Baker", "Nelson", "Patel", "Kim",
)


@dataclass(frozen=True, slots=True)
class Area:
    """A place callers come from: its country, region, cities and E.164 prefixes."""

    country: str
    region: str
    cities: tuple[str, ...]
    prefixes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Person:
    """One caller: a valid E.164 number and where it rings from."""

    e164: str
    country: str
    region: str
    city: str
    name: str


SYDNEY = Area("AU", "NSW", ("Sydney", "Parramatta", "Chatswood", "Bondi", "Penrith", "Manly"),
              ("+614", "+614", "+614", "+6129", "+6128"))
MELBOURNE = Area("AU", "VIC", ("Melbourne", "Geelong"), ("+614", "+6139"))
BRISBANE = Area("AU", "QLD", ("Brisbane", "Gold Coast"), ("+614", "+6173"))
ATLANTA = Area("US", "GA", ("Atlanta", "Marietta", "Decatur", "Sandy Springs", "Alpharetta"),
               ("+1404", "+1678", "+1770", "+1470"))
DENVER = Area("US", "CO", ("Denver", "Aurora", "Lakewood", "Littleton", "Boulder"),
              ("+1303", "+1720"))
DALLAS = Area("US", "TX", ("Dallas", "Plano", "Irving"), ("+1214", "+1972"))
MIAMI = Area("US", "FL", ("Miami", "Hialeah", "Fort Lauderdale"), ("+1305", "+1954"))
PHOENIX = Area("US", "AZ", ("Phoenix", "Mesa", "Tempe"), ("+1602", "+1480"))
COLUMBUS = Area("US", "OH", ("Columbus", "Dublin"), ("+1614",))


def valid_number(*, rng: random.Random, prefix: str, length: int = 12) -> str:
    """A number starting with `prefix` that phonenumbers accepts as valid; US and most Australian
    numbers are twelve characters in E.164."""
    while True:
        rest = length - len(prefix)
        # US exchanges never start with 0 or 1; starting every remainder at 2 keeps both plans happy
        digits = str(rng.randint(2, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(rest - 1))
        candidate = prefix + digits
        if phonenumbers.is_valid_number(phonenumbers.parse(candidate)):
            return candidate


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


@dataclass
class CallerPool:
    """Callers drawn with Zipf-like weights; each is built lazily from its own index so that the
    same seed always gives the same person at the same rank, whatever the draw order."""

    seed: int
    name: str
    areas: tuple[tuple[Area, float], ...]
    size: int
    exponent: float = 0.6
    _cum_weights: list[float] = field(init=False, repr=False)
    _people: dict[int, Person] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        ranks = range(self.size)
        self._cum_weights = list(itertools.accumulate(1 / (r + 1) ** self.exponent for r in ranks))

    def draw(self, rng: random.Random) -> Person:
        """A caller, regulars far more often than the long tail."""
        index = bisect.bisect(self._cum_weights, rng.random() * self._cum_weights[-1])
        return self.person(min(index, self.size - 1))

    def person(self, index: int) -> Person:
        if index not in self._people:
            self._people[index] = self._build(index)
        return self._people[index]

    def _build(self, index: int) -> Person:
        rng = random.Random(f"{self.seed}:{self.name}:{index}")
        areas, weights = zip(*self.areas, strict=True)
        area = rng.choices(areas, weights=weights)[0]
        e164 = valid_number(rng=rng, prefix=rng.choice(area.prefixes))
        return Person(e164, area.country, area.region, rng.choice(area.cities), person_name(rng))
