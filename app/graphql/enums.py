"""GraphQL enums: the unified vendor enums, caller type, and each list's orderings."""

import enum

import strawberry

from app.models.enums import (
    CallDisposition,
    NumberCapability,
    NumberStatus,
    NumberType,
    RecordingMode,
    RoutingMethod,
    TrackingType,
    TrafficType,
    Vendor,
)

VendorEnum = strawberry.enum(Vendor, description="The vendor a record came from.")
TrackingTypeEnum = strawberry.enum(
    TrackingType,
    description=(
        "CallRail source `type` (SOURCE, SESSION); ATTRIBUTION is a Fone Dynamics Attribution_"
        "Source, TRAFFIC_SOURCE a TrackDrive traffic source."
    ),
)
NumberTypeEnum = strawberry.enum(
    NumberType,
    description="Fone Dynamics `Type` (Local, Toll-Free, Shared-Rate, National), else phonenumbers'.",
)
NumberCapabilityEnum = strawberry.enum(
    NumberCapability, description="Fone Dynamics `Capabilities`: Voice, SMS, MMS."
)
NumberStatusEnum = strawberry.enum(NumberStatus, description="Fone Dynamics `Status`.")
RoutingMethodEnum = strawberry.enum(RoutingMethod, description="Fone Dynamics `RoutingMethod`.")
RecordingModeEnum = strawberry.enum(RecordingMode, description="Fone Dynamics `Recording`.")
CallDispositionEnum = strawberry.enum(
    CallDisposition, description="Fone Dynamics `Disposition` (NoAnswer is NO_ANSWER)."
)
TrafficTypeEnum = strawberry.enum(TrafficType, description="Fone Dynamics `Session_Traffic_Type`.")


@strawberry.enum(description="Fone Dynamics `Unique`: all calls, first calls, or repeat calls.")
class CallerType(enum.Enum):
    ALL = "all"
    UNIQUE = "unique"
    REPEAT = "repeat"


# Order enum values are "column asc|desc"; every ordering breaks ties on the id.
@strawberry.enum(description="Call order; ties break on id.")
class CallOrder(enum.Enum):
    STARTED_AT_DESC = "started_at desc"
    STARTED_AT_ASC = "started_at asc"
    DURATION_DESC = "duration_seconds desc"
    DURATION_ASC = "duration_seconds asc"


@strawberry.enum(description="Lead order; ties break on id; leads without next action sort last.")
class LeadOrder(enum.Enum):
    CREATED_AT_DESC = "created_at desc"
    CREATED_AT_ASC = "created_at asc"
    UPDATED_AT_DESC = "updated_at desc"
    UPDATED_AT_ASC = "updated_at asc"
    NEXT_ACTION_AT_ASC = "next_action_at asc"
    NEXT_ACTION_AT_DESC = "next_action_at desc"
    REVENUE_DESC = "revenue desc"
    REVENUE_ASC = "revenue asc"
    PAYOUT_DESC = "payout desc"
    PAYOUT_ASC = "payout asc"


@strawberry.enum(description="Number order; ties break on id.")
class NumberOrder(enum.Enum):
    E164_ASC = "e164 asc"
    E164_DESC = "e164 desc"
    CREATED_AT_DESC = "created_at desc"
    CREATED_AT_ASC = "created_at asc"


@strawberry.enum(description="Source order; ties break on id.")
class SourceOrder(enum.Enum):
    NAME_ASC = "name asc"
    NAME_DESC = "name desc"
    CREATED_AT_DESC = "created_at desc"
    CREATED_AT_ASC = "created_at asc"


@strawberry.enum(description="Company order; ties break on id.")
class CompanyOrder(enum.Enum):
    NAME_ASC = "name asc"
    NAME_DESC = "name desc"
    CREATED_AT_DESC = "created_at desc"
    CREATED_AT_ASC = "created_at asc"


@strawberry.enum(description="Caller order; ties break on id.")
class CallerOrder(enum.Enum):
    E164_ASC = "e164 asc"
    E164_DESC = "e164 desc"
