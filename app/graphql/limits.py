"""QueryLimits: refuses a document that is too large or too costly before any SQL runs.

Order per request: the token cap applies while parsing; the shape (depth, aliases, fields with
fragments expanded) is checked before validation, whose overlapping-fields rule is quadratic;
then the cached validation (without "Did you mean" suggestions when introspection is off: they
name fields); then the operation pick (several operations need `operationName`, as the
specification says); then the input bounds (inputs.py, BAD_USER_INPUT naming the field); then
the cost estimate and page sizes, which need the variables. Every limit is QUERY_TOO_COMPLEX
(errors.format_error recognises the parser's token error, which surfaces outside any hook that
could mark it). Limits come from
the request's settings, so one schema serves apps configured differently. This extension also
owns the validation cache (in place of strawberry's ValidationCache, which would validate
before the shape check)."""

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    validate,
)
from graphql.validation import (
    ASTValidationRule,
    MaxIntrospectionDepthRule,
    NoSchemaIntrospectionCustomRule,
    specified_rules,
)
from strawberry.extensions import SchemaExtension
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from app.core.settings import Settings
from app.graphql.connection import DEFAULT_PAGE_SIZE
from app.graphql.cost import Estimate, estimate
from app.graphql.inputs import InputReport, check_inputs
from app.graphql.shape import measure

TOO_COMPLEX = "QUERY_TOO_COMPLEX"
BAD_INPUT = "BAD_USER_INPUT"
SUBSCRIPTION_OVER_HTTP = (
    "subscriptions run over WebSocket (graphql-transport-ws) at /graphql, not over HTTP"
)


@lru_cache(maxsize=512)
def _cached_validate(
    schema: GraphQLSchema,
    document: DocumentNode,
    rules: tuple[type[ASTValidationRule], ...],
    hide_suggestions: bool,
) -> list[GraphQLError]:
    """graphql-core's validation with strawberry's extra rules, as strawberry runs it."""
    rules = (*rules, MaybeNullValidationRule, OneOfInputValidationRule)
    return validate(schema, document, rules, hide_suggestions=hide_suggestions)


def too_complex(message: str, nodes: Any = None) -> GraphQLError:
    return GraphQLError(message, nodes, extensions={"code": TOO_COMPLEX})


class QueryLimits(SchemaExtension):
    """Token cap, shape limits, cached validation, then cost and page-size limits."""

    @property
    def settings(self) -> Settings:
        settings: Settings = self.execution_context.context.settings
        return settings

    @property
    def streams(self) -> bool:
        return bool(getattr(self.execution_context.context, "streams", False))

    def on_operation(self) -> Iterator[None]:
        self.execution_context.parse_options["max_tokens"] = self.settings.max_query_tokens
        self.execution_context.validation_rules = request_rules(
            tuple(self.execution_context.validation_rules), self.settings
        )
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        assert document is not None
        # strawberry's `operation_name` falls back to the first operation's name.
        name = context._provided_operation_name
        settings, schema = self.settings, context.schema._schema
        errors = shape_errors(document, name, settings)
        if not errors:
            errors = _cached_validate(
                schema, document, tuple(context.validation_rules), not settings.introspection
            )
        if not errors:
            operation = operation_of(document, name)
            if operation is None:
                errors = [operation_error(document, name)]
            elif operation.operation is OperationType.SUBSCRIPTION and not self.streams:
                errors = [GraphQLError(SUBSCRIPTION_OVER_HTTP, extensions={"code": BAD_INPUT})]
            else:
                errors = request_errors(
                    schema, document, operation, context.variables or {}, settings
                )
        context.pre_execution_errors = list(errors)
        yield


class IntrospectionListDepth(MaxIntrospectionDepthRule):
    """graphql-js's bound on introspection recursion, refused as QUERY_TOO_COMPLEX."""

    def report_error(self, error: GraphQLError) -> None:
        message = (
            "introspection nests fields/inputFields/interfaces/possibleTypes lists 3 deep; "
            "the maximum is 2"
        )
        super().report_error(too_complex(message, error.nodes))


