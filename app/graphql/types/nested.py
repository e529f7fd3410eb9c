"""Nested list fields (company.calls, source.numbers, caller.leads, ...): one factory, so each
type says only which list it has and how a parent supplies its key, company and time zone."""

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from app.graphql.connection import Connection
from app.graphql.entities import CALL, CALLER, COMPANY, LEAD, NUMBER, SOURCE
from app.graphql.entity import Entity
from app.graphql.enums import (
    CallerOrder,
    CallOrder,
    CompanyOrder,
    LeadOrder,
    NumberOrder,
    SourceOrder,
)
from app.graphql.filters.call import CallFilter, call_conditions
from app.graphql.filters.company import (
    CallerFilter,
    CompanyFilter,
    caller_conditions,
    company_conditions,
)
from app.graphql.filters.lead import LeadFilter, lead_conditions
from app.graphql.filters.number import NumberFilter, number_conditions
from app.graphql.filters.source import SourceFilter, source_conditions
from app.graphql.types.base import Info
from app.graphql.types.lists import ConditionsFn, nested_list

if TYPE_CHECKING:
    from app.graphql.types.call import Call
    from app.graphql.types.caller import Caller
    from app.graphql.types.company import Company
    from app.graphql.types.lead import Lead
    from app.graphql.types.number import Number
    from app.graphql.types.source import Source


@dataclass(frozen=True)
class ListKind:
    """What a list of one entity takes (filter, ordering) and returns (its node type)."""

    entity: Entity[Any]
    filter_type: type
    conditions: ConditionsFn
    default_order: enum.Enum
    node: Any


CALLS = ListKind(
    CALL, CallFilter, call_conditions, CallOrder.STARTED_AT_DESC,
    Annotated["Call", strawberry.lazy("app.graphql.types.call")],
)  # fmt: skip
LEADS = ListKind(
    LEAD, LeadFilter, lead_conditions, LeadOrder.CREATED_AT_DESC,
    Annotated["Lead", strawberry.lazy("app.graphql.types.lead")],
)  # fmt: skip
NUMBERS = ListKind(
    NUMBER, NumberFilter, number_conditions, NumberOrder.E164_ASC,
    Annotated["Number", strawberry.lazy("app.graphql.types.number")],
)  # fmt: skip
COMPANIES = ListKind(
    COMPANY, CompanyFilter, company_conditions, CompanyOrder.NAME_ASC,
    Annotated["Company", strawberry.lazy("app.graphql.types.company")],
)  # fmt: skip
CALLERS = ListKind(
    CALLER, CallerFilter, caller_conditions, CallerOrder.E164_ASC,
    Annotated["Caller", strawberry.lazy("app.graphql.types.caller")],
)  # fmt: skip
SOURCES = ListKind(
    SOURCE, SourceFilter, source_conditions, SourceOrder.NAME_ASC,
    Annotated["Source", strawberry.lazy("app.graphql.types.source")],
)  # fmt: skip


@dataclass(frozen=True)
class NestedList:
    """A list under each parent: the child rows whose `parent_column` equals the parent's
    `parent_key` column (NULL matches nothing). Filters read dates and phone numbers in the
    parent's company's zone and region: the parent's own (`own_frame`, a Company), the company
    its `company_column` names, or the defaults when there is none (a Caller)."""

    kind: ListKind
    parent_column: str
    parent_key: str = "id"
    company_column: str | None = "company_id"
    own_frame: bool = False

    def parent_id(self, parent: Any) -> int:
        # No row has id 0, so a parent without the key (an anonymous lead) lists nothing.
        return int(_column_value(parent, self.parent_key) or 0)

    def company(self, parent: Any) -> int | None:
        if self.company_column is None:
            return None
        return _column_value(parent, self.company_column)  # type: ignore[no-any-return]

    def parent_columns(self) -> tuple[str, ...]:
        """The parent's columns this list reads."""
        own = ("time_zone", "default_region") if self.own_frame else ()
        company = (self.company_column,) if self.company_column else ()
        return tuple(dict.fromkeys((self.parent_key, *company, *own)))


def lists(kind: ListKind) -> Any:
    """Mark a root list resolver with the kind of list it returns (the compiler reads it)."""

    def mark(function: Any) -> Any:
        function.root_list = kind
        return function

    return mark


def _column_value(row_object: Any, column: str) -> Any:
    """A column of the object's row (the id is held as `pk`; `id` is the global ID field)."""
    return getattr(row_object, "pk" if column == "id" else column)


def nested_field(spec: NestedList, *, description: str) -> Any:
    """A connection field listing `spec.kind` rows under each parent (see NestedList)."""
    kind = spec.kind
    filter_type, order_type = kind.filter_type, type(kind.default_order)
    default_order = kind.default_order

    async def resolve(
        self: Any,
        info: Info,
        filter: filter_type | None = None,  # type: ignore[valid-type]
        order_by: order_type = default_order,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[kind.node]:  # type: ignore[name-defined]
        return await nested_list(
            info,
            entity=kind.entity,
            conditions=kind.conditions,
            filter=filter,
            order_by=order_by,
            paging=(first, after, last, before),
            parent_column=spec.parent_column,
            parent_id=spec.parent_id(self),
            company_pk=spec.company(self),
            company_frame=(self.time_zone, self.default_region) if spec.own_frame else None,
        )

    resolve.nested_list = spec  # type: ignore[attr-defined]  # read by the compiler
    return strawberry.field(resolver=resolve, description=description)
