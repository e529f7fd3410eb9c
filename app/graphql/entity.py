"""An Entity ties a GraphQL type to its table: which columns each field reads (derived from
the type's declarations), its to-one relations, and how a row becomes an instance."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import Column, Row, Table
from strawberry.utils.str_converters import to_camel_case

T = TypeVar("T")

# Selections come from clients: keep the per-entity caches bounded, like the parser's.
MAX_CACHED_SELECTIONS = 4096


@dataclass(eq=False)
class Entity(Generic[T]):
    """`reads` maps GraphQL fields that are not plain columns to the columns they read."""

    type_name: str
    table: Table
    # Pure resolvers' columns (`enabled` reads disabled_at); the rest is derived in bind().
    reads: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # To-one relation fields: name -> (the foreign key column, the target's type name).
    relations: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    cls: type[T] | None = None
    _column_cache: dict[frozenset[str], tuple[Column[Any], ...]] = field(default_factory=dict)
    _by_columns: dict[frozenset[str], tuple[Column[Any], ...]] = field(default_factory=dict)

    def bind(self, cls: type[T]) -> type[T]:
        """Class decorator: the Strawberry type this entity's rows become. The columns each
        field reads come from the type's own declarations: a field without a resolver reads the
        column of its Python name, a relation its foreign key, a nested list the parent columns
        its NestedList names, a value type its embedded columns."""
        self.cls = cls
        reads = dict(self.reads)
        for strawberry_field in cls.__strawberry_definition__.fields:  # type: ignore[attr-defined]
            name = strawberry_field.graphql_name or to_camel_case(strawberry_field.python_name)
            function: Any = getattr(strawberry_field.base_resolver, "wrapped_func", None)
            if name in self.relations:
                reads[name] = (self.relations[name][0],)
            elif function is None and strawberry_field.python_name in self.table.c:
                reads[name] = (strawberry_field.python_name,)
            elif getattr(function, "nested_list", None) is not None:
                reads[name] = function.nested_list.parent_columns()
            elif getattr(function, "embedded_columns", None) is not None:
                reads[name] = tuple(function.embedded_columns.values())
            elif getattr(function, "parent_columns", None) is not None:
                reads[name] = function.parent_columns  # a stats field's parent link
        self.reads = reads
        self._column_cache.clear()
        self._by_columns.clear()
        return cls

    def columns(self, names: Iterable[str], *extra: str) -> tuple[Column[Any], ...]:
        """Columns to read for the selected GraphQL `names` plus `extra` column names."""
        key = frozenset(names) | frozenset(f"/{e}" for e in extra)
        cached = self._column_cache.get(key)
        if cached is not None:
            return cached
        wanted: dict[str, None] = {"id": None, **dict.fromkeys(extra)}
        for name in names:
            wanted.update(dict.fromkeys(self.reads.get(name, ())))
        if len(self._column_cache) >= MAX_CACHED_SELECTIONS:
            self._column_cache.clear()
            self._by_columns.clear()
        # Equal column sets share one tuple, so loaders keyed by it are shared too.
        same = frozenset(wanted)
        cols = self._by_columns.get(same)
        if cols is None:
            cols = tuple(
                self.table.c.id.label("pk") if name == "id" else self.table.c[name]  # type: ignore[misc]  # id is read as its label pk
                for name in wanted
            )
            self._by_columns[same] = cols
        self._column_cache[key] = cols
        return cols

    def build(self, row: Row[Any]) -> T:
        """An instance holding the row's columns as attributes (unselected fields stay unset)."""
        assert self.cls is not None, f"{self.type_name} has no bound type"
        obj = object.__new__(self.cls)
        obj.__dict__.update(row._mapping)
        return obj
