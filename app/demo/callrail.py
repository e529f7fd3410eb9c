"""CallRail `GET /v1/sources.json` pages for the garage: single-number sources, a disabled one,
a ten-number keyword pool and a session source. Some numbers are also Fone Dynamics numbers."""

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from app.demo.keys import stable_int
from app.demo.people import valid_number
from app.demo.world import World

PER_PAGE = 100  # CallRail's default page size
POOL_SIZE = 10


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _created(rng: random.Random) -> datetime:
    """A fixed moment in 2023, so the sources never change between reruns."""
    start = datetime(2023, 1, 9, 15, tzinfo=UTC)
    return start + timedelta(days=rng.randint(0, 360), seconds=rng.randint(0, 86_399))


def _plans(world: World, rng: random.Random) -> list[tuple[str, str, list[str], bool]]:
    """(name, type, tracking numbers, disabled) for each source."""
    garage = world.site("garage")
    shared: dict[str, list[str]] = {}
    for number in garage.numbers:
        if number.line.callrail_source:
            shared.setdefault(number.line.callrail_source, []).append(number.e164)
    pool = shared["Keyword Pool"]
    pool += [valid_number(rng=rng, prefix="+1678") for _ in range(POOL_SIZE - len(pool))]
    return [
        ("Google Ads", "Source", shared["Google Ads"], False),
        ("Google Organic", "Source", shared["Google Organic"], False),
        ("Yelp", "Source", shared["Yelp"], False),
        ("Direct Mail - Spring", "Source", [valid_number(rng=rng, prefix="+1770")], True),
        ("Keyword Pool", "Session", pool, False),
        ("Facebook Visitors", "Session", [valid_number(rng=rng, prefix="+1470")
                                          for _ in range(3)], False),
    ]


def callrail_sources_pages(world: World) -> list[dict[str, Any]]:
    """The account's sources, as CallRail pages them."""
    rng = random.Random(f"{world.seed}:callrail")
    garage = world.site("garage")
    sources = []
    for index, (name, kind, numbers, disabled) in enumerate(_plans(world, rng)):
        created = _created(rng)
        sources.append({
            "id": stable_int(seed=world.seed, kind="crs", index=index, low=10**8, high=10**9),
            "name": name,
            "created_at": _iso(created),
            "disabled_at": _iso(created + timedelta(days=120)) if disabled else None,
            "company_name": garage.business.name,
            "company_id": world.callrail_company_id,
            "destination_number": garage.endpoint,
            "tracking_numbers": numbers,
            "type": kind,
        })
    return [
        {"page": page + 1, "per_page": PER_PAGE, "total_pages": -(-len(sources) // PER_PAGE),
         "total_records": len(sources), "sources": sources[start:start + PER_PAGE]}
        for page, start in enumerate(range(0, len(sources), PER_PAGE))
    ]
