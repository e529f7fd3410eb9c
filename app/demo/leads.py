"""What became of a demo lead: calls attempted and connected, buyer and traffic-source
conversions with revenue and payout, opt-outs, and the schedule's next action."""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

BUYERS = {5301: "Acme Senior Benefits", 5302: "Lone Star Insurance Group",
          5303: "SafeHome Warranty Co", 5304: "Evergreen Final Expense"}
ACTIVE_DAYS = 10  # younger leads are still being worked by their schedule
CENTS = Decimal("0.01")

Stamp = Callable[[datetime | None, ZoneInfo], str | None]


@dataclass(frozen=True, slots=True)
class Outcome:
    lead_id: int
    status: str
    human_status: str
    css_status: str
    buyer_id: int | None
    attempted: datetime | None
    connected: datetime | None
    first_queued: datetime
    last_action: datetime
    next_action: datetime | None
    schedule_ended: datetime | None
    revenue: Decimal
    payout: Decimal
    buyer_converted: bool
    offer_converted: bool
    opt_out: bool
    blocked: bool
    is_live: bool
    updated_at: datetime
    user_updated_at: datetime | None
    deleted_at: datetime | None

    @property
    def ended(self) -> bool:
        return self.next_action is None

    def columns(self, *, zone: ZoneInfo, stamp: Stamp) -> dict[str, Any]:
        """The lead columns this outcome decides, in TrackDrive's spelling."""
        base = self.lead_id * 10
        return {
            "status": self.status, "human_status": self.human_status,
            "css_status": self.css_status, "has_next_action": self.next_action is not None,
            "opt_out": self.opt_out, "revenue": str(self.revenue), "payout": str(self.payout),
            "offer_converted": self.offer_converted, "buyer_converted": self.buyer_converted,
            "buyer_id": self.buyer_id,
            "attempted_call_id": base + 1 if self.attempted else None,
            "connected_call_id": base + 2 if self.connected else None,
            "scheduled_callback_id": base + 3 if self.status == "callback" else None,
            "call_buyer_conversion_id": base + 4 if self.buyer_converted else None,
            "call_offer_conversion_id": base + 5 if self.offer_converted else None,
            "sms_number_id": 9901 if self.lead_id % 3 == 0 else None,
            "dial_number_id": 9801 + self.lead_id % 3 if self.attempted else None,
            "dial_tier": str(1 + self.lead_id % 3) if self.attempted else None,
            "last_action_at": stamp(self.last_action, zone),
            "first_action_at": stamp(self.attempted, zone),
            "first_queued_at": stamp(self.first_queued, zone),
            "schedule_ended_at": stamp(self.schedule_ended, zone),
            "next_action_at": stamp(self.next_action, zone),
            "last_call_at": stamp(self.connected or self.attempted, zone),
            "is_live": self.is_live, "blocked": self.blocked,
        }


def _money(rng: random.Random, *, converted: bool, low: int, high: int) -> Decimal:
    return Decimal(rng.uniform(low, high)).quantize(CENTS) if converted else Decimal("0.00")


def _labels(*, status: str, buyer_id: int | None, next_action: datetime | None) -> tuple[str, str]:
    """(human_status, css_status) as the lead grid shows them."""
    if status == "converted":
        return f"Converted - {BUYERS[buyer_id or 5301]}", "success"
    if status in ("waiting", "callback") and next_action:
        return f"Next action {next_action:%b %d %H:%M} UTC", "info"
    return {
        "opted_out": ("Opted out (replied STOP)", "danger"),
        "blocked": ("Blocked caller", "danger"),
        "stalled": ("Next action overdue", "warning"),
    }.get(status, ("Schedule finished without a sale", "default"))


def outcome(rng: random.Random, *, created: datetime, anchor: datetime, lead_id: int) -> Outcome:
    """How far the lead's schedule got by `anchor`; only next actions lie beyond it."""
    latest = anchor - timedelta(seconds=1)
    queued = min(latest, created + timedelta(seconds=rng.randint(1, 60)))
    attempted = min(latest, queued + timedelta(seconds=rng.randint(30, 1200)))
    attempted_at = attempted if rng.random() < 0.85 else None
    connected = attempted_at if attempted_at and rng.random() < 0.55 else None
    buyer_converted = connected is not None and rng.random() < 0.45
    offer_converted = buyer_converted and rng.random() < 0.9
    opt_out = not buyer_converted and rng.random() < 0.04
    blocked = rng.random() < 0.01
    open_lead = not (buyer_converted or opt_out or blocked)
    active = open_lead and anchor - created < timedelta(days=ACTIVE_DAYS) and rng.random() < 0.7
    stalled = open_lead and not active and rng.random() < 0.03
    next_action = None
    if active:  # scheduled ahead of today: the grid's "next action" column has a future
        next_action = anchor + timedelta(minutes=rng.randint(5, 3 * 24 * 60))
    elif stalled:
        next_action = min(latest, created + timedelta(days=rng.randint(2, 5)))
    last_action = attempted_at or queued
    status = (
        "converted" if buyer_converted else "opted_out" if opt_out else "blocked" if blocked
        else ("callback" if rng.random() < 0.2 else "waiting") if active
        else "stalled" if stalled else "schedule_ended"
    )
    buyer_id = rng.choice(list(BUYERS)) if connected else None
    human_status, css_status = _labels(status=status, buyer_id=buyer_id, next_action=next_action)
    revenue = _money(rng, converted=buyer_converted, low=25, high=90)
    touched = min(latest, created + timedelta(hours=rng.randint(1, 72)))
    return Outcome(
        lead_id=lead_id, status=status, human_status=human_status, css_status=css_status,
        buyer_id=buyer_id, attempted=attempted_at, connected=connected, first_queued=queued,
        last_action=last_action, next_action=next_action,
        schedule_ended=None if next_action else min(latest, last_action + timedelta(minutes=5)),
        revenue=revenue,
        payout=(revenue * Decimal(rng.uniform(0.55, 0.7))).quantize(CENTS)
        if offer_converted else Decimal("0.00"),
        buyer_converted=buyer_converted, offer_converted=offer_converted, opt_out=opt_out,
        blocked=blocked, is_live=active and rng.random() < 0.02,
        updated_at=max(last_action, touched),
        user_updated_at=touched if rng.random() < 0.1 else None,
        deleted_at=min(latest, touched + timedelta(hours=1)) if rng.random() < 0.01 else None,
    )
