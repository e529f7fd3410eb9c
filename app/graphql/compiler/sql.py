"""SQL text for JSON, per dialect: objects, arrays, and each scalar written as the general
executor writes it (DateTime ISO 8601 with offset, Decimal with four places, global ids and
cursors in base64url). SQLite lacks base64, so `sqlite_functions.py` registers those."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

# json_object/json_build_object take at most 127 (SQLite) and 100 (PostgreSQL) arguments:
# larger objects are built in chunks and joined as text.
MAX_PAIRS = 40


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A SQL string literal (only ever given names from the schema, never client values)."""
    return "'" + text.replace("'", "''") + "'"


@dataclass
class Writer:
    """Collects one statement's text and its parameters in order."""

    dialect: "Dialect"
    parts: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)
    aliases: int = 0

    def alias(self) -> str:
        self.aliases += 1
        return f"t{self.aliases}"

    def param(self, value: Any, pg_type: str | None = None) -> str:
        """A placeholder bound to `value` (PostgreSQL needs a type where context gives none)."""
        self.params.append(value)
        if self.dialect.name == "sqlite":
            return f"?{len(self.params)}"  # numbered, so text order need not follow call order
        marker = f"${len(self.params)}"
        return f"{marker}::{pg_type}" if pg_type else marker

    def sql(self) -> str:
        return "".join(self.parts)


class Dialect:
    """What differs between SQLite and PostgreSQL in building JSON."""

    name: str
    joins_to_one: bool
    object_function: str
    array_function: str

    def json_value(self, expr: str) -> str:
        """Mark an expression that yields JSON text (a subquery, a CASE) as JSON, not a string."""
        raise NotImplementedError

    def object(self, pairs: Sequence[tuple[str, str]]) -> str:
        """A JSON object of (key, value expression) pairs, in order; large ones in chunks."""
        chunks = [pairs[i : i + MAX_PAIRS] for i in range(0, len(pairs), MAX_PAIRS)] or [[]]
        built = [
            f"{self.object_function}(" + ", ".join(f"{literal(k)}, {v}" for k, v in chunk) + ")"
            for chunk in chunks
        ]
        if len(built) == 1:
            return built[0]
        texts = [self.as_text(b) for b in built]
        inner = " || ',' || ".join(f"substr({b}, 2, length({b}) - 2)" for b in texts)
        return self.json_of_text(f"'{{' || {inner} || '}}'")

    def array(self, items: Sequence[str]) -> str:
        """A JSON array of the expressions' values."""
        return f"{self.array_function}({', '.join(items)})"

    def as_text(self, expr: str) -> str:
        return expr

    def json_of_text(self, expr: str) -> str:
        """Text that holds JSON, as a JSON value."""
        raise NotImplementedError

    def boolean(self, expr: str) -> str:
        raise NotImplementedError

    def datetime(self, expr: str) -> str:
        raise NotImplementedError

    def money(self, expr: str) -> str:
        raise NotImplementedError

    def global_id(self, type_name: str, pk: str) -> str:
        raise NotImplementedError

    def cursor(self, issuer: str, kind: str, value: str, pk: str) -> str:
        raise NotImplementedError

    def array_agg(self, expr: str, order: str, where: str) -> str:
        raise NotImplementedError

    def comma_list(self, expr: str) -> str:
        """'1,2' as ["1","2"]; NULL or '' as null."""
        raise NotImplementedError

    def enum_list(self, items: Sequence[tuple[str, str]]) -> str:
        """A JSON array of the names whose condition holds, in the given order."""
        names = " || ".join(
            f"CASE WHEN {cond} THEN ',\"{name}\"' ELSE '' END" for name, cond in items
        )
        return self.json_of_text(f"'[' || substr({names}, 2) || ']'")

    def json_text_param(self, placeholder: str) -> str:
        raise NotImplementedError

    def least(self, a: str, b: str) -> str:
        raise NotImplementedError

    def id_list(self, writer: "Writer", pairs: list[tuple[str, int]], case: Any) -> str:
        """A JSON array of `case(type expr, pk expr)` for each (type, pk), in order."""
        raise NotImplementedError

    def select_text(self, expr: str, extra: list[str]) -> str:
        """The statement: one row, its text first, then the `extra` columns."""
        raise NotImplementedError


