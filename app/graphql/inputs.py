"""Input bounds: every argument value of a document, checked once before execution.

Each field argument (a literal in the document, or a variable with the value sent) is walked
against its declared input type, so a new argument or filter field is covered with no code of
its own: text (String, ID and custom scalars) must hold no NUL or lone surrogate and at most
`max_input_length` characters; a list at most `max_list_length` items. Declared variables that
no argument uses are walked by their declared type. The walk also tallies what handling the
inputs costs (list items, phone numbers to parse, searches: fields named `search`) for the cost
estimate (limits.py). Values of the wrong type are left to graphql-core's coercion, which
reports them."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLArgument,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLSchema,
    InlineFragmentNode,
    ListValueNode,
    Node,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    VariableNode,
    get_named_type,
    type_from_ast,
)
from graphql.type.definition import GraphQLInterfaceType, GraphQLObjectType
from graphql.type.introspection import TypeMetaFieldDef

_BAD_CHARACTER = re.compile("[\x00\ud800-\udfff]")
PHONE_SCALAR = "PhoneNumber"
SEARCH_FIELD = "search"


@dataclass
class InputReport:
    """What is wrong with the inputs (messages naming the field, with the node they came
    from), and how much handling them costs."""

    problems: list[tuple[str, Node | None]] = field(default_factory=list)
    items: int = 0
    phones: int = 0
    searches: int = 0


class _Walk:
    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        variables: Mapping[str, Any],
        *,
        max_length: int,
        max_items: int,
    ) -> None:
        self.schema, self.variables = schema, variables
        self.max_length, self.max_items = max_length, max_items
        self.fragments = [d for d in document.definitions if isinstance(d, FragmentDefinitionNode)]
        self.report = InputReport()
        self.used: set[str] = set()

    def problem(self, path: str, message: str, node: Node | None) -> None:
        self.report.problems.append((f"{path}: {message}", node))

    # The selections: every field's arguments, with the type that declares them.
    def selections(self, selection_set: SelectionSetNode | None, parent: Any) -> None:
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                self.field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                self.selections(selection.selection_set, inner)

    def field(self, node: FieldNode, parent: Any) -> None:
        definition = None
        if node.name.value == "__type":
            definition = TypeMetaFieldDef
        elif isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            definition = parent.fields.get(node.name.value)
        if definition is None:
            return
        for argument in node.arguments or ():
            declared: GraphQLArgument | None = definition.args.get(argument.name.value)
            if declared is not None:
                self.literal(argument.value, declared.type, argument.name.value)
        self.selections(node.selection_set, get_named_type(definition.type))

    # Values: literals in the document, and the variables' values where they are used.
    def literal(self, value: Any, kind: GraphQLInputType, path: str) -> None:
        if isinstance(value, VariableNode):
            name = value.name.value
            self.used.add(name)
            if name in self.variables:
                self.raw(self.variables[name], kind, path, value)
            return
        kind = _nullable(kind)
        if isinstance(value, ListValueNode) and isinstance(kind, GraphQLList):
            if self.items(len(value.values), path, value):
                for index, item in enumerate(value.values):
                    self.literal(item, kind.of_type, f"{path}[{index}]")
        elif isinstance(value, ObjectValueNode) and isinstance(kind, GraphQLInputObjectType):
            for entry in value.fields:
                declared = kind.fields.get(entry.name.value)
                if declared is not None:
                    self.searched(entry.name.value, entry.value, value)
                    self.literal(entry.value, declared.type, f"{path}.{entry.name.value}")
        elif isinstance(value, StringValueNode) and isinstance(kind, GraphQLScalarType):
            self.text(value.value, kind, path, value)
        elif isinstance(kind, GraphQLList):  # one item where a list is declared
            self.literal(value, kind.of_type, path)

    def raw(self, value: Any, kind: GraphQLInputType, path: str, node: Node) -> None:
        kind = _nullable(kind)
        if isinstance(value, list) and isinstance(kind, GraphQLList):
            if self.items(len(value), path, node):
                for index, item in enumerate(value):
                    self.raw(item, kind.of_type, f"{path}[{index}]", node)
        elif isinstance(value, dict) and isinstance(kind, GraphQLInputObjectType):
            for name, item in value.items():
                declared = kind.fields.get(name)
                if declared is not None:
                    self.searched(name, item, node)
                    self.raw(item, declared.type, f"{path}.{name}", node)
        elif isinstance(value, str) and isinstance(kind, GraphQLScalarType):
            self.text(value, kind, path, node)
        elif isinstance(kind, GraphQLList) and value is not None:
            self.raw(value, kind.of_type, path, node)

    def items(self, count: int, path: str, node: Node) -> bool:
        """Count a list's items; False (and a problem) when there are too many to walk."""
        if count > self.max_items:
            self.problem(path, f"at most {self.max_items} items, got {count}", node)
            return False
        self.report.items += count
        return True

    def text(self, value: str, kind: GraphQLScalarType, path: str, node: Node) -> None:
        if len(value) > self.max_length:
            self.problem(path, f"at most {self.max_length} characters, got {len(value)}", node)
        elif (bad := _BAD_CHARACTER.search(value)) is not None:
            character = f"U+{ord(bad.group()):04X}"
            self.problem(path, f"contains {character}, which text may not hold", node)
        elif kind.name == PHONE_SCALAR:
            self.report.phones += 1

    def searched(self, name: str, value: Any, node: Node) -> None:
        if name != SEARCH_FIELD:
            return
        if isinstance(value, VariableNode):
            value = self.variables.get(value.name.value)
        elif isinstance(value, StringValueNode):
            value = value.value
        if isinstance(value, str) and value.strip():
            self.report.searches += 1


def _nullable(kind: Any) -> Any:
    return kind.of_type if isinstance(kind, GraphQLNonNull) else kind


def check_inputs(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any],
    *,
    max_length: int,
    max_items: int,
) -> InputReport:
    """Problems and costs of every argument value `operation` (and its fragments) sends."""
    walk = _Walk(schema, document, variables, max_length=max_length, max_items=max_items)
    walk.selections(operation.selection_set, schema.get_root_type(operation.operation))
    for fragment in walk.fragments:
        condition = schema.get_type(fragment.type_condition.name.value)
        walk.selections(fragment.selection_set, condition)
    for definition in operation.variable_definitions or ():
        name = definition.variable.name.value
        declared = type_from_ast(schema, definition.type)
        if name not in walk.used and name in variables and declared is not None:
            walk.raw(variables[name], declared, f"${name}", definition)  # type: ignore[arg-type]
    return walk.report
