"""Binding one request's arguments to a plan: each list's filter, order and page, each
node's IDs. The same functions the resolvers call build the conditions (filters/*.py,
read_page, ordering); only their rendering differs: SQLAlchemy compiles a list's WHERE once per
shape and the request's values are read out of it. Any problem a value has (a bad cursor, an
unknown time zone, a malformed ID) is NotCompilable: the general path reports it."""

import re
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from graphql.execution.values import VariableValues, get_argument_values
from sqlalchemy import ColumnElement, Table, literal_column, select
from sqlalchemy.engine import Dialect as SADialect
from strawberry.types.arguments import convert_arguments

from app.core.ids import InvalidGlobalId, decode_global_id
from app.graphql.compiler.errors import NotCompilable
from app.graphql.compiler.plan import ConnectionPlan, NodePlan, Render
from app.graphql.compiler.sql import quote
from app.graphql.connection import ListQuery, read_page
from app.graphql.dates import AppliedDateRange
from app.graphql.entities import BY_TYPE_NAME
from app.graphql.errors import UserInputError
from app.graphql.filters.common import (
    FilterFrame,
    needs_company_frame,
    parse_phones_off_the_loop,
)
from app.graphql.key_scopes import SCOPE_BY_TYPE
from app.graphql.ordering import Ordering
from app.graphql.types.lists import single_company

MAX_NODES = 250
_PARAM = re.compile(r"__\[POSTCOMPILE_(\w+)\]|(?<![:\w]):(\w+)")
MAX_COMPILED_WHERES = 2048
MAX_CONVERTED = 4096


@dataclass(frozen=True)
class _CompiledWhere:
    parts: tuple[Any, ...]  # text, or (name, expanding)
    compiled: Any


class WhereCompiler:
    """A list's conditions (or a stats statement) as SQL text and values: SQLAlchemy compiles
    each shape once."""

    def __init__(self, dialect: SADialect) -> None:
        self.dialect = dialect
        self._cache: OrderedDict[Any, _CompiledWhere] = OrderedDict()

    def where(
        self,
        table: Table | None,
        conditions: Sequence[ColumnElement[bool]],
        *,
        statement: Any = None,
    ) -> "Where":
        """The WHERE text of `conditions` on `table` (or, given `statement`, its whole text)."""
        whole = statement is not None
        if statement is None:
            assert table is not None
            statement = select(literal_column("1")).select_from(table).where(*conditions)
        key = statement._generate_cache_key()
        entry = self._cache.get((whole, key.key)) if key is not None else None
        if entry is None:
            entry = self._compile(statement, key, whole=whole)
        params = entry.compiled.construct_params(
            extracted_parameters=key.bindparams if key is not None else None, escape_names=False
        )
        processors = entry.compiled._bind_processors
        values = {}
        for name, value in params.items():
            process = processors.get(name)
            if isinstance(value, list | tuple):
                values[name] = [process(v) for v in value] if process else list(value)
            else:
                values[name] = process(value) if process else value
        return Where(entry.parts, values)

    def select(self, statement: Any) -> "Where":
        """A whole SELECT (a stats statement) as SQL text and values, compiled once per shape."""
        return self.where(None, (), statement=statement)

    def _compile(self, statement: Any, key: Any, *, whole: bool) -> _CompiledWhere:
        compiled = self.dialect.statement_compiler(self.dialect, statement, cache_key=key)
        text = compiled.string if whole else compiled.string.split("\nWHERE ", 1)[1]
        parts: list[Any] = []
        position = 0
        for match in _PARAM.finditer(text):
            parts.append(text[position : match.start()])
            parts.append((match.group(1), True) if match.group(1) else (match.group(2), False))
            position = match.end()
        parts.append(text[position:])
        entry = _CompiledWhere(tuple(parts), compiled)
        if key is not None:
            self._cache[(whole, key.key)] = entry
            while len(self._cache) > MAX_COMPILED_WHERES:
                self._cache.popitem(last=False)
        return entry


@dataclass(frozen=True)
class Where:
    parts: tuple[Any, ...]
    values: dict[str, Any]

    def render(self, r: Render) -> str:
        out = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
                continue
            name, expanding = part
            value = self.values[name]
            if expanding:
                if not value:
                    raise NotCompilable("an empty list filter")
                out.append(", ".join(r.param(v, "") for v in value))
            else:
                out.append(r.param(value, ""))
        return "".join(out)


@dataclass
class BoundList:
    """A connection's arguments for this request."""

    page: Any
    ordering: Ordering
    issuer: str  # the list and ordering its cursors belong to
    nullable: bool
    page_where: Where
    count_where: Where
    applied: Sequence[AppliedDateRange]

    def order_sql(self, prefix: str) -> str:
        descending = self.ordering.descending != self.page.backward
        direction = " DESC" if descending else " ASC"
        nulls = (" NULLS FIRST" if self.page.backward else " NULLS LAST") if self.nullable else ""
        column = f"{prefix}.{quote(self.ordering.column)}"
        return f"{column}{direction}{nulls}, {prefix}.id{direction}"

    def applied_json(self, names: list[tuple[str, str]]) -> str:
        values = [_applied_values(applied) for applied in self.applied]
        return orjson.dumps([{r: v[n] for r, n in names} for v in values]).decode()


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _applied_values(applied: AppliedDateRange) -> dict[str, Any]:
    return {
        "field": applied.field,
        "from": _iso(applied.from_),
        "to": _iso(applied.to),
        "label": applied.label.name if applied.label is not None else None,
        "timeZone": applied.time_zone,
        "__typename": "AppliedDateRange",
    }


