"""Orderings and keyset positions: a sort column plus the primary key as tie-breaker."""

import enum
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, false, literal, or_, tuple_
from sqlalchemy.sql.elements import UnaryExpression


@dataclass(frozen=True)
class Ordering:
    """Sort by `column` then `id`, both ascending or both descending; NULLs always last."""

    column: str
    descending: bool

    def sort_keys(self, table: Table, *, reverse: bool = False) -> list[UnaryExpression[Any]]:
        """ORDER BY clauses; `reverse` walks the same order backwards (for `last`/`before`)."""
        column = table.c[self.column]
        return self.keys_for(column, table.c.id, nullable=bool(column.nullable), reverse=reverse)

    def keys_for(
        self,
        column: ColumnElement[Any],
        pk: ColumnElement[Any],
        *,
        nullable: bool,
        reverse: bool = False,
    ) -> list[UnaryExpression[Any]]:
        """The same ORDER BY over any pair of columns (e.g. a subquery's)."""
        descending = self.descending != reverse
        key = column.desc() if descending else column.asc()
        if nullable:
            key = key.nulls_first() if reverse else key.nulls_last()
        return [key, pk.desc() if descending else pk.asc()]

    def after(
        self, table: Table, value: Any, pk: int, *, reverse: bool = False
    ) -> ColumnElement[bool]:
        """Rows strictly after position (value, pk) in this order (or in its reverse)."""
        descending = self.descending != reverse
        col, id_col = table.c[self.column], table.c.id
        # Bind with the column's own type (e.g. Money stores scaled integers).
        value = value if value is None else literal(value, col.type)
        if not col.nullable:
            if descending:
                return tuple_(col, id_col) < tuple_(value, pk)
            return tuple_(col, id_col) > tuple_(value, pk)
        past_pk = id_col < pk if descending else id_col > pk
        if value is None:
            # NULLs sit at the end going forward, at the start going backward.
            return (
                and_(col.is_(None), past_pk)
                if not reverse
                else or_(col.is_not(None), and_(col.is_(None), past_pk))
            )
        past_value = col < value if descending else col > value
        tail = col.is_(None) if not reverse else false()
        return or_(past_value, and_(col == value, past_pk), tail)


def ordering_of(member: enum.Enum) -> Ordering:
    """Order enum values are "column asc" or "column desc" (values must be unique per enum)."""
    column, _, direction = member.value.partition(" ")
    return Ordering(column=column, descending=direction == "desc")
