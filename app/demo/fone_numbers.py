"""Fone Dynamics `GET /v2/Accounts/{AccountSid}/Numbers` pages: a list of number objects."""

from typing import Any

from app.demo.cast import NONE
from app.demo.world import Site, TrackingNumber, World

PAGE_SIZE = 200  # Fone Dynamics' default and maximum Results_Count


def _number(*, world: World, site: Site, number: TrackingNumber) -> dict[str, Any]:
    line, business = number.line, site.business
    # CallRail attributes the numbers it tracks; naming a Fone Dynamics source on them as well
    # would have each vendor's import repoint Number.source in turn, so no rerun is a no-op.
    attribution = NONE if line.callrail_source else line.attribution
    return {
        "Number": number.e164,
        "PropertySid": site.property_sid,
        "AccountSid": world.account_sid,
        "Friendly": line.friendly,
        "RoutingMethod": "Endpoint",
        "EndpointNumber": site.endpoint_for(number, agent_number=world.agent_numbers[0]),
        "Recording": line.recording,
        "Attribution_Source": attribution.source,
        "Attribution_Medium": attribution.medium,
        "Attribution_Campaign": attribution.campaign,
        "Attribution_Content": attribution.content,
        "Type": line.kind,
        "Capabilities": line.capabilities,
        "CountryCode": business.country,
        # non-geographic numbers have no region or city
        "Region": business.region if line.kind == "Local" else None,
        "City": business.city if line.kind == "Local" else None,
        "Status": line.status,
    }


def fone_numbers_pages(world: World) -> list[list[dict[str, Any]]]:
    """Every property's numbers, paged as the account listing returns them."""
    rows = [
        _number(world=world, site=site, number=number)
        for site in world.sites
        for number in site.numbers
    ]
    return [rows[start:start + PAGE_SIZE] for start in range(0, len(rows), PAGE_SIZE)]
