"""TrackDrive `GET /api/v1/leads` pages for a pay-per-call lead buyer.

The {"leads", "metadata"} envelope with every documented column, covering offers, buyers, traffic sources, schedules,
conversions, revenue and payout, and next actions (some still ahead)."""

import random
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from app.demo.cast import GARAGE, LEAD_AREAS
from app.demo.keys import stable_random, stable_uuid
from app.demo.leads import Outcome, outcome
from app.demo.people import CallerPool, Person
from app.demo.timing import Clock
from app.demo.world import LEAD_BUYER_TIME_ZONE, World

PER_PAGE = 100
OFFERS = {2101: "Medicare Advantage", 2102: "Final Expense", 2103: "Auto Insurance",
          2104: "Home Warranty"}
TRAFFIC_SOURCES = (7101, 7102, 7103, 7104, 7105)
SCHEDULES = (3101, 3102, 3103)
_ZONES = {"TX": ("America/Chicago", "752"), "FL": ("America/New_York", "331"),
          "AZ": ("America/Phoenix", "850"), "OH": ("America/New_York", "432"),
          "GA": ("America/New_York", "303")}
LEAD_STREAM, TIME_STREAM = 3, 4
_KNOWN_CALLERS = 0.15  # leads from people who also phoned the garage: one Caller, two vendors


def _stamp(moment: datetime | None, zone: ZoneInfo) -> str | None:
    """TrackDrive's ISO 8601 with milliseconds and the account's offset."""
    return moment.astimezone(zone).isoformat(timespec="milliseconds") if moment else None


def _person(rng: random.Random, *, leads: CallerPool, known: CallerPool) -> Person:
    if rng.random() < _KNOWN_CALLERS:
        return known.person(rng.randrange(10))  # the garage's top regulars: almost surely called
    return leads.draw(rng)


def _contact(rng: random.Random, person: Person, index: int) -> dict[str, Any]:
    first, last = person.name.split(" ", 1)
    zone, zip_prefix = _ZONES[person.region]
    return {
        "name": person.name,
        # TrackDrive echoes caller ids as submitted; some integrations send bare digits
        "caller_id": person.e164 if rng.random() < 0.9 else person.e164.lstrip("+"),
        "email": f"{first}.{last}{index % 97}@example.com".lower() if rng.random() < 0.8 else None,
        "full_name": person.name,
        "country": person.country,
        "state_province": person.region,
        "zip_postal_code": f"{zip_prefix}{rng.randint(0, 99):02d}",
        "time_zone": zone,
    }


def _lead(rng: random.Random, *, lead_id: int, index: int, created: datetime, anchor: datetime,
          person: Person, seed: int) -> dict[str, Any]:
    zone = ZoneInfo(LEAD_BUYER_TIME_ZONE)
    result: Outcome = outcome(rng, created=created, anchor=anchor, lead_id=lead_id)
    offer_id = rng.choice(list(OFFERS))
    return {
        "id": lead_id,
        "legacy_id": lead_id - 40_000_000,
        "type": "Lead",
        "uuid": stable_uuid(seed=seed, kind="lead", index=index),
        "created_at": _stamp(created, zone),
        "updated_at": _stamp(result.updated_at, zone),
        "deleted_at": _stamp(result.deleted_at, zone),
        "user_updated_at": _stamp(result.user_updated_at, zone),
        "routes_show_path": f"/leads/{lead_id}",
        "routes_edit_path": f"/leads/{lead_id}/edit",
        "external_record_id": f"crm-{lead_id % 1_000_000:06d}" if rng.random() < 0.3 else None,
        "context_menu_name": f"Lead {person.name}",
        **_contact(rng, person, index),
        "contact_field_type": 4401 if rng.random() < 0.15 else None,
        "expires_in": None if result.ended else f"{rng.randint(1, 29)} days",
        "sub_id": f"aff-{rng.randint(100, 999)}" if rng.random() < 0.5 else None,
        "offer_id": offer_id,
        "schedule_id": rng.choice(SCHEDULES),
        "traffic_source_id": rng.choice(TRAFFIC_SOURCES),
        "lead_import_id": 8801 if rng.random() < 0.1 else None,
        "remote_ip": f"203.0.113.{rng.randint(1, 254)}" if rng.random() < 0.7 else None,
        "schedule_trigger_type": rng.choice(("lead_created", "lead_created", "api", "import")),
        **result.columns(zone=zone, stamp=_stamp),
        "data": {"offer": OFFERS[offer_id], "age": str(rng.randint(25, 84)),
                 "utm_source": rng.choice(("facebook", "google", "tiktok", "email"))},
    }


def trackdrive_leads_pages(*, world: World, anchor: datetime, leads: int) -> list[dict[str, Any]]:
    """`leads` leads over the last 90 days, newest first, PER_PAGE a page."""
    clock = Clock(anchor=anchor, time_zone=LEAD_BUYER_TIME_ZONE, weekend=(0.7, 0.5))
    pool = CallerPool(seed=world.seed, name="leads", areas=LEAD_AREAS, size=max(10, leads))
    known = CallerPool(seed=world.seed, name=GARAGE.key, areas=GARAGE.caller_areas, size=10)
    drawn = []
    for index in range(leads):
        # as with calls: each lead draws from its own generators, so only its dates follow the day
        created = clock.draw(stable_random(seed=world.seed, stream=TIME_STREAM, index=index))
        rng = stable_random(seed=world.seed, stream=LEAD_STREAM, index=index)
        person = _person(rng, leads=pool, known=known)
        row = _lead(rng, lead_id=40_000_000 + index * 17, index=index, created=created,
                    anchor=anchor, person=person, seed=world.seed)
        drawn.append((created, row["id"], row))
    drawn.sort(key=lambda item: item[:2], reverse=True)  # TrackDrive lists newest first
    rows = [row for _, _, row in drawn]
    pages = -(-len(rows) // PER_PAGE)
    return [
        {"leads": rows[n * PER_PAGE:(n + 1) * PER_PAGE],
         "metadata": {"page": n + 1, "per_page": PER_PAGE, "total_count": len(rows),
                      "total_pages": pages}}
        for n in range(pages)
    ]
