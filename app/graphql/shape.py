"""How big a document is once its fragments are expanded: depth, aliases and field count.

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


@dataclass(frozen=True)
class Shape:
    depth: int = 0
    aliases: int = 0
    fields: int = 0

    def __add__(self, other: "Shape") -> "Shape":
        return Shape(
            max(self.depth, other.depth), self.aliases + other.aliases, self.fields + other.fields
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
                inner = self.selections(selection.selection_set)
                total += Shape(
                    inner.depth + 1, inner.aliases + bool(selection.alias), inner.fields + 1
                )
            elif isinstance(selection, InlineFragmentNode):
                total += self.selections(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value)
        return total

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
    )
