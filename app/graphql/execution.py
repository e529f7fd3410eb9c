"""A faster executor that keeps GraphQL semantics: plain leaves complete inline.

Most of a page's fields are leaves (or lists of leaves) read straight from a row's attribute
(a Strawberry "basic" field) or computed by a pure resolver that takes only `self` (no info,
no arguments, no extensions, not async: `id`, `promptKeys`, `capabilities`). The general
executor builds a Path, a resolve-info object and a Strawberry result wrapper for each of
them. Here such a field is read and coerced directly; anything unusual about the value
(missing, null in a non-null place, an exception, a failed coercion) goes back through the
general path, which reads it again and produces exactly the error and null propagation it
always would."""

from collections.abc import Callable
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    Undefined,
)
from graphql.pyutils import Path, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

_FALLBACK = object()
BACKREF = "strawberry-definition"


class LeafPlan:
    """How to complete one leaf field: how to read its value and how to coerce it."""

    __slots__ = ("coerce", "is_list", "item_non_null", "non_null", "read")

    def __init__(
        self,
        *,
        read: Callable[[Any], Any],
        coerce: Callable[[Any], Any],
        non_null: bool,
        is_list: bool = False,
        item_non_null: bool = False,
    ) -> None:
        self.read, self.coerce, self.non_null = read, coerce, non_null
        self.is_list, self.item_non_null = is_list, item_non_null

    def complete(self, source: Any) -> Any:
        """The completed value, or _FALLBACK when the general path must decide."""
        try:
            value = self.read(source)
        except Exception:  # the general path raises the same error, located and formatted
            return _FALLBACK
        if value is None:
            return _FALLBACK if self.non_null else None
        if isinstance(value, Exception):
            return _FALLBACK
        if not self.is_list:
            return self._coerce(value)
        if isinstance(value, str | bytes | dict) or not hasattr(value, "__iter__"):
            return _FALLBACK
        items = []
        for item in value:
            if item is None:
                if self.item_non_null:
                    return _FALLBACK
                items.append(None)
                continue
            coerced = self._coerce(item)
            if coerced is _FALLBACK:
                return _FALLBACK
            items.append(coerced)
        return items

    def _coerce(self, value: Any) -> Any:
        try:
            coerced = self.coerce(value)
        except Exception:
            return _FALLBACK
        return _FALLBACK if coerced is None or coerced is Undefined else coerced


def _unwrap(graphql_type: GraphQLOutputType) -> tuple[bool, GraphQLOutputType]:
    if isinstance(graphql_type, GraphQLNonNull):
        return True, graphql_type.of_type
    return False, graphql_type


def _reader(definition: Any, resolve: Any) -> Callable[[Any], Any] | None:
    """How to read the field's value without the general machinery, if it is that simple."""
    if definition.extensions:
        return None
    resolver = definition.base_resolver
    if resolver is None:
        if not getattr(resolve, "_is_default", False):
            return None
        name = definition.python_name
        return lambda source: getattr(source, name)
    only_self = all(
        param.name == "self" for param in resolver.reserved_parameters.values() if param
    )
    if resolver.is_async or resolver.arguments or not only_self or resolver.self_parameter is None:
        return None
    function = resolver.wrapped_func
    return lambda source: function(source)


def _leaf_plan(parent_type: GraphQLObjectType, field_name: str) -> LeafPlan | None:
    field_def = parent_type.fields.get(field_name)
    if field_def is None or field_def.args:
        return None
    definition = (field_def.extensions or {}).get(BACKREF)
    if definition is None:
        return None
    read = _reader(definition, field_def.resolve)
    if read is None:
        return None
    non_null, named = _unwrap(field_def.type)
    is_list = isinstance(named, GraphQLList)
    item_non_null = False
    if is_list:
        item_non_null, named = _unwrap(named.of_type)  # type: ignore[union-attr]
    if not isinstance(named, GraphQLScalarType | GraphQLEnumType):
        return None
    return LeafPlan(
        read=read,
        coerce=named.coerce_output_value,
        non_null=non_null,
        is_list=is_list,
        item_non_null=item_non_null,
    )


class FastExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context with inline completion of plain leaves."""

    _plans: dict[tuple[str, str], LeafPlan | None] = {}

    def plan(self, parent_type: GraphQLObjectType, field_name: str) -> LeafPlan | None:
        key = (parent_type.name, field_name)
        try:
            return self._plans[key]
        except KeyError:
            plan = self._plans[key] = _leaf_plan(parent_type, field_name)
            return plan

    def execute_fields(  # type: ignore[override]
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        manager = self.middleware_manager
        if manager is not None and manager.middlewares:
            # Schema extensions that wrap every resolver must see every field.
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        results: dict[str, Any] = {}
        awaitable: list[str] = []
        try:
            self._complete_fields(
                parent_type,
                source_value,
                path,
                grouped_field_set,
                position_context,
                results,
                awaitable,
            )
        except Exception:
            # As the general executor does: let fields already running settle, then raise.
            if awaitable:
                self.settle_in_background([results[name] for name in awaitable])
            raise
        if not awaitable:
            return results
        return self._gather(results, awaitable)

    def _complete_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: Any,
        position_context: Any,
        results: dict[str, Any],
        awaitable: list[str],
    ) -> None:
        for response_name, field_details_list in grouped_field_set.items():
            plan = self.plan(parent_type, field_details_list[0].node.name.value)
            if plan is not None:
                value = plan.complete(source_value)
                if value is not _FALLBACK:
                    results[response_name] = value
                    continue
            result = self.execute_field(
                parent_type,
                source_value,
                field_details_list,
                Path(path, response_name, parent_type.name),
                position_context,
            )
            if result is not Undefined:
                results[response_name] = result
                if self.is_awaitable(result):
                    awaitable.append(response_name)

    async def _gather(self, results: dict[str, Any], awaitable: list[str]) -> dict[str, Any]:
        """Await the fields that resolved asynchronously, keeping the document's key order."""
        values = await gather_with_cancel(*(results[name] for name in awaitable))
        results.update(zip(awaitable, values, strict=True))
        return results
