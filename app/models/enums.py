"""Vendor enum strings in unified form. Vendor spellings are mapped in app/vendors/."""

import enum


class Vendor(enum.StrEnum):
    CALLRAIL = "CALLRAIL"
    FONE_DYNAMICS = "FONE_DYNAMICS"
    BUTTER = "BUTTER"
    TRACKDRIVE = "TRACKDRIVE"


class NamedBy(enum.StrEnum):
    """Who gave a company its name: an import (which may follow the vendor's renames) or a
    person with `switchboard companies set` (which imports never overwrite)."""

    VENDOR = "VENDOR"
    USER = "USER"


class TrackingType(enum.StrEnum):
    """CallRail's `type` ("Source", "Session"); sources named by other vendors get their own kind."""

    SOURCE = "SOURCE"
    SESSION = "SESSION"
    ATTRIBUTION = "ATTRIBUTION"  # a Fone Dynamics Attribution_Source value
    TRAFFIC_SOURCE = "TRAFFIC_SOURCE"  # a TrackDrive traffic_source_id


class NumberType(enum.StrEnum):
    """Fone Dynamics `Type` (Local, Toll-Free, Shared-Rate, National) plus what phonenumbers adds."""

    LOCAL = "LOCAL"
    TOLL_FREE = "TOLL_FREE"
    SHARED_RATE = "SHARED_RATE"
    NATIONAL = "NATIONAL"
    MOBILE = "MOBILE"
    PREMIUM_RATE = "PREMIUM_RATE"
    UNKNOWN = "UNKNOWN"


class NumberCapability(enum.StrEnum):
    VOICE = "VOICE"
    SMS = "SMS"
    MMS = "MMS"


class NumberStatus(enum.StrEnum):
    """Fone Dynamics `Status`: Active or Pending."""

    ACTIVE = "ACTIVE"
    PENDING = "PENDING"


class RoutingMethod(enum.StrEnum):
    """Fone Dynamics `RoutingMethod`."""

    ENDPOINT = "ENDPOINT"


class RecordingMode(enum.StrEnum):
    """Fone Dynamics `Recording`: Off or Call."""

    OFF = "OFF"
    CALL = "CALL"


class CallDisposition(enum.StrEnum):
    """Fone Dynamics `Disposition`: Answered, IVR, Busy, NoAnswer, Failed."""

    ANSWERED = "ANSWERED"
    IVR = "IVR"
    BUSY = "BUSY"
    NO_ANSWER = "NO_ANSWER"
    FAILED = "FAILED"


class TrafficType(enum.StrEnum):
    """Fone Dynamics `Session_Traffic_Type`."""

    CAMPAIGN = "CAMPAIGN"
    DIRECT = "DIRECT"
    ORGANIC = "ORGANIC"
    REFERRAL = "REFERRAL"
    UNATTRIBUTED = "UNATTRIBUTED"
