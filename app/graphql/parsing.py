"""Documents parsed and validated once, and never on the event loop the first time.

One parse cache serves both read paths (the compiler's `_prepare` and Strawberry's parse step,
through `SharedParserCache`), so a document is parsed once per process and both paths hold the
same DocumentNode, which is also the key of the validation cache (limits._cached_validate).
A document text not seen before is parsed, shape-checked and validated on one thread of its
own (`prepare_off_the_loop`) before either path reads it: a large new document (a hostile one,
say, of 30 aliased introspections: ~150 ms of parsing and validation here) then delays other
requests by at most the interpreter's switch interval, not its whole cost. One thread, because
under the GIL more would only take turns with the event loop more often."""

import asyncio
from collections import OrderedDict
from collections.abc import Collection, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import Any

from graphql import DocumentNode, GraphQLError, GraphQLSchema, Source, parse
from strawberry.extensions import SchemaExtension

from app.core.settings import Settings
from app.graphql.limits import shape_errors, validation_errors

CACHE_SIZE = 512
_PREPARER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sb-prepare")
_seen: OrderedDict[tuple[str, str | None, int, bool], None] = OrderedDict()


# Documents that failed to parse (keyed by their text, as the parse cache is): the message and
# positions of their error, so the request's parse on the event loop need not redo it.
_failures: OrderedDict[tuple[str, int], tuple[str, Collection[int] | None]] = OrderedDict()


def parse_document(query: str, max_tokens: int) -> DocumentNode:
    """The parsed document; a syntax error or too many tokens raises GraphQLError, the same
    error each time the text comes back (remembered, not parsed again)."""
    key = (query, max_tokens)
    failed = _failures.get(key)
    if failed is not None:
        message, positions = failed
        raise GraphQLError(message, source=Source(query), positions=positions)
    try:
        return _parse(query, max_tokens)
    except GraphQLError as error:
        _failures[key] = (error.message, error.positions)
        while len(_failures) > CACHE_SIZE:
            _failures.popitem(last=False)
        raise


@lru_cache(maxsize=CACHE_SIZE)
def _parse(query: str, max_tokens: int) -> DocumentNode:
    return parse(query, max_tokens=max_tokens)


class SharedParserCache(SchemaExtension):
    """Strawberry's parse step through `parse_document` (with the request's token cap, which
    QueryLimits.on_operation sets)."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        assert context.query is not None
        max_tokens = context.parse_options.get("max_tokens")
        assert max_tokens is not None, "QueryLimits sets the token cap before parsing"
        context.graphql_document = parse_document(context.query, max_tokens)
        yield


def _prepare(
    schema: GraphQLSchema, query: str, operation_name: str | None, settings: Settings
) -> None:
    """Fill the caches the request will read: the parse, and (when the shape allows it, as
    the request checks it) the validation."""
    try:
        document = parse_document(query, settings.max_query_tokens)
    except GraphQLError:
        return  # the request reports it (parsing again, bounded by the token cap)
    if not shape_errors(document, operation_name, settings):
        validation_errors(schema, document, settings)


async def prepare_off_the_loop(schema: GraphQLSchema, body: Any, settings: Settings) -> None:
    """Parse and validate a request body's document on the preparing thread the first time
    its text is seen (by this process, with these limits); later requests find it cached."""
    if not isinstance(body, dict):
        return
    query, operation_name = body.get("query"), body.get("operationName")
    if not isinstance(query, str) or not isinstance(operation_name, str | None):
        return
    key = (query, operation_name, settings.max_query_tokens, settings.introspection)
    if key in _seen:
        _seen.move_to_end(key)
        return
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(_PREPARER, _prepare, schema, query, operation_name, settings)
    _seen[key] = None
    while len(_seen) > CACHE_SIZE:
        _seen.popitem(last=False)
