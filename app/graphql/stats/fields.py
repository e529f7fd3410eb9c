"""The stats fields, root and nested: one resolver factory, so each type only names the kind of
stats it has and how a parent restricts the rows and supplies its company and time zone."""

from typing import Annotated, Any

import strawberry

from app.graphql.key_scopes import RequireScope
from app.graphql.stats.answer import StatsArguments, answer
from app.graphql.stats.buckets import StatsInterval
from app.graphql.stats.kind import StatsKind
from app.graphql.types.base import Info, frame_for
from app.graphql.types.lists import single_company
from app.graphql.types.nested import NestedList

GROUP_BY = "The dimensions to group by (at most 4); none gives one row for the whole filter."
INTERVAL = (
    "Time buckets of the filter's range on the local calendar of its time zone (the range's "
    "`timeZone`, else the company's, else UTC); needs a bounded range."
)
FIRST = "How many groups, ranked by orderBy (default 50, max 250); every group has every bucket."


def stats_field(
    kind: StatsKind,
    *,
    filter_type: type,
    dimension_type: type,
    order_type: type,
    default_order: Any,
    returns: Any,
    scope: str,
    description: str,
    parent: NestedList | None = None,
) -> Any:
    """A stats field at the root (`parent` None) or under each parent object."""

    async def resolve(
        self: Any,
        info: Info,
        filter: filter_type | None = None,  # type: ignore[valid-type]
        group_by: Annotated[
            list[dimension_type] | None,  # type: ignore[valid-type]
            strawberry.argument(description=GROUP_BY),
        ] = None,
        interval: Annotated[StatsInterval | None, strawberry.argument(description=INTERVAL)] = None,
        order_by: order_type = default_order,  # type: ignore[valid-type]
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
    ) -> returns:
        args = StatsArguments(filter, group_by or [], interval, order_by, first)
        if parent is None:
            companies = getattr(filter, "companies", None) if filter else None
            company_frame = await frame_for(info, single_company(companies))
            return await answer(info, kind, args, company_frame, [])
        known = (self.time_zone, self.default_region) if parent.own_frame else None
        parent_scope = await frame_for(info, parent.company(self), known)
        column = kind.spec.table.c[parent.parent_column]
        return await answer(info, kind, args, parent_scope, [column == parent.parent_id(self)])

    # The parent columns the resolver reads (app/graphql/entity.py reads this mark), and the
    # stats a root field answers (app/graphql/compiler/stats.py compiles those).
    resolve.parent_columns = parent.parent_columns() if parent else ()  # type: ignore[attr-defined]
    resolve.root_stats = kind if parent is None else None  # type: ignore[attr-defined]
    return strawberry.field(
        resolver=resolve, description=description, extensions=[RequireScope(scope)]
    )
