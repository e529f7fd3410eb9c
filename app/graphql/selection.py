"""Which fields a query selects below a field: the GraphQL way of the vendors' `columns`.

Walks graphql-core's AST directly (through fragments and inline fragments whose type condition
applies), which is much cheaper than building Strawberry's selection objects."""

from collections.abc import Iterable, Iterator
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLResolveInfo,
    InlineFragmentNode,
    SelectionSetNode,
)


def _fields(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    type_names: frozenset[str],
) -> Iterator[FieldNode]:
    if selection_set is None:
        return
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition
            if condition is None or condition.name.value in type_names:
                yield from _fields(selection.selection_set, fragments, type_names)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment and fragment.type_condition.name.value in type_names:
                yield from _fields(fragment.selection_set, fragments, type_names)


def child_fields(
    nodes: Iterable[FieldNode], info: GraphQLResolveInfo[Any], type_name: str
) -> list[FieldNode]:
    """Fields selected directly below `nodes`, whose type is `type_name` (or the Node interface)."""
    type_names = frozenset({type_name, "Node"})
    found: list[FieldNode] = []
    for node in nodes:
        found.extend(_fields(node.selection_set, info.fragments, type_names))
    return found


def selected_names(
    nodes: Iterable[FieldNode], info: GraphQLResolveInfo[Any], type_name: str
) -> set[str]:
    return {field.name.value for field in child_fields(nodes, info, type_name)}


def connection_node_fields(info: GraphQLResolveInfo[Any], type_name: str) -> list[FieldNode]:
    """The field nodes that select the connection's items (edges.node and nodes)."""
    found: list[FieldNode] = []
    for field in child_fields(info.field_nodes, info, f"{type_name}Connection"):
        if field.name.value == "nodes":
            found.append(field)
        elif field.name.value == "edges":
            found.extend(
                edge_field
                for edge_field in child_fields([field], info, f"{type_name}Edge")
                if edge_field.name.value == "node"
            )
    return found


def connection_node_names(info: GraphQLResolveInfo[Any], type_name: str) -> set[str]:
    """Field names selected on the nodes of the connection being resolved (edges.node and nodes)."""
    return selected_names(connection_node_fields(info, type_name), info, type_name)


def selects(info: GraphQLResolveInfo[Any], type_name: str, name: str) -> bool:
    """Whether the field being resolved selects `name` directly (e.g. a connection's totalCount)."""
    return name in selected_names(info.field_nodes, info, type_name)
