"""The two ways a list field runs: at the root, or under each parent of a page."""

import enum
from collections.abc import Callable
from typing import Any

from app.graphql.connection import (
    Connection,
    ListQuery,
    child_connection,
    page_arguments,
    root_connection,
)
from app.graphql.entity import Entity
from app.graphql.filters.common import (
    Conditions,
    FilterFrame,
    global_pks,
    needs_company_frame,
    parse_phones_off_the_loop,
)
from app.graphql.types.base import Info, frame_for

ConditionsFn = Callable[[Any, FilterFrame], Conditions]


async def _query(
    info: Info,
    entity: Entity[Any],
    conditions: ConditionsFn,
    filter: Any,
    order_by: enum.Enum,
    paging: tuple[int | None, str | None, int | None, str | None],
    company_pk: int | None,
    company_frame: tuple[str, str] | None = None,
) -> tuple[ListQuery, FilterFrame]:
    # The company is read only if the filter needs its time zone or phone region.
    company = company_pk if needs_company_frame(filter) else None
    frame = await frame_for(info, company, company_frame)
    await parse_phones_off_the_loop(filter, frame.region)
    resolved = conditions(filter, frame)
    page = page_arguments(info, entity, order_by, *paging)
    return ListQuery(entity, resolved.where, order_by, page, resolved.applied), frame


async def root_list(
    info: Info,
    *,
    entity: Entity[Any],
    conditions: ConditionsFn,
    filter: Any,
    order_by: enum.Enum,
    paging: tuple[int | None, str | None, int | None, str | None],
    company_pk: int | None = None,
) -> Connection[Any]:
    query, _ = await _query(info, entity, conditions, filter, order_by, paging, company_pk)
    return await root_connection(info, query)


async def nested_list(
    info: Info,
    *,
    entity: Entity[Any],
    conditions: ConditionsFn,
    filter: Any,
    order_by: enum.Enum,
    paging: tuple[int | None, str | None, int | None, str | None],
    parent_column: str,
    parent_id: int,
    company_pk: int | None,
    company_frame: tuple[str, str] | None = None,
) -> Connection[Any]:
    query, frame = await _query(
        info, entity, conditions, filter, order_by, paging, company_pk, company_frame
    )
    return await child_connection(
        info,
        query,
        parent_column=parent_column,
        parent_id=parent_id,
        signature=(frame.time_zone, frame.region),
    )


def single_company(ids: list[Any] | None) -> int | None:
    """The company a root filter names, when it names exactly one (its time zone applies)."""
    if ids is None or len(ids) != 1:
        return None
    return global_pks(ids, type_name="Company", field="filter.companies")[0]
