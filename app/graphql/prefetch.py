"""Plan one statement from a page's selection: the page's own columns, every to-one relation
it selects (call -> number -> source -> company, caller) LEFT JOINed and scoped to the
account, and computed values (a caller's call count, a number's vendors) as correlated
subqueries. Those fields then resolve synchronously from what the row carried, instead of
each awaiting a DataLoader (one async leaf makes every enclosing object async, and the
executor's task fan-out then costs more than the SQL). Anything not planned here still goes
through the loaders."""

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from graphql import FieldNode, GraphQLResolveInfo
from sqlalchemy import ColumnElement, FromClause, Row, Table, and_

from app.graphql.entity import Entity
from app.graphql.selection import child_fields, selected_names

PREFETCHED = "prefetched:"  # instance attribute prefix; never a column or field name
COMPUTED = "computed__"  # label prefix of computed values in the statement


@dataclass(frozen=True)
class Relation:
    """A to-one relation field: `fk` on the parent's table points at `target`'s id."""

    fk: str
    target: Entity[Any]


@dataclass(frozen=True)
class Computed:
    """A field computed in SQL: `sql(table or alias, account id, dialect name)`, and how to turn
    the column's value into the field's value."""

    sql: Callable[[FromClause, int, str], ColumnElement[Any]]
    convert: Callable[[Any], Any] | None = None


@dataclass(eq=False)
class JoinPlan:
    """One entity in the statement: its table (or alias), its columns and its joined relations."""

    entity: Entity[Any]
    table: FromClause
    prefix: str
    columns: list[ColumnElement[Any]] = field(default_factory=list)
    children: dict[str, "JoinPlan"] = field(default_factory=dict)
    fks: dict[str, str] = field(default_factory=dict)
    computed: list[ColumnElement[Any]] = field(default_factory=list)
    converters: dict[str, Callable[[Any], Any]] = field(default_factory=dict)
    _attrs: list[tuple[str, int]] = field(default_factory=list)
    _converted: list[tuple[str, int, Callable[[Any], Any]]] = field(default_factory=list)
    _pk_index: int = -1

    def selected(self) -> list[ColumnElement[Any]]:
        """Every labelled column of this plan and its children, in a stable order."""
        columns = [*self.columns, *self.computed]
        for child in self.children.values():
            columns.extend(child.selected())
        return columns

    def from_clause(self, account_id: int, joined: FromClause | None = None) -> FromClause:
        """This table LEFT JOINed to each planned relation, each scoped to the account.

        The joins form one left-deep chain (call -> number -> number's source ...), which is
        equivalent because each condition names only its parent; SQLite would materialize a
        nested `call LEFT JOIN (number LEFT JOIN source ...)` by scanning every number."""
        joined = self.table if joined is None else joined
        for name, child in self.children.items():
            on = and_(
                self.table.c[self.fks[name]] == child.table.c.id,
                child.table.c.account_id == account_id,
            )
            joined = child.from_clause(account_id, joined.outerjoin(child.table, on))
        return joined

    def index(self, positions: dict[str, int]) -> None:
        """Remember where each of this plan's labels sits in a result row."""
        self._attrs = [(c.name[len(self.prefix) :], positions[c.name]) for c in self.columns]
        # Computed values are stored, converted, where prefetched() finds them.
        for column in self.computed:
            name = column.name[len(self.prefix) + len(COMPUTED) :]
            convert = self.converters.get(name)
            if convert is None:
                self._attrs.append((PREFETCHED + name, positions[column.name]))
            else:
                self._converted.append((PREFETCHED + name, positions[column.name], convert))
        self._pk_index = positions[f"{self.prefix}pk"]
        for child in self.children.values():
            child.index(positions)

    def build(self, row: Row[Any]) -> Any:
        """The entity's object for this row, with its prefetched relations attached."""
        cls = self.entity.cls
        assert cls is not None
        obj = object.__new__(cls)
        values = obj.__dict__
        for attr, position in self._attrs:
            values[attr] = row[position]
        for attr, position, convert in self._converted:
            values[attr] = convert(row[position])
        for name, child in self.children.items():
            values[PREFETCHED + name] = None if row[child._pk_index] is None else child.build(row)
        return obj


def plan(
    entity: Entity[Any],
    nodes: Iterable[FieldNode],
    info: GraphQLResolveInfo,
    *,
    relations: dict[str, dict[str, Relation]],
    computed: dict[str, dict[str, Computed]],
    account_id: int,
    dialect: str,
    extra: tuple[str, ...] = (),
    table: Table | None = None,
    prefix: str = "",
) -> JoinPlan:
    """The join plan for `entity` selected by `nodes` (recursing into to-one relations)."""
    nodes = list(nodes)
    source = table if table is not None else _alias(entity.table, prefix.rstrip("_"))
    names = selected_names(nodes, info, entity.type_name)
    own = entity.columns(names, *extra)
    result = JoinPlan(entity=entity, table=source, prefix=prefix)
    result.columns = [source.c[_column_name(c)].label(f"{prefix}{c.name}") for c in own]
    wanted = {n: c for n, c in computed.get(entity.type_name, {}).items() if n in names}
    result.computed = [
        c.sql(source, account_id, dialect).label(f"{prefix}{COMPUTED}{n}")
        for n, c in wanted.items()
    ]
    result.converters = {n: c.convert for n, c in wanted.items() if c.convert is not None}
    grouped: dict[str, list[FieldNode]] = {}
    for node in child_fields(nodes, info, entity.type_name):
        if node.name.value in relations.get(entity.type_name, {}):
            grouped.setdefault(node.name.value, []).append(node)
    for name, field_nodes in grouped.items():
        relation = relations[entity.type_name][name]
        result.fks[name] = relation.fk
        result.children[name] = plan(
            relation.target,
            field_nodes,
            info,
            relations=relations,
            computed=computed,
            account_id=account_id,
            dialect=dialect,
            prefix=f"{prefix}{name}__",
        )
    return result


@functools.cache
def _alias(table: Table, name: str) -> FromClause:
    """One alias object per table and join path, built once (building one proxies every column)."""
    return table.alias(name)


def _column_name(column: ColumnElement[Any]) -> str:
    """The table column behind a possibly labelled column (the id is labelled `pk`)."""
    return "id" if column.name == "pk" else str(column.name)


def prefetched(obj: Any, name: str) -> tuple[bool, Any]:
    """(True, value) when the planner attached relation `name` to `obj`."""
    key = PREFETCHED + name
    values = obj.__dict__
    if key in values:
        return True, values[key]
    return False, None


def prefetchable(name: str) -> Any:
    """Mark a resolver whose value the planner may attach as `name` (the executor reads it)."""

    def mark(function: Any) -> Any:
        function.prefetched_as = name
        return function

    return mark
