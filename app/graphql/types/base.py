"""The Node interface, and how a field reaches a related row: a per-request DataLoader (on the
general path; the compiler joins relations in its statement)."""

from typing import Any

import strawberry

from app.core.ids import encode_global_id
from app.graphql.context import Context
from app.graphql.entities import BY_TYPE_NAME, COMPANY
from app.graphql.entity import Entity
from app.graphql.filters.common import FilterFrame
from app.graphql.selection import selected_names

Info = strawberry.Info[Context, Any]


@strawberry.interface(description="An object with a global ID, refetchable with node(id:).")
class Node:
    pk: strawberry.Private[int]

    @strawberry.field(description="Opaque global ID; pass it to node(id:) or nodes(ids:).")
    def id(self) -> strawberry.ID:
        return strawberry.ID(encode_global_id(type(self).__name__, self.pk))


def field_columns(info: Info, entity: Entity[Any]) -> tuple[Any, ...]:
    """Columns the current field's selection needs from `entity` (memoized per field node)."""
    raw = info._raw_info
    key = ("columns", entity.type_name, id(raw.field_nodes[0]))
    columns = info.context.memo.get(key)
    if columns is None:
        columns = entity.columns(selected_names(raw.field_nodes, raw, entity.type_name))
        info.context.memo[key] = columns
    return columns


async def load_one(info: Info, entity: Entity[Any], pk: int | None) -> Any:
    """The related object with primary key `pk`, batched with its siblings; None if absent."""
    if pk is None:
        return None
    row = await info.context.loaders.rows_by_id(entity, field_columns(info, entity)).load(pk)
    return None if row is None else entity.build(row)


def relation(obj: Any, info: Info, name: str) -> Any:
    """To-one relation `name` of `obj`, as its Entity declares it (foreign key, target)."""
    fk, target = BY_TYPE_NAME[type(obj).__name__].relations[name]
    return load_one(info, BY_TYPE_NAME[target], getattr(obj, fk))


async def frame_for(
    info: Info, company_pk: int | None, known: tuple[str, str] | None = None
) -> FilterFrame:
    """Filters read labels in the company's time zone and numbers in its region, else defaults.

    `known` is the company's (time zone, region) when the caller already holds them."""
    context = info.context
    time_zone, region = known or ("UTC", context.settings.default_region)
    if company_pk is not None and known is None:
        columns = COMPANY.columns((), "time_zone", "default_region")
        row = await context.loaders.rows_by_id(COMPANY, columns).load(company_pk)
        if row is not None:
            time_zone, region = row.time_zone, row.default_region
    return FilterFrame(
        now=context.now(), time_zone=time_zone, region=region, account_id=context.account_id
    )
