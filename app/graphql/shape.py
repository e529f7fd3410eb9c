"""How big a document is once its fragments are expanded: depth, aliases and field count.

Introspection (`__schema`, `__type`) is measured apart: its subtrees count one level towards
`depth` and have their own depth and a count of introspection roots, because the standard
introspection queries nest type references deeper than any data query needs.

Read before validation (graphql-core's overlapping-fields rule is quadratic in the fields, so a
bomb must be refused before it runs). Each fragment is measured once and reused, so a fragment
that spreads another twice, ten levels deep, costs ten steps to measure while counting the
thousand copies it would execute; a fragment cycle counts as empty (validation rejects it)."""

from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

INTROSPECTION_ROOTS = frozenset({"__schema", "__type"})


@dataclass(frozen=True)
class Shape:
    depth: int = 0
    aliases: int = 0
    fields: int = 0
    introspection_depth: int = 0  # the deepest `__schema`/`__type` subtree, itself included
    introspection_roots: int = 0  # `__schema`/`__type` selections, fragments expanded

    def __add__(self, other: "Shape") -> "Shape":
        return Shape(
            max(self.depth, other.depth),
            self.aliases + other.aliases,
            self.fields + other.fields,
            max(self.introspection_depth, other.introspection_depth),
            self.introspection_roots + other.introspection_roots,
        )


class _Measurer:
    def __init__(self, document: DocumentNode) -> None:
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.memo: dict[str, Shape] = {}
        self.open: set[str] = set()

    def selections(self, selection_set: SelectionSetNode | None) -> Shape:
        total = Shape()
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                total += self.field(selection)
            elif isinstance(selection, InlineFragmentNode):
                total += self.selections(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value)
        return total

    def field(self, node: FieldNode) -> Shape:
        inner = self.selections(node.selection_set)
        aliases, fields = inner.aliases + bool(node.alias), inner.fields + 1
        if node.name.value in INTROSPECTION_ROOTS:
            depth = max(inner.depth + 1, inner.introspection_depth)
            return Shape(1, aliases, fields, depth, inner.introspection_roots + 1)
        return Shape(
            inner.depth + 1, aliases, fields, inner.introspection_depth, inner.introspection_roots
        )

    def fragment(self, name: str) -> Shape:
        if name in self.memo:
            return self.memo[name]
        definition = self.fragments.get(name)
        if definition is None or name in self.open:
            return Shape()
        self.open.add(name)
        shape = self.selections(definition.selection_set)
        self.open.discard(name)
        self.memo[name] = shape
        return shape


def measure(document: DocumentNode, operation_name: str | None) -> Shape:
    """The largest shape among the operations that could run (the named one, else all)."""
    measurer = _Measurer(document)
    shapes = [
        measurer.selections(d.selection_set)
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
        and (operation_name is None or (d.name is not None and d.name.value == operation_name))
    ]
    return Shape(
        max((s.depth for s in shapes), default=0),
        max((s.aliases for s in shapes), default=0),
        max((s.fields for s in shapes), default=0),
        max((s.introspection_depth for s in shapes), default=0),
        max((s.introspection_roots for s in shapes), default=0),
    )
