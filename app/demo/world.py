"""The demo world drawn from a seed: vendor ids, tracking numbers and the Company rows that name
them. Nothing here depends on the date, so a rerun on any day sees the same world."""

import random
from dataclasses import dataclass

from app.demo.cast import BUSINESSES, Business, Line
from app.demo.keys import stable_hex, stable_int
from app.demo.people import valid_number
from app.models.enums import Vendor

LEAD_BUYER_NAME = "Bluebird Pay-Per-Call"
LEAD_BUYER_TIME_ZONE = "America/Chicago"


@dataclass(frozen=True, slots=True)
class TrackingNumber:
    e164: str
    line: Line


@dataclass(frozen=True, slots=True)
class Site:
    """A business as Fone Dynamics knows it: a property, its numbers and the desk they ring."""

    business: Business
    property_sid: str
    endpoint: str
    numbers: tuple[TrackingNumber, ...]

    def endpoint_for(self, number: TrackingNumber, *, agent_number: str) -> str:
        return agent_number if number.line.to_agent else self.endpoint


@dataclass(frozen=True, slots=True)
class DemoCompany:
    """A Company row the demo names before importing, with its time zone and region."""

    vendor: Vendor
    external_id: str
    name: str
    time_zone: str
    default_region: str


@dataclass(frozen=True, slots=True)
class World:
    seed: int
    account_sid: str
    sites: tuple[Site, ...]
    agent_numbers: tuple[str, ...]  # Butter numbers; the first answers the dentist after hours
    callrail_company_id: int
    trackdrive_company_id: str

    def site(self, key: str) -> Site:
        return next(site for site in self.sites if site.business.key == key)

    def companies(self) -> list[DemoCompany]:
        """One Company per business: the Fone Dynamics properties and the lead buyer. CallRail
        and Butter pages are imported into their business's property (ingest's `company`)."""
        fone = [
            DemoCompany(Vendor.FONE_DYNAMICS, s.property_sid, s.business.name,
                        s.business.time_zone, s.business.country)
            for s in self.sites
        ]
        buyer = DemoCompany(Vendor.TRACKDRIVE, self.trackdrive_company_id, LEAD_BUYER_NAME,
                            LEAD_BUYER_TIME_ZONE, "US")
        return [*fone, buyer]

    def company_of(self, key: str) -> DemoCompany:
        """The Company row of a business (by Business.key) or of the lead buyer ("buyer")."""
        companies = self.companies()
        if key == "buyer":
            return companies[-1]
        return next(c for c in companies if c.external_id == self.site(key).property_sid)


def _site(*, seed: int, business: Business, index: int) -> Site:
    rng = random.Random(f"{seed}:site:{business.key}")
    endpoint = valid_number(rng=rng, prefix=business.local_prefix)
    numbers = tuple(
        TrackingNumber(
            valid_number(rng=rng, prefix=line.prefix or business.local_prefix, length=line.length),
            line,
        )
        for line in business.lines
    )
    sid = "PS" + stable_hex(seed=seed, kind="property", index=index)
    return Site(business, sid, endpoint, numbers)


def build_world(*, seed: int) -> World:
    """The whole cast for `seed`."""
    rng = random.Random(f"{seed}:agents")
    return World(
        seed=seed,
        account_sid="AC" + stable_hex(seed=seed, kind="account", index=0),
        sites=tuple(_site(seed=seed, business=b, index=i) for i, b in enumerate(BUSINESSES)),
        agent_numbers=tuple(valid_number(rng=rng, prefix="+1720") for _ in range(4)),
        callrail_company_id=stable_int(seed=seed, kind="crc", index=0, low=10**8, high=10**9),
        trackdrive_company_id=str(stable_int(seed=seed, kind="tdc", index=0, low=1000, high=99999)),
    )
