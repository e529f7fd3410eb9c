"""QueryLimits: refuses a document that is too large or too costly before any SQL runs.

Order per request: the token cap applies while parsing; the shape (depth, aliases, fields with
fragments expanded) is checked before validation, whose overlapping-fields rule is quadratic;
then the cached validation; then the cost estimate and page sizes, which need the variables.
Every refusal is QUERY_TOO_COMPLEX (errors.format_error recognises the
parser's token error, which surfaces outside any hook that could mark it). Limits come from
the request's settings, so one schema serves apps configured differently. This extension also
owns the validation cache (in place of strawberry's ValidationCache, which would validate
before the shape check)."""

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode
from graphql.validation import (
    MaxIntrospectionDepthRule,
    NoSchemaIntrospectionCustomRule,
    specified_rules,
)
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from app.core.settings import Settings
from app.graphql.connection import DEFAULT_PAGE_SIZE
from app.graphql.cost import estimate
from app.graphql.shape import measure

TOO_COMPLEX = "QUERY_TOO_COMPLEX"
_cached_validate = lru_cache(maxsize=512)(validate_document)


def too_complex(message: str, nodes: Any = None) -> GraphQLError:
    return GraphQLError(message, nodes, extensions={"code": TOO_COMPLEX})


class QueryLimits(SchemaExtension):
    """Token cap, shape limits, cached validation, then cost and page-size limits."""

    @property
    def settings(self) -> Settings:
        settings: Settings = self.execution_context.context.settings
        return settings

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
        errors = shape_errors(document, context.operation_name, self.settings)
        if not errors:
            errors = _cached_validate(context.schema._schema, document, context.validation_rules)
        if not errors:
            operation = operation_of(document, context.operation_name)
            # graphql-core reports a missing or ambiguous operation itself.
            errors = (
                cost_errors(
                    context.schema._schema,
                    document,
                    operation,
                    context.variables or {},
                    self.settings,
                )
                if operation is not None
                else []
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
    """Validation with the rules a request runs."""
    return _cached_validate(schema, document, request_rules(specified_rules, settings))  # type: ignore[no-any-return]


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


def cost_errors(
    schema: Any,
    document: Any,
    operation: OperationDefinitionNode,
    variables: dict[str, Any],
    settings: Settings,
) -> list[GraphQLError]:
    """Page sizes over the maximum, and a cost estimate over the limit, with these variables."""
    found = estimate(
        schema,
        document,
        operation,
        variables,
        default_page=DEFAULT_PAGE_SIZE,
        max_page=settings.max_page_size,
    )
    errors = [too_complex(message) for message in found.oversized]
    if found.cost > settings.max_query_cost:
        errors.append(
            too_complex(
                f"query cost is {found.cost} (fields resolved, page sizes multiplied); "
                f"the maximum is {settings.max_query_cost}: ask for smaller pages or fewer fields"
            )
        )
    return errors


def operation_of(document: Any, name: str | None) -> OperationDefinitionNode | None:
    """The operation that runs: the named one, else the only one."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name is not None and o.name.value == name), None)
