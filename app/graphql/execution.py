"""A faster executor that keeps GraphQL semantics: plain fields complete inline.

Most of a page's fields are leaves (or lists of leaves) read straight from a row's attribute
(a Strawberry "basic" field) or computed by a pure resolver that takes only `self` (no info,
no arguments, no extensions, not async: `id`, `promptKeys`, `capabilities`). The general
executor builds a Path, a resolve-info object and a Strawberry result wrapper for each of
them. Here such a field is read and coerced directly; anything unusual about the value
(missing, null in a non-null place, an exception, a failed coercion) goes back through the
general path, which reads it again and produces exactly the error and null propagation it
always would. Object fields without logic (an edge's node, a call's attribution, a relation the
planner prefetched behind its scope guards) complete their selections the same way."""

from __future__ import annotations

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

from app.graphql.prefetch import PREFETCHED

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
    prefetched_as = getattr(getattr(resolver, "wrapped_func", None), "prefetched_as", None)
    if prefetched_as is not None and not resolver.arguments:
        key = PREFETCHED + prefetched_as  # absent (KeyError) means: let the resolver load it
        return lambda source: source.__dict__[key]
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


def _field_plan(parent_type: GraphQLObjectType, field_name: str) -> LeafPlan | ObjectPlan | None:
    field_def = parent_type.fields.get(field_name)
    if field_def is None or field_def.args:
        return None
    definition = (field_def.extensions or {}).get(BACKREF)
    if definition is None:
        return None
    object_plan = _object_plan(field_def, definition)
    if object_plan is not None:
        return object_plan
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


class ObjectPlan:
    """An object-valued field with no logic of its own: a relation the planner may have
    prefetched (guarded by scope checks), a plain attribute (an edge's node, a page's pageInfo)
    or a pure resolver (a call's attribution). Its object completes inline when the value is
    there and every guard permits the request."""

    __slots__ = ("guards", "non_null", "object_type", "read")

    def __init__(
        self,
        *,
        read: Callable[[Any], Any],
        guards: list[Any],
        object_type: GraphQLObjectType,
        non_null: bool,
    ) -> None:
        self.read, self.guards = read, guards
        self.object_type, self.non_null = object_type, non_null

    def value(self, source: Any, context: Any) -> Any:
        """The object (or None), or _FALLBACK when the general path must decide."""
        try:
            value = self.read(source)
        except Exception:  # the general path raises the same error, located and formatted
            return _FALLBACK
        if value is _FALLBACK or not all(guard.permits(context) for guard in self.guards):
            return _FALLBACK
        if value is None:
            return _FALLBACK if self.non_null else None
        is_type_of = self.object_type.is_type_of
        if is_type_of is not None:
            try:
                matches = is_type_of(value, None)
            except Exception:
                return _FALLBACK
            if matches is not True:
                return _FALLBACK
        return value


def _object_plan(field_def: Any, definition: Any) -> ObjectPlan | None:
    non_null, named = _unwrap(field_def.type)
    if not isinstance(named, GraphQLObjectType):
        return None
    resolver = definition.base_resolver
    name = getattr(getattr(resolver, "wrapped_func", None), "prefetched_as", None)
    if name is None:
        read = _reader(definition, field_def.resolve)
        if read is None:
            return None
        return ObjectPlan(read=read, guards=[], object_type=named, non_null=non_null)
    if resolver.arguments or resolver.is_async:
        return None
    if not all(callable(getattr(e, "permits", None)) for e in definition.extensions):
        return None
    key = PREFETCHED + name  # absent: the resolver loads it through a DataLoader
    return ObjectPlan(
        read=lambda source: source.__dict__.get(key, _FALLBACK),
        guards=list(definition.extensions),
        object_type=named,
        non_null=non_null,
    )


class FastExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context with inline completion of plain leaves."""

    _plans: dict[tuple[str, str], LeafPlan | ObjectPlan | None] = {}

    def plan(self, parent_type: GraphQLObjectType, field_name: str) -> LeafPlan | ObjectPlan | None:
        key = (parent_type.name, field_name)
        try:
            return self._plans[key]
        except KeyError:
            plan = self._plans[key] = _field_plan(parent_type, field_name)
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
            if type(plan) is LeafPlan:
                value = plan.complete(source_value)
                if value is not _FALLBACK:
                    results[response_name] = value
                    continue
            elif plan is not None:
                related = plan.value(source_value, self.context_value)  # type: ignore[union-attr]
                if related is None:
                    results[response_name] = None
                    continue
                if related is not _FALLBACK:
                    completed = self._complete_related(
                        plan,
                        related,
                        field_details_list,  # type: ignore[arg-type]
                        Path(path, response_name, parent_type.name),
                        position_context,
                    )
                    results[response_name] = completed
                    if self.is_awaitable(completed):
                        awaitable.append(response_name)
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

    def _complete_related(
        self,
        plan: ObjectPlan,
        value: Any,
        field_details_list: Any,
        path: Path,
        position_context: Any,
    ) -> Any:
        """Complete a prefetched object's selection; errors are handled as execute_field does."""
        return_type = plan.object_type if not plan.non_null else GraphQLNonNull(plan.object_type)
        try:
            completed = self.collect_and_execute_subfields(
                plan.object_type, field_details_list, path, value, position_context
            )
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None
        if not self.is_awaitable(completed):
            return completed

        async def await_completed() -> Any:
            try:
                return await completed
            except Exception as raw_error:
                self.handle_field_error(raw_error, return_type, field_details_list, path)
                return None

        return await_completed()

    async def _gather(self, results: dict[str, Any], awaitable: list[str]) -> dict[str, Any]:
        """Await the fields that resolved asynchronously, keeping the document's key order."""
        values = await gather_with_cancel(*(results[name] for name in awaitable))
        results.update(zip(awaitable, values, strict=True))
        return results
