"""The demo's businesses as data: who they are, where their callers live, and the tracking
numbers each one runs (digits are drawn later, from the seed, in world.py)."""

from dataclasses import dataclass

from app.demo.people import (
    ATLANTA,
    BRISBANE,
    COLUMBUS,
    DALLAS,
    DENVER,
    MELBOURNE,
    MIAMI,
    PHOENIX,
    SYDNEY,
    Area,
)


@dataclass(frozen=True, slots=True)
class Attribution:
    """Fone Dynamics Attribution_Source/Medium/Campaign/Content."""

    source: str | None = None
    medium: str | None = None
    campaign: str | None = None
    content: str | None = None


NONE = Attribution()
DIRECT = Attribution("direct", "(none)")


@dataclass(frozen=True, slots=True)
class Line:
    """A tracking number as planned, before its digits are drawn."""

    friendly: str
    weight: float  # share of the business's calls
    attribution: Attribution = NONE
    kind: str = "Local"  # Fone Dynamics Type
    prefix: str | None = None  # None: the business's local prefix
    length: int = 12
    ivr: bool = True  # calls pass the business's phone menu before ringing the desk
    dynamic: bool = False  # a session-pool number: each call brings its visitor's attribution
    status: str = "Active"
    recording: str = "Call"
    capabilities: str = "Voice,SMS"
    callrail_source: str | None = None  # the CallRail source that tracks the same number
    to_agent: bool = False  # routed to the Butter voice agent instead of the front desk


@dataclass(frozen=True, slots=True)
class Business:
    """One business whose calls Fone Dynamics records."""

    key: str
    name: str
    time_zone: str
    country: str
    region: str
    city: str
    local_prefix: str
    caller_areas: tuple[tuple[Area, float], ...]
    lines: tuple[Line, ...]
    call_share: float
    weekend: tuple[float, float]  # Saturday and Sunday volume relative to a weekday
    website: str
    keywords: tuple[str, ...]
    ivr_paths: tuple[str, ...]
    call_types: tuple[str, ...]
    notes: tuple[str, ...]


def _pool(count: int, *, weight: float, callrail_source: str | None = None) -> tuple[Line, ...]:
    return tuple(
        Line(f"Website Pool {i + 1}", weight, dynamic=True, callrail_source=callrail_source)
        for i in range(count)
    )


PLUMBER = Business(
    key="plumber", name="Harbour City Plumbing", time_zone="Australia/Sydney", country="AU",
    region="NSW", city="Sydney", local_prefix="+6129",
    caller_areas=((SYDNEY, 0.9), (MELBOURNE, 0.05), (BRISBANE, 0.05)),
    lines=(
        Line("Main Line", 0.24, DIRECT),
        Line("Google Ads - Emergency", 0.15,
             Attribution("google", "cpc", "Emergency Plumbing - Sydney", "responsive-ad-a")),
        Line("Google Business Profile", 0.12, Attribution("google", "organic", "GBP listing")),
        Line("Facebook - Hot Water Promo", 0.07,
             Attribution("facebook", "paid", "Hot Water Winter Promo", "carousel-1")),
        Line("Bing Ads", 0.04, Attribution("bing", "cpc", "Blocked Drains", "text-ad-2")),
        Line("1800 Emergency", 0.10, Attribution("direct", "(none)", "Van signage"),
             kind="Toll-Free", prefix="+611800", length=13, capabilities="Voice"),
        Line("1300 Service Line", 0.06, Attribution("hipages.com.au", "referral"),
             kind="Shared-Rate", prefix="+611300", length=13, capabilities="Voice"),
        Line("13 Number - Radio", 0.02, Attribution("radio", "offline", "2GB Breakfast"),
             kind="National", prefix="+6113", length=9, capabilities="Voice", recording="Off"),
        Line("Northern Beaches (new)", 0.0, status="Pending", recording="Off"),
        *_pool(4, weight=0.05),
    ),
    call_share=0.45, weekend=(0.6, 0.35), website="https://harbourcityplumbing.com.au",
    keywords=("emergency plumber sydney", "blocked drain", "hot water repairs", "leaking tap",
              "plumber near me", "gas fitter parramatta", "burst pipe", "toilet repair"),
    ivr_paths=("1", "1", "1", "2", "3", "1,2", "1,1", "2,1", "3,2"),
    call_types=("New Customer", "Existing Customer", "Emergency", "Quote", "Service"),
    notes=("Blocked drain in laundry, booked tomorrow 8am", "Hot water system quote requested",
           "Asked for a call back after 5pm", "Strata manager, three units affected",
           "Price shopping, sent to website", "Repeat customer, happy with last job"),
)

