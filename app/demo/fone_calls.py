"""Fone Dynamics `GET /v2/Accounts/{AccountSid}/Calls` pages: call objects sorted earliest to
latest, 200 a page, with dispositions, durations, IVR paths, sessions and repeat callers."""

import math
import random
from datetime import UTC, datetime
from typing import Any

from app.demo.keys import stable_hex, stable_random
from app.demo.people import CallerPool, Person
from app.demo.sessions import SESSION_FIELDS, visit
from app.demo.timing import Clock, is_open
from app.demo.world import Site, TrackingNumber, World

PAGE_SIZE = 200  # Fone Dynamics' default Results_Count
ANONYMOUS_SHARE = 0.05
DISPOSITIONS = ("Answered", "IVR", "NoAnswer", "Busy", "Failed")
OPEN_ODDS = (0.69, 0.10, 0.12, 0.06, 0.03)
CLOSED_ODDS = (0.47, 0.12, 0.31, 0.05, 0.05)  # after hours the desk mostly does not pick up
AGENT_ODDS = (0.92, 0.0, 0.04, 0.0, 0.04)  # the voice agent answers whenever it is up
CALL_STREAM, TIME_STREAM = 1, 2


class _Site:
    """A site's per-run draw state: its clock, its callers and its number weights."""

    def __init__(self, *, site: Site, anchor: datetime, calls: int, seed: int) -> None:
        business = site.business
        self.site = site
        self.clock = Clock(anchor=anchor, time_zone=business.time_zone, weekend=business.weekend)
        # 1.5 callers per expected call with Zipf weights gives ~40% repeat calls, a few regulars
        self.callers = CallerPool(seed=seed, name=business.key, areas=business.caller_areas,
                                  size=max(10, int(calls * business.call_share * 1.5)))
        self.numbers = [n for n in site.numbers if n.line.weight > 0]
        self.weights = [n.line.weight for n in self.numbers]


def _disposition(rng: random.Random, *, number: TrackingNumber, moment: datetime) -> str:
    staffed = OPEN_ODDS if is_open(moment) else CLOSED_ODDS
    odds = AGENT_ODDS if number.line.to_agent else staffed
    disposition = rng.choices(DISPOSITIONS, weights=odds)[0]
    return "Answered" if disposition == "IVR" and not number.line.ivr else disposition


def _duration(rng: random.Random, *, disposition: str, keys: str | None) -> int:
    """Log-normal talk time; calls that never connected last zero seconds."""
    if disposition == "IVR":
        return min(300, round(rng.lognormvariate(math.log(35), 0.5)))
    if disposition != "Answered":
        return 0
    menu = 12 * len(keys.split(",")) if keys else 0
    return min(3600, max(5, menu + round(rng.lognormvariate(math.log(140), 0.85))))


def _keys(
    rng: random.Random, *, site: Site, number: TrackingNumber, disposition: str
) -> str | None:
    if not number.line.ivr or disposition not in ("Answered", "IVR"):
        return None
    if rng.random() < (0.25 if disposition == "Answered" else 0.35):
        return None  # waited for the operator, or hung up before pressing anything
    return rng.choice(site.business.ivr_paths)


def _survey(rng: random.Random, *, site: Site, disposition: str) -> dict[str, str | None]:
    fields = ("Survey_Type", "Survey_Value", "Survey_Custom1", "Survey_Custom2",
              "Survey_Custom3", "Survey_UniqueCode")
    if disposition != "Answered" or rng.random() >= 0.08:
        return dict.fromkeys(fields)
    initials = "".join(word[0] for word in site.business.name.split())
    return dict(zip(fields, (
        "Satisfaction", str(rng.randint(1, 5)), rng.choice(("Booked", "Quoted", "Info only")),
        None, None, f"{initials}-{rng.randint(1000, 9999)}",
    ), strict=True))


def _caller(rng: random.Random, *, state: _Site) -> Person | None:
    return None if rng.random() < ANONYMOUS_SHARE else state.callers.draw(rng)


def _call(*, world: World, states: list[_Site], index: int) -> dict[str, Any]:
    # Who calls which number, and how it goes, never depends on the date; only the moment does.
    # A rerun on a later day then moves each call in time and changes little else.
    rng = stable_random(seed=world.seed, stream=CALL_STREAM, index=index)
    state = rng.choices(states, weights=[s.site.business.call_share for s in states])[0]
    site = state.site
    number = rng.choices(state.numbers, weights=state.weights)[0]
    moment = state.clock.draw(stable_random(seed=world.seed, stream=TIME_STREAM, index=index))
    person = _caller(rng, state=state)
    disposition = _disposition(rng, number=number, moment=moment)
    keys = _keys(rng, site=site, number=number, disposition=disposition)
    sid = "CA" + stable_hex(seed=world.seed, kind="call", index=index)
    routed = disposition in ("Answered", "NoAnswer", "Busy")
    answered = disposition == "Answered"
    attribution = number.line.attribution
    session = visit(rng, site=site, moment=moment) if number.line.dynamic else None
    return {
        "CallSid": sid,
        "PropertySid": site.property_sid,
        "DateTime": str(int(moment.astimezone(UTC).timestamp())),
        "From": person.e164 if person else "anonymous",
        "From_CountryCode": person.country if person else None,
        "From_Region": person.region if person else None,
        "From_City": person.city if person else None,
        "To": number.e164,
        "To_Friendly": number.line.friendly,
        "Duration": _duration(rng, disposition=disposition, keys=keys),
        "Disposition": disposition,
        "Recording_Uri": (
            f"https://api.fonedynamics.com/v2/Calls/{sid}/Recording"
            if answered and number.line.recording == "Call" else None
        ),
        "Endpoint": (
            site.endpoint_for(number, agent_number=world.agent_numbers[0]) if routed else None
        ),
        "Attribution_Source": session.source if session else attribution.source,
        "Attribution_Medium": session.medium if session else attribution.medium,
        "Attribution_Campaign": session.campaign if session else attribution.campaign,
        "Attribution_Content": session.content if session else attribution.content,
        **(session.fields() if session else dict.fromkeys(SESSION_FIELDS)),
        **_survey(rng, site=site, disposition=disposition),
        "Prompts_Keys": keys,
        "Notes": rng.choice(site.business.notes) if answered and rng.random() < 0.04 else None,
        "CallType": (
            rng.choice(site.business.call_types) if answered and rng.random() < 0.2 else None
        ),
    }


def fone_calls_pages(*, world: World, anchor: datetime, calls: int) -> list[list[dict[str, Any]]]:
    """`calls` calls across the properties, sorted and paged as the account listing returns them."""
    states = [_Site(site=s, anchor=anchor, calls=calls, seed=world.seed) for s in world.sites]
    rows = [_call(world=world, states=states, index=index) for index in range(calls)]
    rows.sort(key=lambda row: (int(row["DateTime"]), row["CallSid"]))
    return [rows[start:start + PAGE_SIZE] for start in range(0, len(rows), PAGE_SIZE)]

