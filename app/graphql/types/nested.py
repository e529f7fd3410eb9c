"""Nested list fields (company.calls, source.numbers, caller.leads, ...): one factory, so each
type says only which list it has and how a parent supplies its key, company and time zone."""

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from app.graphql.connection import Connection
from app.graphql.entities import CALL, LEAD, NUMBER, SOURCE
from app.graphql.entity import Entity
from app.graphql.enums import CallOrder, LeadOrder, NumberOrder, SourceOrder
from app.graphql.filters.call import CallFilter, call_conditions
from app.graphql.filters.lead import LeadFilter, lead_conditions
from app.graphql.filters.number import NumberFilter, number_conditions
from app.graphql.filters.source import SourceFilter, source_conditions
from app.graphql.types.base import Info
from app.graphql.types.lists import ConditionsFn, nested_list

if TYPE_CHECKING:
    from app.graphql.types.call import Call
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
SOURCES = ListKind(
    SOURCE, SourceFilter, source_conditions, SourceOrder.NAME_ASC,
    Annotated["Source", strawberry.lazy("app.graphql.types.source")],
)  # fmt: skip


def _own_pk(parent: Any) -> int:
    return int(parent.pk)


def nested_field(
    kind: ListKind,
    *,
    description: str,
    parent_column: str,
    company: Callable[[Any], int | None],
    parent_key: Callable[[Any], int] = _own_pk,
    known_scope: Callable[[Any], tuple[str, str]] | None = None,
) -> Any:
    """A connection field listing `kind` rows whose `parent_column` is the parent's key.

    `company` gives the parent's company (its time zone and region read the filter), or
    `known_scope` gives that zone and region directly when the parent holds them."""
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
            parent_column=parent_column,
            parent_id=parent_key(self),
            company_pk=company(self),
            company_scope=known_scope(self) if known_scope else None,
        )

    return strawberry.field(resolver=resolve, description=description)
