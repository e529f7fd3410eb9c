"""The cost estimate of a validated operation: how many fields it can resolve, at most.

A connection's `edges` and `nodes` repeat their selection once per item, so page sizes
multiply down the tree; `first`/`last` count as the default page (50) when absent, and
variables count with the values sent. Fields are the unit because the executor's cost is
per resolved field (DESIGN.md); SQL per level is fixed by the loaders."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    is_list_type,
    value_from_ast_untyped,
)
from graphql.type.definition import GraphQLInterfaceType, get_nullable_type

PAGE_ARGUMENTS = ("first", "last")


@dataclass
class Estimate:
    cost: int = 0
    oversized: list[str] = field(default_factory=list)  # page arguments above the maximum


class _Estimator:
    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        variables: Mapping[str, Any],
        *,
        default_page: int,
        max_page: int,
    ) -> None:
        self.schema, self.variables = schema, variables
        self.default_page, self.max_page = default_page, max_page
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.memo: dict[tuple[str, int], int] = {}
        self.oversized: list[str] = []

    def selections(self, selection_set: SelectionSetNode | None, parent: Any, page: int) -> int:
        total = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent, page)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selections(selection.selection_set, inner, page)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value, page)
        return total

    def fragment(self, name: str, page: int) -> int:
        key = (name, page)
        if key not in self.memo:
            definition = self.fragments[name]
            condition = self.schema.get_type(definition.type_condition.name.value)
            self.memo[key] = self.selections(definition.selection_set, condition, page)
        return self.memo[key]

    def field(self, node: FieldNode, parent: Any, page: int) -> int:
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return 1
        definition = parent.fields.get(node.name.value)
        if definition is None:  # __typename and introspection meta fields
            return 1
        named: GraphQLNamedType = get_named_type(definition.type)
        repeat = page if is_list_type(get_nullable_type(definition.type)) else 1
        ids = self.list_length(node, "ids")
        if ids is not None:
            repeat = ids
        child_page = (
            self.page_size(node) if any(a in definition.args for a in PAGE_ARGUMENTS) else 1
        )
        return repeat * (1 + self.selections(node.selection_set, named, child_page))

    def page_size(self, node: FieldNode) -> int:
        sizes = [(a, self.int_argument(node, a)) for a in PAGE_ARGUMENTS]
        given = [(name, size) for name, size in sizes if size is not None and size >= 0]
        for name, size in given:
            if size > self.max_page:
                self.oversized.append(f"{name}: at most {self.max_page} items per page, got {size}")
        return max((size for _, size in given), default=self.default_page)

    def value(self, node: FieldNode, name: str) -> Any:
        argument = next((a for a in node.arguments or () if a.name.value == name), None)
        if argument is None:
            return None
        if isinstance(argument.value, VariableNode):
            return self.variables.get(argument.value.name.value)
        return argument.value

    def int_argument(self, node: FieldNode, name: str) -> int | None:
        value = self.value(node, name)
        if isinstance(value, IntValueNode):
            return int(value.value)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def list_length(self, node: FieldNode, name: str) -> int | None:
        value = self.value(node, name)
        if isinstance(value, ListValueNode):
            return len(value.values)
        return len(value) if isinstance(value, list) else None


def estimate(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any],
    *,
    default_page: int,
    max_page: int,
) -> Estimate:
    """Cost and oversized page arguments of `operation` with `variables` (defaults applied)."""
    values = dict(_variable_defaults(operation))
    values.update(variables)
    estimator = _Estimator(schema, document, values, default_page=default_page, max_page=max_page)
    root = schema.get_root_type(operation.operation)
    cost = estimator.selections(operation.selection_set, root, 1)
    return Estimate(cost=cost, oversized=estimator.oversized)


def _variable_defaults(operation: OperationDefinitionNode) -> dict[str, Any]:
    return {
        d.variable.name.value: value_from_ast_untyped(d.default_value)
        for d in operation.variable_definitions or ()
        if d.default_value is not None
    }
