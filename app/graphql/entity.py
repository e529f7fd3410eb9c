"""An Entity ties a GraphQL type to its table: which columns each field reads, and how a row
becomes an instance without per-field work."""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import Column, Row, Table

T = TypeVar("T")

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")
# Selections come from clients: keep the per-entity caches bounded, like the parser's.
MAX_CACHED_SELECTIONS = 4096


def snake_case(name: str) -> str:
    return _CAMEL.sub("_", name).lower()


@dataclass(eq=False)
class Entity(Generic[T]):
    """`reads` maps GraphQL fields that are not plain columns to the columns they read."""

    type_name: str
    table: Table
    reads: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    cls: type[T] | None = None
    _column_cache: dict[frozenset[str], tuple[Column[Any], ...]] = field(default_factory=dict)
    _by_columns: dict[frozenset[str], tuple[Column[Any], ...]] = field(default_factory=dict)

    def bind(self, cls: type[T]) -> type[T]:
        """Class decorator: the Strawberry type this entity's rows become."""
        self.cls = cls
        return cls

    def columns(self, names: Iterable[str], *extra: str) -> tuple[Column[Any], ...]:
        """Columns to read for the selected GraphQL `names` plus `extra` column names."""
        key = frozenset(names) | frozenset(f"/{e}" for e in extra)
        cached = self._column_cache.get(key)
        if cached is not None:
            return cached
        wanted: dict[str, None] = {"id": None, **dict.fromkeys(extra)}
        for name in names:
            if name in self.reads:
                wanted.update(dict.fromkeys(self.reads[name]))
            elif (column := snake_case(name)) in self.table.c:
                wanted[column] = None
        if len(self._column_cache) >= MAX_CACHED_SELECTIONS:
            self._column_cache.clear()
            self._by_columns.clear()
        # Equal column sets share one tuple, so loaders keyed by it are shared too.
        same = frozenset(wanted)
        cols = self._by_columns.get(same)
        if cols is None:
            cols = tuple(
                self.table.c.id.label("pk") if name == "id" else self.table.c[name]
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
