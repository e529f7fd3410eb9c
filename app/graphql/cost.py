"""The cost estimate of a validated operation: how many fields it can resolve, at most.

A connection's `edges` and `nodes` repeat their selection once per item, so page sizes
multiply down the tree; `first`/`last` count as the default page (50) when absent, and
variables count with the values sent. Fields are the unit because the executor's cost is
per resolved field (DESIGN.md); SQL per level is fixed by the loaders. Introspection
(`__schema`, `__type`) counts exactly the fields it resolves over this schema, so aliased
copies of a full introspection add up like any other fields (its response grows with them).
What inputs cost (list items, phone numbers, searches) is added by limits.py."""

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
from graphql.type.definition import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLWrappingType,
    get_nullable_type,
    is_abstract_type,
)

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
        budget: int,
    ) -> None:
        self.schema, self.variables = schema, variables
        self.default_page, self.max_page = default_page, max_page
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.memo: dict[tuple[str, int], int] = {}
        self.oversized: list[str] = []
        self.meta_memo: dict[tuple[Any, int], int] = {}
        self.structures: dict[int, Any] = {}
        self.meta_work, self.meta_budget = 0, budget

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
        if node.name.value in ("__schema", "__type"):
            return page * self.introspection(node)
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

    def introspection(self, node: FieldNode) -> int:
        if node.name.value == "__schema":
            return 1 + self.meta(node.selection_set, "__Schema", self.schema)
        name = self.value(node, "name")
        name = getattr(name, "value", name)
        found = self.schema.get_type(name) if isinstance(name, str) else None
        return 1 + (self.meta(node.selection_set, "__Type", found) if found else 0)

    def meta(self, selection_set: SelectionSetNode | None, kind: str, obj: Any) -> int:
        """Fields a selection on introspection object `obj` (of meta type `kind`) resolves."""
        key = (self.structure(selection_set), id(obj))
        if key in self.meta_memo:
            return self.meta_memo[key]
        self.meta_work += 1
        if self.meta_work > self.meta_budget:
            raise _OverBudget
        total = 0
        for selection in _flatten(selection_set, self.fragments):
            found = _META.get(kind, {}).get(selection.name.value)
            if found is None:
                total += 1  # a leaf (name, kind, description, ...)
                continue
            child_kind, children = found(obj, self.schema)
            if isinstance(children, list):
                total += 1 + sum(
                    1 + self.meta(selection.selection_set, child_kind, c) for c in children
                )
            elif children is not None:
                total += 1 + self.meta(selection.selection_set, child_kind, children)
            else:
                total += 1
        self.meta_memo[key] = total
        return total

    def structure(self, selection_set: SelectionSetNode | None) -> Any:
        """The field names of a selection, nested: equal for copies of one selection (aliased
        introspections), so each distinct one is counted once."""
        found = self.structures.get(id(selection_set))
        if found is None:
            fields = _flatten(selection_set, self.fragments)
            found = tuple((f.name.value, self.structure(f.selection_set)) for f in fields)
            self.structures[id(selection_set)] = found
        return found

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


class _OverBudget(Exception):
    """Introspection alone already costs more than the limit: stop counting."""


def _flatten(selection_set: SelectionSetNode | None, fragments: dict[str, Any]) -> list[FieldNode]:
    """The fields of a selection set with its fragments spread (introspection types are
    concrete, so type conditions need no check); fragment cycles are validation errors."""
    fields: list[FieldNode] = []
    pending = list(selection_set.selections if selection_set else ())
    seen: set[str] = set()
    while pending:
        selection = pending.pop(0)
        if isinstance(selection, FieldNode):
            fields.append(selection)
        elif isinstance(selection, InlineFragmentNode):
            pending.extend(selection.selection_set.selections)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
            seen.add(selection.name.value)
            definition = fragments.get(selection.name.value)
            if definition is not None:
                pending.extend(definition.selection_set.selections)
    return fields


def _type_fields(t: Any, _: GraphQLSchema) -> Any:
    named = isinstance(t, GraphQLObjectType | GraphQLInterfaceType)
    return "__Field", list(t.fields.values()) if named else None


def _possible(t: Any, schema: GraphQLSchema) -> Any:
    return "__Type", list(schema.get_possible_types(t)) if is_abstract_type(t) else None


# What each introspection field holds: (its meta type, the objects or object, or None).
_META: dict[str, dict[str, Any]] = {
    "__Schema": {
        "types": lambda s, _: ("__Type", list(s.type_map.values())),
        "queryType": lambda s, _: ("__Type", s.query_type),
        "mutationType": lambda s, _: ("__Type", s.mutation_type),
        "subscriptionType": lambda s, _: ("__Type", s.subscription_type),
        "directives": lambda s, _: ("__Directive", list(s.directives)),
    },
    "__Type": {
        "fields": _type_fields,
        "interfaces": lambda t, _: ("__Type", list(getattr(t, "interfaces", None) or []) or None),
        "possibleTypes": _possible,
        "enumValues": lambda t, _: (
            "__EnumValue",
            list(t.values.values()) if isinstance(t, GraphQLEnumType) else None,
        ),
        "inputFields": lambda t, _: (
            "__InputValue",
            list(t.fields.values()) if isinstance(t, GraphQLInputObjectType) else None,
        ),
        "ofType": lambda t, _: (
            "__Type",
            t.of_type if isinstance(t, GraphQLWrappingType) else None,
        ),
    },
    "__Field": {
        "args": lambda f, _: ("__InputValue", list(f.args.values())),
        "type": lambda f, _: ("__Type", f.type),
    },
    "__InputValue": {"type": lambda v, _: ("__Type", v.type)},
    "__Directive": {"args": lambda d, _: ("__InputValue", list(d.args.values()))},
}


def estimate(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any],
    *,
    default_page: int,
    max_page: int,
    budget: int,
) -> Estimate:
    """Cost and oversized page arguments of `operation` with `variables` (defaults applied);
    counting stops once introspection alone is over `budget` (the cost limit)."""
    values = dict(_variable_defaults(operation))
    values.update(variables)
    estimator = _Estimator(
        schema, document, values, default_page=default_page, max_page=max_page, budget=budget
    )
    root = schema.get_root_type(operation.operation)
    try:
        cost = estimator.selections(operation.selection_set, root, 1)
    except _OverBudget:
        cost = budget + 1
    return Estimate(cost=cost, oversized=estimator.oversized)


def _variable_defaults(operation: OperationDefinitionNode) -> dict[str, Any]:
    return {
        d.variable.name.value: value_from_ast_untyped(d.default_value)
        for d in operation.variable_definitions or ()
        if d.default_value is not None
    }
