"""Butter AI `GET /api/phone-numbers` pages for the dental group's voice agents."""

from typing import Any

from app.demo.keys import stable_hex
from app.demo.world import World

PAGE_SIZE = 2  # small, so the demo walks Butter's cursor like a real sync does

# (provider, status, has an agent, created_at) per agent number, in World.agent_numbers order
_PLANS = (
    ("twilio", "assigned", True, "2024-01-15T10:30:00Z"),
    ("twilio", "assigned", True, "2024-02-02T16:05:00Z"),
    ("sip", "free", False, "2024-01-10T09:00:00Z"),
    ("telnyx", "free", False, "2024-03-21T18:45:00Z"),
)


def _rows(world: World) -> list[dict[str, Any]]:
    seed = world.seed
    return [
        {
            "phone_number_id": "phon_" + stable_hex(seed=seed, kind="phon", index=i, length=12),
            "phone_number": e164,
            "provider": provider,
            "status": status,
            "supports_inbound": True,
            "supports_outbound": provider != "sip",
            "assigned_agent_id": (
                "agent_" + stable_hex(seed=seed, kind="agent", index=i, length=12)
                if has_agent else None
            ),
            "created_at": created_at,
        }
        for i, (e164, (provider, status, has_agent, created_at)) in enumerate(
            zip(world.agent_numbers, _PLANS, strict=True)
        )
    ]


def butter_phone_numbers_pages(world: World) -> list[dict[str, Any]]:
    """The organization's numbers, PAGE_SIZE per page, chained by next_cursor."""
    rows = _rows(world)
    starts = list(range(0, len(rows), PAGE_SIZE))
    return [
        {
            "success": True,
            "data": rows[start:start + PAGE_SIZE],
            "pagination": {
                "next_cursor": (
                    "cur_" + stable_hex(seed=world.seed, kind="cursor", index=n, length=16)
                    if start + PAGE_SIZE < len(rows) else None
                ),
                "has_more": start + PAGE_SIZE < len(rows),
                "page_size": PAGE_SIZE,
                "total_count": len(rows),
            },
        }
        for n, start in enumerate(starts)
    ]
