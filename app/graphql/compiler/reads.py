"""Compiled reads: the plan cache, one statement per document, and the response bytes.

A document is parsed, limited and validated once and kept (bounded, least recently used out
first) with its plans, one per set of directive variable values; the cache hangs off the
schema object, so it goes with it. Per request: coerce the variables, check the cost with
them, bind each list's arguments, render, run one statement on a raw driver connection (no
BEGIN/ROLLBACK, no pre-ping; the driver reuses its prepared statement), and write
`{"data":` + the database's text + `}`. `None` means: run the general executor instead."""

import logging
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import orjson
from graphql import (
    BooleanValueNode,
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    OperationDefinitionNode,
)
from graphql.execution.collect_fields import FragmentDetails
from graphql.execution.values import VariableValues, get_variable_values
from sqlalchemy.dialects.postgresql import asyncpg as pg_asyncpg
from sqlalchemy.dialects.sqlite import aiosqlite as sqlite_aiosqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.settings import Settings
from app.graphql.compiler.arguments import Binder, WhereCompiler
from app.graphql.compiler.errors import NotCompilable
from app.graphql.compiler.fields import INVALID
from app.graphql.compiler.plan import ObjectPlan, Planner, Render
from app.graphql.compiler.sql import DIALECTS, Writer, quote
from app.graphql.compiler.stats import StatsWriter, bind_stats
from app.graphql.entities import COMPANY
from app.graphql.limits import (
    field_estimate,
    operation_of,
    request_errors,
    shape_errors,
    validation_errors,
)
from app.graphql.parsing import parse_document

NOT_COMPILABLE = object()
logger = logging.getLogger("switchboard.compiler")


@dataclass
class _CachedPlan:
    root: ObjectPlan
    planner: Planner


@dataclass
class _Document:
    document: DocumentNode
    operation: OperationDefinitionNode
    fragments: dict[str, FragmentDetails]
    directive_variables: tuple[str, ...]
    schema: Any = None
    plans: OrderedDict[Any, Any] = field(default_factory=OrderedDict)
    costs: OrderedDict[Any, Any] = field(default_factory=OrderedDict)  # field estimates


def _bounded_put(cache: OrderedDict[Any, Any], key: Any, value: Any, size: int) -> None:
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > size:
        cache.popitem(last=False)


def _directive_variables(document: DocumentNode) -> tuple[str, ...]:
    """Names of variables used by @include/@skip anywhere in the document."""
    names: set[str] = set()

    def visit(node: Any) -> None:
        for directive in getattr(node, "directives", None) or ():
            for argument in directive.arguments or ():
                value = argument.value
                if not isinstance(value, BooleanValueNode) and hasattr(value, "name"):
                    names.add(value.name.value)
        selection_set = getattr(node, "selection_set", None)
        for selection in selection_set.selections if selection_set else ():
            visit(selection)

    for definition in document.definitions:
        visit(definition)
    return tuple(sorted(names))


