"""Typed filter inputs for every vendor filter, and the SQL conditions they mean.

Fields within one filter combine with AND; a list means any-of unless its description says
otherwise. Every bad value is BAD_USER_INPUT naming the field."""

import asyncio
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import strawberry
from sqlalchemy import (
    Boolean,
    ColumnElement,
    Table,
    and_,
    bindparam,
    exists,
    false,
    not_,
    or_,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.visitors import InternalTraversal

from app.core.ids import InvalidGlobalId, decode_global_id
from app.core.phone import PhoneParseError, parse_phone
from app.graphql.dates import AppliedDateRange, DateRange, resolve_range
from app.graphql.enums import CallerType
from app.graphql.errors import UserInputError
from app.graphql.scalars import PhoneNumber
from app.models import Caller, NumberLink
from app.models.enums import Vendor

# A search is a substring scan; longer text finds nothing more useful and SQLite refuses LIKE
# patterns over 50,000 bytes.
MAX_SEARCH_LENGTH = 200


@dataclass(frozen=True)
class FilterFrame:
    """What relative values are read against: the clock, the time zone and the phone region."""

    now: datetime
    time_zone: str
    region: str
    account_id: int


@dataclass
class Conditions:
    where: list[ColumnElement[bool]]
    applied: list[AppliedDateRange]


def global_pks(ids: Sequence[strawberry.ID], *, type_name: str, field: str) -> list[int]:
    """Primary keys of global IDs that must all be of `type_name`."""
    pks = []
    for index, global_id in enumerate(ids):
        try:
            kind, pk = decode_global_id(str(global_id))
        except InvalidGlobalId as exc:
            raise UserInputError(f"{field}[{index}]: {exc}") from None
        if kind != type_name:
            raise UserInputError(
                f"{field}[{index}]: {global_id!r} is a {kind} ID, not a {type_name}"
            )
        pks.append(pk)
    return pks


def e164s(values: Sequence[str], *, region: str, field: str) -> list[str]:
    """Each written form normalized to E.164 (so formatting never changes what matches)."""
    numbers = []
    for index, value in enumerate(values):
        try:
            numbers.append(parse_phone(value, region).e164)
        except PhoneParseError as exc:
            raise UserInputError(f"{field}[{index}]: {exc}") from None
    return numbers


def like_pattern(text: str) -> str:
    """`%text%` with LIKE's wildcards in `text` escaped (escape character backslash)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def text_search(
    table: Table, columns: Sequence[str], text: str, json_columns: Sequence[str] = ()
) -> ColumnElement[bool]:
    """Case-insensitive substring match on any of `columns`, or on any top-level value of the
    JSON objects in `json_columns`."""
    pattern = like_pattern(text)
    matches: list[ColumnElement[bool]] = [table.c[c].ilike(pattern, escape="\\") for c in columns]
    matches += [JsonValueMatch(table.c[c], bindparam(None, pattern)) for c in json_columns]
    return or_(*matches)


class JsonValueMatch(ColumnElement[bool]):
    """True when some top-level value of a JSON object column contains `pattern` (ILIKE);
    a nested object or list matches on its JSON text."""

    __visit_name__ = "json_value_match"
    inherit_cache = True
    type = Boolean()
    _traverse_internals = [
        ("column", InternalTraversal.dp_clauseelement),
        ("pattern", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, column: ColumnElement[Any], pattern: ColumnElement[Any]) -> None:
        self.column, self.pattern = column, pattern


@compiles(JsonValueMatch, "sqlite")
def _json_value_match_sqlite(element: JsonValueMatch, compiler: Any, **kw: Any) -> str:
    column, pattern = (
        compiler.process(element.column, **kw),
        compiler.process(element.pattern, **kw),
    )
    return (
        f"EXISTS (SELECT 1 FROM json_each(CASE WHEN json_type({column}) = 'object' "
        f"THEN {column} END) AS kv WHERE lower(kv.value) LIKE lower({pattern}) ESCAPE '\\')"
    )


@compiles(JsonValueMatch, "postgresql")
def _json_value_match_postgresql(element: JsonValueMatch, compiler: Any, **kw: Any) -> str:
    column, pattern = (
        compiler.process(element.column, **kw),
        compiler.process(element.pattern, **kw),
    )
    return (
        f"EXISTS (SELECT 1 FROM json_each_text(CASE WHEN json_typeof({column}) = 'object' "
        f"THEN {column} END) AS kv WHERE kv.value ILIKE {pattern} ESCAPE '\\')"
    )


def caller_ids_for(e164: str, account_id: int) -> Any:
    caller = Caller.__table__
    return select(caller.c.id).where(caller.c.account_id == account_id, caller.c.e164 == e164)


class Builder:
    """Collects conditions for one filter input, naming fields as `filter.<field>`."""

    def __init__(self, table: Table, frame: FilterFrame) -> None:
        self.table, self.frame = table, frame
        self.result = Conditions(where=[], applied=[])

    def add(self, condition: ColumnElement[bool]) -> None:
        self.result.where.append(condition)

    def any_of(self, column: str, values: Sequence[Any] | None) -> None:
        if values is not None:
            self.add(self.table.c[column].in_([getattr(v, "value", v) for v in values]))

    def equals(self, column: str, value: Any) -> None:
        if value is not None:
            self.add(self.table.c[column] == value)

    def ids(
        self, column: str, ids: Sequence[strawberry.ID] | None, type_name: str, name: str
    ) -> None:
        if ids is not None:
            self.add(
                self.table.c[column].in_(
                    global_pks(ids, type_name=type_name, field=f"filter.{name}")
                )
            )

    def phones(self, column: str, values: Sequence[str] | None, name: str) -> None:
        if values is not None:
            numbers = e164s(values, region=self.frame.region, field=f"filter.{name}")
            self.add(self.table.c[column].in_(numbers))

    def caller(self, value: str | None, name: str = "caller") -> None:
        if value is not None:
            e164 = e164s([value], region=self.frame.region, field=f"filter.{name}")[0]
            self.add(self.table.c.caller_id.in_(caller_ids_for(e164, self.frame.account_id)))

    def date_range(self, column: str, value: DateRange | None, name: str) -> None:
        if value is None:
            return
        applied = resolve_range(
            value,
            field=f"filter.{name}",
            now=self.frame.now,
            default_time_zone=self.frame.time_zone,
        )
        applied.field = name
        if applied.from_ is not None:
            self.add(self.table.c[column] >= applied.from_)
        if applied.to is not None:
            self.add(self.table.c[column] < applied.to)
        self.result.applied.append(applied)

    def search(
        self, columns: Sequence[str], text: str | None, json_columns: Sequence[str] = ()
    ) -> None:
        if text is not None and text.strip():
            if len(text) > MAX_SEARCH_LENGTH:
                raise UserInputError(
                    f"filter.search: at most {MAX_SEARCH_LENGTH} characters, got {len(text)}"
                )
            self.add(text_search(self.table, columns, text.strip(), json_columns))


@strawberry.input(description="An inclusive integer range.")
class IntRange:
    min: int | None = strawberry.field(default=None, description="Smallest value, inclusive.")
    max: int | None = strawberry.field(default=None, description="Largest value, inclusive.")


@strawberry.input(
    description="Fone Dynamics Attribution_* filters; each list is any-of, exact match."
)
class AttributionFilter:
    sources: list[str] | None = strawberry.field(default=None, description="Attribution_Source.")
    mediums: list[str] | None = strawberry.field(default=None, description="Attribution_Medium.")
    campaigns: list[str] | None = strawberry.field(
        default=None, description="Attribution_Campaign."
    )
    contents: list[str] | None = strawberry.field(default=None, description="Attribution_Content.")


def apply_attribution(builder: Builder, value: AttributionFilter | None) -> None:
    if value is None:
        return
    builder.any_of("attribution_source", value.sources)
    builder.any_of("attribution_medium", value.mediums)
    builder.any_of("attribution_campaign", value.campaigns)
    builder.any_of("attribution_content", value.contents)


def prompt_paths(builder: Builder, paths: Sequence[Sequence[str]] | None) -> None:
    """A call matches when its key path starts with any given path ([["1"]] matches 1 and 1,2)."""
    if paths is None:
        return
    column = builder.table.c.prompt_keys
    matches = []
    for index, path in enumerate(paths):
        keys = [key.strip() for key in path]
        if not keys or any(not key or "," in key or ";" in key for key in keys):
            raise UserInputError(
                f"filter.promptKeys[{index}]: a path is a non-empty list of single keys"
            )
        joined = ",".join(keys)
        escaped = joined.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        matches.append(or_(column == joined, column.like(f"{escaped},%", escape="\\")))
    builder.add(or_(*matches) if matches else false())


def caller_type(builder: Builder, value: CallerType | None) -> None:
    """UNIQUE: the caller's first call to the company; REPEAT: any later one; anonymous: ALL only."""
    if value is None or value is CallerType.ALL:
        return
    table = builder.table
    # An anonymous call has no caller to be first or repeat for, whatever the vendor flagged.
    first = (
        table.c.is_first_call.is_(True)
        if value is CallerType.UNIQUE
        else (table.c.is_first_call.is_(False))
    )
    builder.add(and_(first, table.c.caller_id.is_not(None)))


def int_range(builder: Builder, column: str, value: IntRange | None, name: str) -> None:
    if value is None:
        return
    if value.min is not None and value.max is not None and value.min > value.max:
        raise UserInputError(f"filter.{name}: min ({value.min}) is greater than max ({value.max})")
    if value.min is not None:
        builder.add(builder.table.c[column] >= value.min)
    if value.max is not None:
        builder.add(builder.table.c[column] <= value.max)


def presence(builder: Builder, column: str, value: bool | None) -> None:
    if value is not None:
        col = builder.table.c[column]
        builder.add(col.is_not(None) if value else col.is_(None))


@strawberry.input(
    description=(
        "A vendor's own id: the vendor and its id (CallRail `company_id` or source `id`, FD "
        "`PropertySid`, Butter organization or `phone_number_id`, ...), or its account (FD "
        "`AccountSid`), or both."
    )
)
class VendorIdInput:
    vendor: Vendor = strawberry.field(description="The vendor whose id this is.")
    external_id: str | None = strawberry.field(
        default=None, description="The vendor's id, exact match."
    )
    account_id: str | None = strawberry.field(
        default=None, description="The vendor's account holding it (FD `AccountSid`), exact match."
    )


def vendor_ids(
    builder: Builder,
    column: str,
    values: Sequence[VendorIdInput] | None,
    name: str,
    *,
    table: Table,
    key: str,
) -> None:
    """Rows whose `column` is the `key` of a `table` row (a company_link, number_link or
    source) matching any of `values`; an empty list matches nothing."""
    if values is None:
        return
    ids = table.alias(f"{table.name}_by_vendor_id")  # never correlated with the filtered table
    matches = [
        _vendor_id_match(ids, value, f"filter.{name}[{i}]") for i, value in enumerate(values)
    ]
    if not matches:
        builder.add(false())
        return
    found = select(ids.c[key]).where(ids.c.account_id == builder.frame.account_id, or_(*matches))
    builder.add(builder.table.c[column].in_(found))


def _vendor_id_match(table: Any, value: VendorIdInput, field: str) -> ColumnElement[bool]:
    if value.external_id is None and value.account_id is None:
        raise UserInputError(f"{field}: give externalId, accountId or both")
    parts = [table.c.vendor == value.vendor.value]
    if value.external_id is not None:
        parts.append(table.c.external_id == value.external_id)
    if value.account_id is not None:
        if "vendor_account_id" not in table.c:
            raise UserInputError(f"{field}.accountId: sources have no vendor account id")
        parts.append(table.c.vendor_account_id == value.account_id)
    return and_(*parts)


def vendor_links(builder: Builder, vendors: Sequence[Vendor] | None) -> None:
    """Numbers reported by any of `vendors`."""
    if vendors is None:
        return
    link = NumberLink.__table__
    builder.add(
        exists().where(
            link.c.number_id == builder.table.c.id, link.c.vendor.in_([v.value for v in vendors])
        )
    )


def negate_if(condition: ColumnElement[bool], value: bool) -> ColumnElement[bool]:
    return condition if value else not_(condition)


def _is_phone(field_type: Any) -> bool:
    while hasattr(field_type, "of_type"):  # Optional and List wrappers
        field_type = field_type.of_type
    return field_type is PhoneNumber


# More phone numbers than this in one filter are parsed on a worker thread first (about 70 us
# each), so the event loop keeps answering other requests (health checks) meanwhile.
PHONES_ON_THE_LOOP = 50


def phone_inputs(value: Any) -> list[str]:
    """Every phone number a filter input holds (single fields and lists)."""
    found: list[str] = []
    if value is None:
        return found
    for field in type(value).__strawberry_definition__.fields:
        current = getattr(value, field.python_name)
        if current is not None and _is_phone(field.type):
            found.extend(current if isinstance(current, list) else [current])
    return found


async def parse_phones_off_the_loop(value: Any, region: str) -> None:
    """Parse a filter's many phone numbers on a thread, so that building its conditions then
    finds them in parse_phone's cache instead of parsing them on the event loop."""
    phones = phone_inputs(value)
    if len(phones) > PHONES_ON_THE_LOOP:
        await asyncio.to_thread(_parse_all, phones, region)


def _parse_all(phones: list[str], region: str) -> None:
    for phone in phones:
        with contextlib.suppress(PhoneParseError):
            parse_phone(phone, region)


def needs_company_frame(value: Any) -> bool:
    """Whether resolving `value` reads the company's time zone (a date range without its own
    zone) or phone region (a phone number), so the company must be loaded first."""
    if value is None:
        return False
    for field in type(value).__strawberry_definition__.fields:
        current = getattr(value, field.python_name)
        if current is None:
            continue
        if isinstance(current, DateRange) and current.time_zone is None:
            return True
        if _is_phone(field.type):
            return True
    return False