GARAGE = Business(
    key="garage", name="Peachtree Auto Garage", time_zone="America/New_York", country="US",
    region="GA", city="Atlanta", local_prefix="+1404",
    caller_areas=((ATLANTA, 1.0),),
    lines=(
        Line("Main Shop Line", 0.25, DIRECT),
        Line("Google Ads", 0.18, Attribution("google", "cpc", "Brake Repair Atlanta", "brakes"),
             callrail_source="Google Ads"),
        Line("Google Organic", 0.15, Attribution("google", "organic"),
             callrail_source="Google Organic"),
        Line("Yelp", 0.07, Attribution("yelp.com", "referral"), callrail_source="Yelp"),
        Line("Toll-Free Radio", 0.07, Attribution("radio", "offline", "WSB Morning Show"),
             kind="Toll-Free", prefix="+1888", capabilities="Voice", recording="Off"),
        *_pool(4, weight=0.07, callrail_source="Keyword Pool"),
    ),
    call_share=0.35, weekend=(0.5, 0.1), website="https://peachtreeautogarage.com",
    keywords=("brake repair atlanta", "oil change near me", "check engine light",
              "transmission repair", "ac recharge car", "mechanic decatur", "tire rotation"),
    ivr_paths=("1", "1", "2", "2", "3", "1,2", "2,1"),
    call_types=("Appointment", "Quote", "Status Check", "Warranty", "Towing"),
    notes=("Wants a quote for front brake pads", "Car ready? Told pickup after 4pm",
           "Check engine light, booked diagnostic", "Asked about financing",
           "Fleet customer, three vans due for service"),
)

DENTAL = Business(
    key="dental", name="Mile High Dental Group", time_zone="America/Denver", country="US",
    region="CO", city="Denver", local_prefix="+1303",
    caller_areas=((DENVER, 1.0),),
    lines=(
        Line("Front Desk", 0.33, DIRECT),
        Line("New Patients - Google Ads", 0.20,
             Attribution("google", "cpc", "Invisalign Denver", "rsa-1")),
        Line("Google Organic", 0.14, Attribution("google", "organic")),
        Line("Facebook - Whitening Offer", 0.10,
             Attribution("facebook", "paid", "Teeth Whitening $99", "video-15s")),
        Line("Bing Ads", 0.05, Attribution("bing", "cpc", "Emergency Dentist")),
        Line("Toll-Free", 0.10, DIRECT, kind="Toll-Free", prefix="+1877",
             capabilities="Voice,SMS,MMS"),
        Line("After Hours AI", 0.08, DIRECT, ivr=False, to_agent=True),
    ),
    call_share=0.20, weekend=(0.3, 0.05), website="https://milehighdental.com",
    keywords=("dentist denver", "invisalign cost", "teeth whitening", "emergency dentist",
              "dental implants aurora", "pediatric dentist"),
    ivr_paths=("1", "1", "2", "2", "3", "1,2", "2,1", "2,3"),
    call_types=("New Patient", "Existing Patient", "Billing", "Emergency", "Insurance"),
    notes=("New patient, Delta Dental PPO", "Reschedule cleaning to next week",
           "Chipped tooth, seen same day", "Billing question about last visit",
           "Asked about Invisalign payment plans"),
)

BUSINESSES = (PLUMBER, GARAGE, DENTAL)

LEAD_AREAS = ((DALLAS, 0.3), (MIAMI, 0.25), (PHOENIX, 0.2), (COLUMBUS, 0.15), (ATLANTA, 0.1))