class CompiledReads:
    """Answers the operations it can compile; the rest go to Strawberry's executor."""

    def __init__(self, schema: Any, *, cache_size: int) -> None:
        self.schema = schema
        self.cache_size = cache_size
        self._documents: OrderedDict[Any, Any] = OrderedDict()
        self._converted: OrderedDict[Any, Any] = OrderedDict()
        self._wheres = {
            "sqlite": WhereCompiler(sqlite_aiosqlite.dialect(paramstyle="named")),
            "postgresql": WhereCompiler(pg_asyncpg.dialect(paramstyle="named")),  # type: ignore[no-untyped-call]  # SQLAlchemy's asyncpg dialect class is unannotated
        }

    def document(self, query: str, operation_name: str | None, settings: Settings) -> Any:
        key = (
            query,
            operation_name,
            settings.introspection,
            settings.max_query_tokens,
            settings.max_query_depth,
            settings.max_query_aliases,
            settings.max_query_cost,
            settings.max_introspection_depth,
            settings.max_introspection_fields,
        )
        found = self._documents.get(key)
        if found is None:
            found = self._prepare(query, operation_name, settings)
            _bounded_put(self._documents, key, found, self.cache_size)
        else:
            self._documents.move_to_end(key)
        return found

    def _prepare(self, query: str, operation_name: str | None, settings: Settings) -> Any:
        """Parse, limit and validate once, as QueryLimits does; any problem: not compiled."""
        try:
            document = parse_document(query, settings.max_query_tokens)
        except GraphQLError:
            return NOT_COMPILABLE
        schema = self.schema._schema
        if shape_errors(document, operation_name, settings) or validation_errors(
            schema, document, settings
        ):
            return NOT_COMPILABLE
        operation = operation_of(document, operation_name)
        if operation is None or operation.operation.value != "query":
            return NOT_COMPILABLE
        fragments = {
            d.name.value: FragmentDetails(d)
            for d in document.definitions
            if isinstance(d, FragmentDefinitionNode)
        }
        return _Document(
            document, operation, fragments, _directive_variables(document), self.schema._schema
        )

    async def respond(
        self, body: Any, *, context: Any, engine: AsyncEngine, settings: Settings
    ) -> bytes | None:
        """The response body, or None when the general executor must answer."""
        if not isinstance(body, dict) or body.get("extensions"):
            return None  # persisted queries arrive here already resolved (view.py)
        query, variables = body.get("query"), body.get("variables")
        operation_name = body.get("operationName")
        if not isinstance(query, str) or not isinstance(operation_name, str | None):
            return None
        if variables is not None and not isinstance(variables, dict):
            return None
        prepared = self.document(query, operation_name, settings)
        if prepared is NOT_COMPILABLE:
            return None
        try:
            return await self._run(prepared, variables or {}, context, engine, settings)
        except NotCompilable as exc:
            logger.debug("not compiled: %s", exc, exc_info=exc.__cause__ is not None)
            return None
        except Exception:
            # A value no check foresaw: the general path answers it (and reports the error
            # as it reports every error) rather than the request failing with a 500 here.
            logger.warning("the compiler failed; the general path answers", exc_info=True)
            return None

    async def _run(
        self,
        prepared: _Document,
        inputs: dict[str, Any],
        context: Any,
        engine: AsyncEngine,
        settings: Settings,
    ) -> bytes | None:
        schema = self.schema._schema
        if not self._affordable(prepared, inputs, settings):
            return None  # before coercion, which costs per list item
        coerced = get_variable_values(schema, prepared.operation.variable_definitions or (), inputs)
        if not isinstance(coerced, VariableValues):
            return None
        plan = self._plan(prepared, coerced, context.scopes)
        dialect = DIALECTS[engine.dialect.name]
        async with engine.connect() as conn:
            if dialect.name == "postgresql":
                conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            zones = CompanyZones(context.company_zones, conn, context.account_id)
            binder = Binder(
                self.schema,
                coerced,
                self._wheres[dialect.name],
                context.account_id,
                context.scopes,
                context.now,
                settings.default_region,
                settings.max_page_size,
                self._converted,
                settings.max_query_cost,
            )
            bound: dict[int, Any] = {}
            for node in plan.planner.node_plans:
                bound[id(node)] = binder.node_ids(node)
            for connection in plan.planner.connections:
                bound[id(connection)] = await binder.connection(connection, bound, zones.get)
            for stats in plan.planner.stats:
                bound[id(stats)] = await bind_stats(binder, stats, prepared.fragments, zones.get)
            writer = Writer(dialect)
            render = Render(dialect, writer, bound, context.account_id)
            statement = dialect.select_text(plan.root.json(render, ""), zones.checks(render))
            try:
                row = await _fetch_row(conn, statement, writer.params)
            except NotCompilable as exc:
                if "parser stack overflow" in str(exc.__cause__):
                    # Too deep for SQLite's parser, now and every time: stop trying it.
                    self._forget(prepared, coerced, context.scopes)
                raise
        text = str(row[0])
        if plan.planner.stats:
            text = self._write_stats(prepared, coerced, plan, bound, text)
        elif dialect.name == "postgresql":
            # PostgreSQL writes JSON with spaces (`{"a" : 1, ...}`); the same bytes as the
            # general path's orjson cost one parse and dump here.
            text = orjson.dumps(orjson.loads(text)).decode()
        if not zones.still_hold(row[1:]):
            return None  # a company's zone or region changed since it was cached
        if INVALID in text:
            return None  # a stored value the general path reports as an error
        errors = plan.planner.errors
        if not errors:
            return b'{"data":' + text.encode() + b"}"
        return b'{"data":' + text.encode() + b',"errors":' + orjson.dumps(errors) + b"}"

    def _write_stats(
        self,
        prepared: _Document,
        coerced: VariableValues,
        plan: _CachedPlan,
        bound: dict[int, Any],
        text: str,
    ) -> str:
        """The statement's JSON with each root stats field's rows written as its value."""
        data = orjson.loads(text)
        writer = StatsWriter(
            self.schema._schema, prepared.fragments, coerced, prepared.operation
        )
        for stats in plan.planner.stats:
            data[stats.response] = writer.value(stats, bound[id(stats)], data[stats.response])
        return orjson.dumps(data).decode()

    @staticmethod
    def _affordable(prepared: _Document, inputs: dict[str, Any], settings: Settings) -> bool:
        """The checks QueryLimits runs after validation (limits.request_errors): input bounds
        every request, the field estimate remembered by what it reads of the variables (page
        sizes and ID list lengths)."""
        key = tuple(
            sorted(
                (name, value if isinstance(value, int) else len(value))
                for name, value in inputs.items()
                if isinstance(value, int | list)
            )
        )
        found = prepared.costs.get(key)
        if found is None:
            found = field_estimate(
                prepared.schema, prepared.document, prepared.operation, inputs, settings
            )
            _bounded_put(prepared.costs, key, found, 64)
        errors = request_errors(
            prepared.schema, prepared.document, prepared.operation, inputs, settings, found
        )
        return not errors

    def _forget(self, prepared: _Document, coerced: VariableValues, scopes: frozenset[str]) -> None:
        prepared.plans[self._plan_key(prepared, coerced, scopes)] = NOT_COMPILABLE

    @staticmethod
    def _plan_key(prepared: _Document, coerced: VariableValues, scopes: frozenset[str]) -> Any:
        return (scopes, tuple(coerced.coerced.get(name) for name in prepared.directive_variables))

    def _plan(
        self, prepared: _Document, coerced: VariableValues, scopes: frozenset[str]
    ) -> _CachedPlan:
        key = self._plan_key(prepared, coerced, scopes)
        plan = prepared.plans.get(key)
        if plan is None:
            planner = Planner(
                self.schema._schema, prepared.fragments, prepared.operation, coerced, scopes
            )
            try:
                plan = _CachedPlan(planner.root(), planner)
            except NotCompilable:
                plan = NOT_COMPILABLE
            _bounded_put(prepared.plans, key, plan, 16)
        if plan is NOT_COMPILABLE:
            raise NotCompilable("planned before")
        return plan  # type: ignore[return-value]  # the cache holds plans or the NOT_COMPILABLE marker