def request_rules(rules: tuple[Any, ...], settings: Settings) -> tuple[Any, ...]:
    """`rules` as a request runs them: graphql-core's bound on introspection recursion
    (`fields`/`inputFields`/`interfaces`/`possibleTypes` nested at most twice, part of its
    specified rules) refusing as QUERY_TOO_COMPLEX, and no introspection when disabled."""
    rules = tuple(IntrospectionListDepth if r is MaxIntrospectionDepthRule else r for r in rules)
    return rules if settings.introspection else (*rules, NoSchemaIntrospectionCustomRule)


def validation_errors(schema: Any, document: Any, settings: Settings) -> list[GraphQLError]:
    """Validation with the rules a request runs (no introspection when it is disabled)."""
    rules = request_rules(specified_rules, settings)
    return _cached_validate(schema, document, rules, not settings.introspection)


def operation_error(document: Any, name: str | None) -> GraphQLError:
    """Why no operation runs: several and no `operationName` (strawberry itself refuses a
    name that matches none)."""
    message = "the document has several operations: name the one to run in operationName"
    if name is not None:
        message = f"operationName: the document has no operation named {name!r}"
    return GraphQLError(message, extensions={"code": BAD_INPUT})


def request_errors(
    schema: Any,
    document: Any,
    operation: OperationDefinitionNode,
    variables: dict[str, Any],
    settings: Settings,
    found: Estimate | None = None,
) -> list[GraphQLError]:
    """Input problems (BAD_USER_INPUT), else the page sizes and cost with these inputs.
    `found` is the field estimate when the caller already has it (the compiler caches it)."""
    inputs = input_report(schema, document, operation, variables, settings)
    if inputs.problems:
        return [
            GraphQLError(message, nodes=[node] if node else None, extensions={"code": BAD_INPUT})
            for message, node in inputs.problems
        ]
    if found is None:
        found = field_estimate(schema, document, operation, variables, settings)
    return cost_errors(found, inputs, settings)


def input_report(
    schema: Any,
    document: Any,
    operation: OperationDefinitionNode,
    variables: dict[str, Any],
    settings: Settings,
) -> InputReport:
    return check_inputs(
        schema,
        document,
        operation,
        variables,
        max_length=settings.max_input_length,
        max_items=settings.max_list_length,
    )


def field_estimate(
    schema: Any,
    document: Any,
    operation: OperationDefinitionNode,
    variables: dict[str, Any],
    settings: Settings,
) -> Estimate:
    """Fields the operation can resolve (pages multiplied), and page sizes over the maximum."""
    return estimate(
        schema,
        document,
        operation,
        variables,
        default_page=DEFAULT_PAGE_SIZE,
        max_page=settings.max_page_size,
        budget=settings.max_query_cost,
    )


def input_cost(inputs: InputReport, settings: Settings) -> int:
    return (
        inputs.items
        + inputs.phones * settings.phone_input_cost
        + inputs.searches * settings.search_cost
    )


def shape_errors(
    document: Any, operation_name: str | None, settings: Settings
) -> list[GraphQLError]:
    """Depth, aliases and fields, fragments expanded, over their limits; introspection has a
    depth of its own (type references nest deep) and a cap on `__schema`/`__type` fields."""
    shape = measure(document, operation_name)
    checks = [
        ("depth", shape.depth, settings.max_query_depth),
        ("aliases", shape.aliases, settings.max_query_aliases),
        ("fields", shape.fields, settings.max_query_cost),
        ("introspection depth", shape.introspection_depth, settings.max_introspection_depth),
        ("introspection fields", shape.introspection_roots, settings.max_introspection_fields),
    ]
    return [
        too_complex(f"query {name} is {value}; the maximum is {limit}")
        for name, value, limit in checks
        if value > limit
    ]


def cost_errors(found: Estimate, inputs: InputReport, settings: Settings) -> list[GraphQLError]:
    """Page sizes over the maximum, and fields plus inputs over the cost limit."""
    errors = [too_complex(message) for message in found.oversized]
    handling = input_cost(inputs, settings)
    cost = found.cost + handling
    if cost > settings.max_query_cost:
        errors.append(
            too_complex(
                f"query cost is {cost} ({found.cost} for fields resolved, page sizes multiplied, "
                f"and {handling} for inputs: list items, phone numbers, searches); the maximum "
                f"is {settings.max_query_cost}: ask for smaller pages, fewer fields or searches"
            )
        )
    return errors


def operation_of(document: Any, name: str | None) -> OperationDefinitionNode | None:
    """The operation that runs: the named one, else the only one."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name is not None and o.name.value == name), None)
