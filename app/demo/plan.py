"""The demo as a plan: the Company rows to name, then every vendor page in import order."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from app.demo.butter import butter_phone_numbers_pages
from app.demo.callrail import callrail_sources_pages
from app.demo.fone_calls import fone_calls_pages
from app.demo.fone_numbers import fone_numbers_pages
from app.demo.timing import utc_midnight
from app.demo.trackdrive import trackdrive_leads_pages
from app.demo.world import DemoCompany, World, build_world
from app.models.enums import Vendor
from app.vendors.registry import REGISTRY

CALLS_PER_LEAD = 15  # 30,000 calls come with 2,000 leads


@dataclass(frozen=True, slots=True)
class Batch:
    """The pages of one vendor resource; `company` is set where pages never name their own."""

    vendor: Vendor
    resource: str
    pages: list[Any]
    company: DemoCompany | None = None

    @property
    def label(self) -> str:
        return f"{self.vendor.value} {self.resource}"

    @property
    def records(self) -> int:
        """How many records the pages hold, counted as ingest reads them."""
        read = REGISTRY[(self.vendor, self.resource)].records
        return sum(len(read(page)) for page in self.pages)


@dataclass(frozen=True, slots=True)
class DemoPlan:
    world: World
    companies: list[DemoCompany]
    batches: list[Batch]

    @property
    def records(self) -> int:
        return sum(batch.records for batch in self.batches)


def plan_demo(*, seed: int, calls: int, today: date) -> DemoPlan:
    """Everything `switchboard demo` imports for `seed`, with calls in the 90 days before `today`
    (UTC); the same arguments always give the same pages."""
    world = build_world(seed=seed)
    anchor = utc_midnight(today)
    batches = [
        # Numbers before calls, so calls find the numbers they were made to; Fone Dynamics
        # first, as the first vendor to report a number gives it its company.
        Batch(Vendor.FONE_DYNAMICS, "numbers", fone_numbers_pages(world)),
        Batch(Vendor.CALLRAIL, "sources", callrail_sources_pages(world),
              world.company_of("garage")),
        Batch(Vendor.BUTTER, "phone-numbers", butter_phone_numbers_pages(world),
              world.company_of("dental")),
        Batch(Vendor.FONE_DYNAMICS, "calls",
              fone_calls_pages(world=world, anchor=anchor, calls=calls)),
        Batch(Vendor.TRACKDRIVE, "leads",
              trackdrive_leads_pages(world=world, anchor=anchor, leads=calls // CALLS_PER_LEAD),
              world.company_of("buyer")),
    ]
    return DemoPlan(world=world, companies=world.companies(), batches=batches)