class SQLiteDialect(Dialect):
    name = "sqlite"
    # LEFT JOINs keep deep selections within SQLite's parser stack; nested correlated
    # subqueries overflowed it.
    joins_to_one = True
    object_function = "json_object"
    array_function = "json_array"

    def json_of_text(self, expr: str) -> str:
        return f"json({expr})"

    def json_value(self, expr: str) -> str:
        return f"json({expr})"

    def boolean(self, expr: str) -> str:
        return f"json(CASE WHEN {expr} IS NULL THEN NULL WHEN {expr} THEN 'true' ELSE 'false' END)"

    def datetime(self, expr: str) -> str:
        return f"sb_datetime({expr})"

    def money(self, expr: str) -> str:
        return f"sb_money({expr})"

    def global_id(self, type_name: str, pk: str) -> str:
        return f"sb_global_id({literal(type_name)}, {pk})"

    def cursor(self, issuer: str, kind: str, value: str, pk: str) -> str:
        return f"sb_cursor({literal(issuer)}, {literal(kind)}, {value}, {pk})"

    def array_agg(self, expr: str, order: str, where: str) -> str:
        # SQLite aggregates in the order its (ordered, unflattened) subquery yields rows.
        return f"json_group_array({expr}) FILTER (WHERE {where})"

    def comma_list(self, expr: str) -> str:
        return f"json(sb_comma_list({expr}))"

    def json_text_param(self, placeholder: str) -> str:
        return f"json({placeholder})"

    def least(self, a: str, b: str) -> str:
        return f"min({a}, {b})"

    def id_list(self, writer: "Writer", pairs: list[tuple[str, int]], case: Any) -> str:
        param = writer.param(orjson.dumps(pairs).decode())
        return self.json_value(
            f"(SELECT json_group_array({case('j.value ->> 0', 'j.value ->> 1')}) FROM json_each({param}) AS j)"
        )

    def select_text(self, expr: str, extra: list[str]) -> str:
        return "SELECT " + ", ".join([expr, *extra])


class PostgresDialect(Dialect):
    name = "postgresql"
    # Correlated primary-key lookups: with joins PostgreSQL hashed whole tables for a page of
    # 50 rows (Q1: a sequential scan of every number) and planned longer.
    joins_to_one = False
    object_function = "json_build_object"
    array_function = "json_build_array"

    def as_text(self, expr: str) -> str:
        return f"({expr})::text"

    def json_of_text(self, expr: str) -> str:
        return f"({expr})::json"

    def json_value(self, expr: str) -> str:
        return expr

    def boolean(self, expr: str) -> str:
        return expr

    def datetime(self, expr: str) -> str:
        utc = f"({expr} AT TIME ZONE 'UTC')"
        return (
            f"CASE WHEN {expr} IS NULL THEN NULL ELSE to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || "
            f"CASE WHEN extract(microseconds FROM {utc})::bigint % 1000000 = 0 THEN '' "
            f"ELSE to_char({utc}, '.US') END || '+00:00' END"
        )

    def money(self, expr: str) -> str:
        return (
            f"CASE WHEN {expr} IS NULL THEN NULL ELSE (CASE WHEN {expr} < 0 THEN '-' ELSE '' END) || "
            f"(abs({expr}) / 10000)::text || '.' || lpad((abs({expr}) % 10000)::text, 4, '0') END"
        )

    @staticmethod
    def _base64url(text: str) -> str:
        encoded = f"encode(convert_to({text}, 'UTF8'), 'base64')"
        return f"rtrim(translate(replace({encoded}, E'\\n', ''), '+/', '-_'), '=')"

    def global_id(self, type_name: str, pk: str) -> str:
        return self._base64url(f"{literal(type_name + ':')} || {pk}::text")

    def cursor(self, issuer: str, kind: str, value: str, pk: str) -> str:
        if kind == "t":
            encoded = f"COALESCE('{{\"t\":\"' || {self.datetime(value)} || '\"}}', 'null')"
        elif kind == "d":
            encoded = f"COALESCE('{{\"d\":\"' || {self.money(value)} || '\"}}', 'null')"
        elif kind == "s":
            encoded = f"COALESCE(to_json({value})::text, 'null')"
        else:
            encoded = f"COALESCE({value}::text, 'null')"
        return self._base64url(
            f"{literal('[' + quote(issuer) + ',')} || {encoded} || ',' || {pk}::text || ']'"
        )

    def array_agg(self, expr: str, order: str, where: str) -> str:
        return f"COALESCE(json_agg({expr} ORDER BY {order}) FILTER (WHERE {where}), '[]'::json)"

    def comma_list(self, expr: str) -> str:
        return f"CASE WHEN {expr} IS NULL OR {expr} = '' THEN NULL ELSE to_json(string_to_array({expr}, ',')) END"

    def json_text_param(self, placeholder: str) -> str:
        return placeholder

    def least(self, a: str, b: str) -> str:
        return f"least({a}, {b})"

    def id_list(self, writer: "Writer", pairs: list[tuple[str, int]], case: Any) -> str:
        types = writer.param([t for t, _ in pairs], "text[]")
        pks = writer.param([pk for _, pk in pairs], "bigint[]")
        return (
            f"(SELECT COALESCE(json_agg({case('e.t', 'e.pk')} ORDER BY e.ord), '[]'::json) "
            f"FROM unnest({types}, {pks}) WITH ORDINALITY AS e(t, pk, ord))"
        )

    def select_text(self, expr: str, extra: list[str]) -> str:
        return "SELECT " + ", ".join([f"({expr})::text", *extra])


DIALECTS: dict[str, Dialect] = {"sqlite": SQLiteDialect(), "postgresql": PostgresDialect()}
