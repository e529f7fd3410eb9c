"""What every vendor package shares: the payload error, the resource spec the registry holds,
and field types for the ways vendors write timestamps."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar, Literal, TypeVar

import orjson
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, model_validator

from app.models.enums import Vendor

Kind = Literal["sources", "numbers", "calls", "leads"]


class PayloadError(ValueError):
    """The whole payload is not JSON or not the resource's shape; the message is one line."""


INT64 = 2**63  # the widest integer column (BIGINT) holds -INT64 .. INT64 - 1


class FieldProblem(ValueError):
    """A value no column can store, found before field validation; names the field."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field, self.problem = field, problem


class VendorModel(BaseModel):
    """A vendor record under its documented names; fields a vendor adds later are ignored.

    Every documented field is checked first for what no database column stores, the same on
    SQLite and PostgreSQL: a NUL character or a lone surrogate in any string (nested ones
    too), an integer beyond 64 bits. Narrower limits (string lengths, integer columns) are
    each field's own, from its column (`max_len`, `int_range`)."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    _documented: ClassVar[frozenset[str]] = frozenset()
    _envelope: ClassVar[bool] = False

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        fields = () if cls._envelope else cls.model_fields.items()
        cls._documented = frozenset(field.alias or name for name, field in fields)

    @model_validator(mode="before")
    @classmethod
    def _storable(cls, data: Any) -> Any:
        if isinstance(data, dict) and cls._documented and not _plainly_storable(data):
            for key, value in data.items():
                if key in cls._documented and (problem := unstorable(value)):
                    raise FieldProblem(key, problem)
        return data


class VendorEnvelope(VendorModel):
    """A response envelope (paging, totals): read, never stored, so not checked for storage;
    its records are checked one by one by their own model."""

    _envelope: ClassVar[bool] = True


def _plainly_storable(data: dict[str, Any]) -> bool:
    """The fast verdict, in C: orjson refuses lone surrogates and large integers and writes NUL
    as \\u0000. False means "look field by field" (it may be a false alarm)."""
    try:
        # OPT_STRICT_INTEGER refuses integers beyond 53 bits: those go the slow, exact way.
        return b"\\u0000" not in orjson.dumps(data, option=orjson.OPT_STRICT_INTEGER)
    except TypeError:  # also values orjson does not write (Decimal, say): the slow path judges
        return False


def unstorable(value: Any) -> str | None:
    """Why no column can store `value` (or a string or integer inside it), or None."""
    kind = type(value)
    if kind is str:
        if "\x00" in value:
            return "contains a NUL character, which the database cannot store"
        if not value.isascii() and not _encodable(value):
            return "contains a lone surrogate: not valid Unicode"
    elif kind is int:
        if not -INT64 <= value < INT64:
            return "an integer beyond the 64-bit range"
    elif kind is dict:
        for key, item in value.items():
            if problem := unstorable(key) or unstorable(item):
                return problem
    elif kind is list:
        for item in value:
            if problem := unstorable(item):
                return problem
    return None


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


E = TypeVar("E", bound=VendorModel)


@dataclass(frozen=True)
class ResourceSpec:
    """How one vendor resource is read: envelope -> records, record -> model -> unified row."""

    vendor: Vendor
    resource: str
    kind: Kind
    records: Callable[[Any], list[Any]]  # raises PayloadError when the shape is wrong
    model: type[VendorModel]
    id_field: str  # the vendor's name for the record id, for reject reports
    map_record: Callable[[Any], Any]
    names_company: bool  # False: the payload never names its company, so --company is required


def envelope_records(
    payload: Any, *, envelope: type[VendorModel], key: str, what: str
) -> list[Any]:
    """The records under `key` of a page envelope, after checking the envelope's own fields."""
    parse_envelope(payload, envelope=envelope, key=key, what=what)
    records: list[Any] = payload[key]
    return records


def parse_envelope(payload: Any, *, envelope: type[E], key: str, what: str) -> E:
    """A page envelope's own fields (paging, totals), checked; PayloadError names the problem."""
    if not isinstance(payload, dict) or not isinstance(payload.get(key), list):
        raise PayloadError(f"not {what}: expected an object with a {key!r} list")
    try:
        return envelope.model_validate(payload)
    except ValidationError as exc:
        raise PayloadError(f"not {what}: {error_reason(exc)}") from None


def object_or_list_records(payload: Any, *, model: type[VendorModel], what: str) -> list[Any]:
    """Records of a response that is either one record object or a list of them."""
    if isinstance(payload, dict) and _looks_like(payload, model):
        return [payload]
    if isinstance(payload, list):
        return list_records(payload, model=model, what=what)
    raise PayloadError(f"not {what}: expected a record object or a list of them")


def list_records(payload: Any, *, model: type[VendorModel], what: str) -> list[Any]:
    """Records of a bare-list response; a list where nothing looks like a record is refused."""
    if not isinstance(payload, list):
        raise PayloadError(f"not {what}: expected a list of records")
    if payload and not any(_looks_like(item, model) for item in payload):
        raise PayloadError(f"not {what}: no item has any of its documented fields")
    return payload


def error_reason(exc: ValidationError) -> str:
    """The first validation error as "Field: problem: 'input'" (one line)."""
    error = exc.errors(include_url=False)[0]
    cause = error.get("ctx", {}).get("error")
    if isinstance(cause, FieldProblem):
        return str(cause)
    where = ".".join(str(part) for part in error["loc"]) or "record"
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] in {"missing", "value_error"}:
        return f"{where}: {message}"
    shown = repr(error["input"])
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return f"{where}: {message}: {shown}"


def max_len(table: Any, column: str) -> int:
    """The length limit of a table's string column, so a payload field is checked against it."""
    length: int = table.__table__.c[column].type.length
    return length


INTEGER_BITS = {"SmallInteger": 16, "Integer": 32, "BigInteger": 64}


def int_range(table: Any, column: str) -> dict[str, int]:
    """Field(**int_range(Call, "duration_seconds")): the bounds of a table's integer column."""
    column_type = table.__table__.c[column].type
    bits = next(b for name, b in INTEGER_BITS.items() if type(column_type).__name__ == name)
    return {"ge": -(2 ** (bits - 1)), "le": 2 ** (bits - 1) - 1}


def _looks_like(item: Any, model: type[VendorModel]) -> bool:
    """Whether a dict shares a documented field name with the record model."""
    if not isinstance(item, dict):
        return False
    names = {field.alias or name for name, field in model.model_fields.items()}
    return not names.isdisjoint(item)


def aware(value: datetime) -> datetime:
    # Vendors document UTC; a timestamp written without an offset is read as UTC.
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:  # "9999-12-31T23:00:00-05:00" is in year 10000 in UTC
        raise ValueError(f"outside the years 1-9999 once in UTC: {value.isoformat()}") from None


def _iso_datetime(value: Any) -> Any:
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"not an ISO 8601 date and time: {value!r}") from None
        return aware(parsed)
    if isinstance(value, datetime):
        return aware(value)
    raise ValueError(f"not an ISO 8601 date and time: {value!r}")


IsoDatetime = Annotated[datetime, BeforeValidator(_iso_datetime)]
"""ISO 8601 text ("2012-06-20T19:14:26Z"); no offset means UTC."""
