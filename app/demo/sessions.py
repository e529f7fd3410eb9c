"""Website sessions behind calls to dynamic (session-pool) numbers: where the visitor came from,
what they searched, which pages they saw, and the analytics ids the integrations add."""

import random
import string
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.demo.world import Site

SESSION_FIELDS = (
    "Session_Traffic_Type", "Session_Keywords", "Session_ConversionUri", "Session_LandingUri",
    "Google_Analytics_ClientId", "Google_Adwords_ClickId",
)
_CLICK_ID_ALPHABET = string.ascii_letters + string.digits + "-_"
# (weight, source, medium, Fone Dynamics traffic type)
_ORIGINS = (
    (0.34, "google", "cpc", "Campaign"),
    (0.28, "google", "organic", "Organic"),
    (0.10, "facebook", "paid", "Campaign"),
    (0.06, "bing", "cpc", "Campaign"),
    (0.13, "direct", "(none)", "Direct"),
    (0.06, "referral", "referral", "Referral"),
    (0.03, None, None, "Unattributed"),
)
_CAMPAIGNS = ("Brand", "Services - Exact", "Services - Broad", "Competitors", "Remarketing")
_REFERRERS = ("yelp.com", "nextdoor.com", "localsearch.com.au", "bbb.org", "reddit.com")
_LANDINGS = ("/", "/services", "/contact", "/specials", "/about", "/reviews", "/locations")
_CONVERSIONS = ("/contact", "/book-online", "/services", "/", "/specials")


@dataclass(frozen=True, slots=True)
class Visit:
    source: str | None
    medium: str | None
    campaign: str | None
    content: str | None
    traffic_type: str
    keywords: str | None
    landing_uri: str
    conversion_uri: str
    ga_client_id: str
    click_id: str | None

    def fields(self) -> dict[str, str | None]:
        """The call's Session_* and Google_* fields."""
        return dict(zip(SESSION_FIELDS, (
            self.traffic_type, self.keywords, self.conversion_uri, self.landing_uri,
            self.ga_client_id, self.click_id,
        ), strict=True))


def _ga_client_id(rng: random.Random, moment: datetime) -> str:
    """GA's "<random>.<first visit unix seconds>" form."""
    first_seen = moment - timedelta(days=rng.randint(0, 60), seconds=rng.randint(0, 86_399))
    return f"{rng.randint(10**8, 10**10 - 1)}.{int(first_seen.astimezone(UTC).timestamp())}"


def visit(rng: random.Random, *, site: Site, moment: datetime) -> Visit:
    """The session that led to a call at `moment`."""
    weights, sources, mediums, kinds = zip(*_ORIGINS, strict=True)
    pick = rng.choices(range(len(_ORIGINS)), weights=weights)[0]
    source, medium, kind = sources[pick], mediums[pick], kinds[pick]
    paid = kind == "Campaign"
    if source == "referral":
        source = rng.choice(_REFERRERS)
    searched = source in ("google", "bing") and (paid or rng.random() < 0.3)
    landing = site.business.website + rng.choice(_LANDINGS)
    return Visit(
        source=source,
        medium=medium,
        campaign=rng.choice(_CAMPAIGNS) if paid else None,
        content=f"ad-{rng.choice('abcd')}" if paid else None,
        traffic_type=kind,
        # organic searches mostly arrive without keywords ("not provided")
        keywords=rng.choice(site.business.keywords) if searched else None,
        landing_uri=landing + (f"?gclid={rng.randint(10**6, 10**7)}" if source == "google" and paid
                               else ""),
        conversion_uri=rng.choice(_CONVERSIONS),
        ga_client_id=_ga_client_id(rng, moment),
        click_id=(
            "Cj0KCQ" + "".join(rng.choices(_CLICK_ID_ALPHABET, k=36))
            if source == "google" and paid else None
        ),
    )