async def _fetch_row(conn: Any, statement: str, params: list[Any]) -> Any:
    """One statement, one round trip: a driver-level execute on an autocommit connection (no
    BEGIN/ROLLBACK; asyncpg and sqlite3 reuse the prepared statement), so the statement
    timeout and the statement-count events still see it."""
    try:
        result = await conn.exec_driver_sql(statement, tuple(params))
        return result.one()
    except Exception as exc:
        # The general path runs the same reads and reports the failure as it always does.
        raise NotCompilable("the statement failed") from exc


class CompanyZones:
    """Companies' (time zone, region), which date labels and national numbers are read in.

    Remembered per process, so a statement need not wait for them; each statement that used
    one also reads it back (a check column), and a changed company sends the request to the
    general path and refreshes the memory. Only a company not seen before costs a statement."""

    MAX = 10_000

    def __init__(self, memory: OrderedDict[Any, Any], conn: Any, account_id: int) -> None:
        # `memory` belongs to the app (its database), not to the schema the apps share.
        self.memory, self.conn, self.account_id = memory, conn, account_id
        self.used: dict[int, tuple[str, str] | None] = {}

    async def get(self, pk: int) -> tuple[str, str] | None:
        key = (self.account_id, pk)
        if key in self.memory:
            self.memory.move_to_end(key)
            found = self.memory[key]
        else:
            found = await self._read(pk)
            _bounded_put(self.memory, key, found, self.MAX)
        self.used[pk] = found
        return found  # type: ignore[no-any-return]

    async def _read(self, pk: int) -> tuple[str, str] | None:
        table = quote(COMPANY.table.name)
        marker = "?" if self.conn.dialect.name == "sqlite" else "$1"
        second = "?" if self.conn.dialect.name == "sqlite" else "$2"
        result = await self.conn.exec_driver_sql(
            f"SELECT time_zone, default_region FROM {table} WHERE id = {marker} "
            f"AND account_id = {second}",
            (pk, self.account_id),
        )
        row = result.first()
        return None if row is None else (row[0], row[1])

    def checks(self, r: Render) -> list[str]:
        table = quote(COMPANY.table.name)
        return [
            f"(SELECT time_zone || '|' || default_region FROM {table} "
            f"WHERE id = {r.param(pk, 'bigint')} AND account_id = {r.account()})"
            for pk in self.used
        ]

    def still_hold(self, values: Any) -> bool:
        held = True
        for (pk, assumed), value in zip(self.used.items(), values, strict=True):
            if value != (None if assumed is None else "|".join(assumed)):
                self.memory.pop((self.account_id, pk), None)
                held = False
        return held