@dataclass
class Binder:
    """Everything binding needs from the request and the schema."""

    strawberry_schema: Any
    variables: VariableValues
    where: WhereCompiler
    account_id: int
    scopes: frozenset[str]
    now: Callable[[], datetime]
    default_region: str
    max_page_size: int
    converted: OrderedDict[Any, Any]  # Strawberry's argument objects by field and values
    max_cost: int  # what a stats field's rows may cost (MAX_QUERY_COST)

    def arguments(self, field_def: Any, details: Any) -> dict[str, Any]:
        try:
            raw = get_argument_values(field_def, details[0].node, self.variables)
        except Exception as exc:  # graphql-core reports it the same way on the general path
            raise NotCompilable("argument values") from exc
        # Converting to input objects costs more than the rest of binding; the objects are
        # only read (filters build conditions from them), so equal values share them.
        key = (id(field_def), orjson.dumps(raw, default=str))
        found = self.converted.get(key)
        if found is None:
            definition = field_def.extensions["strawberry-definition"]
            converter = self.strawberry_schema.schema_converter
            found = convert_arguments(
                raw,
                definition.arguments,
                scalar_registry=converter.scalar_registry,
                config=self.strawberry_schema.config,
            )
            self.converted[key] = found
            while len(self.converted) > MAX_CONVERTED:
                self.converted.popitem(last=False)
        return found

    async def connection(
        self, plan: ConnectionPlan, bound: dict[int, Any], company_frame: Callable[[int], Any]
    ) -> BoundList:
        kwargs = self.arguments(plan.field_def, plan.details)
        kind = plan.kind
        value = kwargs.get("filter")
        order = kwargs.get("order_by") or kind.default_order
        company = self._frame_company(plan, value, bound) if needs_company_frame(value) else None
        frame = await self.frame(value, company, company_frame)
        try:
            resolved = kind.conditions(value, frame)
            page = read_page(
                entity=kind.entity,
                order=order,
                first=kwargs.get("first"),
                after=kwargs.get("after"),
                last=kwargs.get("last"),
                before=kwargs.get("before"),
                max_size=self.max_page_size,
            )
        except UserInputError as exc:
            raise NotCompilable(str(exc)) from exc
        query = ListQuery(kind.entity, resolved.where, order, page, resolved.applied)
        table = kind.entity.table
        scoped = [table.c.account_id == self.account_id, *resolved.where]
        return BoundList(
            page=page,
            ordering=query.ordering,
            issuer=query.issuer,
            nullable=bool(table.c[query.ordering.column].nullable),
            page_where=self.where.where(table, [*scoped, *query.cursor_conditions()]),
            count_where=self.where.where(table, scoped),
            applied=resolved.applied,
        )

    async def frame(
        self, value: Any, company: int | None, company_frame: Callable[[int], Any]
    ) -> FilterFrame:
        """The frame a filter is read in: `company`'s time zone and region when it has them,
        else UTC and the default region; the filter's many phone numbers parsed meanwhile."""
        time_zone, region = "UTC", self.default_region
        if company is not None:
            found = await company_frame(company)
            if found is not None:
                time_zone, region = found
        frame = FilterFrame(
            now=self.now(), time_zone=time_zone, region=region, account_id=self.account_id
        )
        await parse_phones_off_the_loop(value, region)
        return frame

    def _frame_company(self, plan: ConnectionPlan, value: Any, bound: dict[int, Any]) -> int | None:
        """The company whose zone and region the list's filter is read in, as the resolvers
        choose it: a root filter's one company; a nested list's own parent company, known here
        only when that parent is the Company a `node(id:)` names."""
        if plan.nested is None:
            return single_company(getattr(value, "companies", None))
        node = plan.parent_node
        if node is None or node.many or not plan.nested.own_frame:
            raise NotCompilable("a nested filter read in each parent's zone or region")
        type_name, pk = bound[id(node)][0]
        # Another type's ID: this branch of the statement is never taken; any zone will do.
        return pk if type_name == "Company" else None

    def node_ids(self, plan: NodePlan) -> list[tuple[str, int]]:
        kwargs = self.arguments(plan.field_def, plan.details)  # type: ignore[attr-defined]
        ids = kwargs["ids"] if plan.many else [kwargs["id"]]
        if len(ids) > MAX_NODES:
            raise NotCompilable("too many ids")
        decoded = []
        for global_id in ids:
            try:
                type_name, pk = decode_global_id(str(global_id))
            except InvalidGlobalId as exc:
                raise NotCompilable("a malformed global id") from exc
            needed = SCOPE_BY_TYPE.get(type_name)
            if needed is not None and needed not in self.scopes:
                raise NotCompilable("a refused node type")
            decoded.append((type_name if type_name in BY_TYPE_NAME else "", pk))
        return decoded
