"""Scopes per resource: a field that returns a resource the key may not read fails alone.

Every field whose result is (a list, page or connection of) Company, Source, Number, Call,
Caller or Lead needs that resource's read scope; callers are read with `calls:read` (a caller is
the other end of a call). Such fields are made nullable in the schema here, in one place, so a
FORBIDDEN field nulls itself and leaves the rest of the response intact. node/nodes check
the type named in each global ID before anything is loaded."""

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from strawberry.extensions.field_extension import FieldExtension
from strawberry.types.base import StrawberryList, StrawberryOptional
from strawberry.types.field import StrawberryField
from strawberry.types.lazy_type import LazyType

from app.core.ids import InvalidGlobalId, decode_global_id
from app.graphql.errors import ForbiddenError

SCOPE_BY_TYPE = {
    "Company": "companies:read",
    "Source": "sources:read",
    "Number": "numbers:read",
    "Call": "calls:read",
    "Caller": "calls:read",
    "Lead": "leads:read",
}


def require(scopes: frozenset[str], needed: str) -> None:
    if needed not in scopes:
        raise ForbiddenError(f"this API key lacks the {needed} scope")


class RequireScope(FieldExtension):
    """Refuses the field unless the request's key carries `scope`."""

    def __init__(self, scope: str) -> None:
        self.scope = scope

    def resolve(self, next_: Callable[..., Any], source: Any, info: Any, **kwargs: Any) -> Any:
        require(info.context.scopes, self.scope)
        return next_(source, info, **kwargs)

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Any, **kwargs: Any
    ) -> Any:
        require(info.context.scopes, self.scope)
        return await next_(source, info, **kwargs)


class RequireNodeScopes(FieldExtension):
    """node(id:) and nodes(ids:): every type named by the IDs must be readable."""

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Any, **kwargs: Any
    ) -> Any:
        ids = kwargs["ids"] if "ids" in kwargs else [kwargs["id"]]
        for type_name in sorted({t for i in ids if (t := _type_name(str(i))) is not None}):
            require(info.context.scopes, SCOPE_BY_TYPE[type_name])
        return await next_(source, info, **kwargs)


def _type_name(global_id: str) -> str | None:
    """The readable type an ID names; malformed IDs are left for the resolver to report."""
    try:
        type_name = decode_global_id(global_id)[0]
    except InvalidGlobalId:
        return None
    return type_name if type_name in SCOPE_BY_TYPE else None


def resource_of(type_: Any) -> str | None:
    """The resource type a field returns, through Optional, lists, lazies and connections."""
    while True:
        if isinstance(type_, StrawberryOptional | StrawberryList):
            type_ = type_.of_type
        elif isinstance(type_, LazyType):
            type_ = type_.resolve_type()
        else:
            break
    definition = getattr(type_, "__strawberry_definition__", None)
    if definition is None:
        return None
    if definition.name in SCOPE_BY_TYPE:
        return str(definition.name)
    node_types = (definition.type_var_map or {}).get("NodeT")
    return resource_of(node_types) if node_types is not None else None


def guard_fields(types: Iterable[type]) -> None:
    """Attach the scope checks to every resolver field of `types`, and make those nullable."""
    for cls in types:
        for field in cls.__strawberry_definition__.fields:  # type: ignore[attr-defined]
            if field.base_resolver is None or _guarded(field):
                continue
            if field.python_name in ("node", "nodes") and cls.__name__ == "Query":
                field.extensions.append(RequireNodeScopes())
                _nullable(field)
                continue
            resource = resource_of(field.type)
            if resource is not None:
                _guard(field, SCOPE_BY_TYPE[resource])


def _guarded(field: StrawberryField) -> bool:
    return any(isinstance(e, RequireScope | RequireNodeScopes) for e in field.extensions)


def _guard(field: StrawberryField, scope: str) -> None:
    field.extensions.append(RequireScope(scope))
    _nullable(field)


def _nullable(field: StrawberryField) -> None:
    if not isinstance(field.type, StrawberryOptional):
        field.type = StrawberryOptional(field.type)
