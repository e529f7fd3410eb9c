"""Issue 14's examples, one named test each, on both databases and both read paths: each is a
client error naming the problem (or a refusal by cost) where it was an HTTP 500 or a masked
INTERNAL_SERVER_ERROR."""

from typing import Any

import pytest
from starlette.testclient import TestClient

from app.core.settings import Settings
from app.web.app import create_app

from helpers.hostile import cursor, global_id

CALLS_AFTER = "query($a: String) { calls(after: $a) { nodes { id } } }"


def errors_of(hostile: Any, query: str, variables: dict[str, Any] | None = None) -> list[Any]:
    status, body = hostile.post(json={"query": query, "variables": variables or {}})
    assert status == 200 and body.get("errors"), body
    return list(body["errors"])


def one_error(hostile: Any, query: str, variables: dict[str, Any] | None = None) -> tuple[str, str]:
    errors = errors_of(hostile, query, variables)
    assert len(errors) == 1, errors
    return errors[0]["extensions"]["code"], errors[0]["message"]


# JSON bodies that are not one operation.
@pytest.mark.parametrize(
    "raw, kind", [(b"null", "null"), (b"42", "int"), (b'"x"', "str"), (b"true", "bool")]
)
def test_a_json_body_that_is_not_an_object_is_400(hostile: Any, raw: bytes, kind: str) -> None:
    status, body = hostile.post(content=raw, headers={"Content-Type": "application/json"})
    assert status == 400
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"].endswith(
        f'must be a JSON object such as {{"query": "..."}}, not {kind}'
    )


def test_a_json_list_body_is_400_saying_batching_is_off(hostile: Any) -> None:
    status, body = hostile.post(json=[{"query": "{ __typename }"}])
    assert status == 400
    assert "batched requests are not supported" in body["errors"][0]["message"]


def test_a_lone_surrogate_in_the_body_is_400(hostile: Any) -> None:
    raw = b'{"query": "{ calls(filter: {search: \\"\\\\ud800\\"}) { nodes { id } } }"}'
    status, body = hostile.post(content=raw, headers={"Content-Type": "application/json"})
    assert status in (200, 400) and body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


# NUL characters (PostgreSQL text cannot hold them): refused on both databases, field named.
@pytest.mark.parametrize(
    "query, field",
    [
        ('{ calls(filter: {search: "a\\u0000b"}) { nodes { id } } }', "filter.search"),
        ('{ companies(filter: {search: "\\u0000"}) { nodes { id } } }', "filter.search"),
        ('{ calls(filter: {externalIds: ["x", "a\\u0000"]}) { nodes { id } } }',
         "filter.externalIds[1]"),
        ('{ leads(filter: {email: "a\\u0000@b"}) { nodes { id } } }', "filter.email"),
        ('{ numbers(filter: {providers: ["\\u0000"]}) { nodes { id } } }', "filter.providers[0]"),
    ],
)  # fmt: skip
def test_a_nul_character_in_a_string_input_is_bad_input(
    hostile: Any, query: str, field: str
) -> None:
    code, message = one_error(hostile, query)
    assert (
        code == "BAD_USER_INPUT" and message == f"{field}: contains U+0000, which text may not hold"
    )


def test_a_nul_character_in_a_variable_names_the_field_it_fills(hostile: Any) -> None:
    query = "query($f: LeadFilter) { leads(filter: $f) { nodes { id } } }"
    code, message = one_error(hostile, query, {"f": {"statuses": ["ok", "no\x00"]}})
    assert (code, message) == (
        "BAD_USER_INPUT",
        "filter.statuses[1]: contains U+0000, which text may not hold",
    )


def test_a_list_filter_beyond_the_bind_parameter_limit_is_refused_by_its_maximum(
    hostile: Any,
) -> None:
    query = "query($e: [String!]) { calls(filter: {externalIds: $e}) { nodes { id } } }"
    code, message = one_error(hostile, query, {"e": [str(i) for i in range(32_767)]})
    assert code == "BAD_USER_INPUT"
    assert message == "filter.externalIds: at most 1000 items, got 32767"


def test_60000_phone_numbers_in_dialled_are_refused_before_any_is_parsed(hostile: Any) -> None:
    query = "query($d: [PhoneNumber!]) { calls(filter: {dialled: $d}) { nodes { id } } }"
    numbers = [f"+1770{i:07d}" for i in range(60_000)]
    code, message = one_error(hostile, query, {"d": numbers})
    assert (code, message) == ("BAD_USER_INPUT", "filter.dialled: at most 1000 items, got 60000")


def test_phone_numbers_count_in_the_cost(hostile: Any) -> None:
    query = (
        "query($d: [PhoneNumber!]) { calls(filter: {dialled: $d, endpoints: $d}) { nodes { id } } }"
    )
    numbers = [f"+1770{i:07d}" for i in range(1_000)]
    code, message = one_error(hostile, query, {"d": numbers})
    assert code == "QUERY_TOO_COMPLEX" and "for inputs" in message


@pytest.mark.parametrize("key", [2**31, 2**63, 2**64, 10**30])
def test_a_global_id_beyond_the_key_columns_is_bad_input(hostile: Any, key: int) -> None:
    call, company = global_id("Call", key), global_id("Company", key)
    for query, variables, field in [
        ("query($i: ID!) { node(id: $i) { id } }", {"i": call}, "id"),
        ("query($i: [ID!]!) { nodes(ids: $i) { id } }", {"i": [call]}, "ids[0]"),
        ("query($i: ID!) { calls(filter: {companies: [$i]}) { nodes { id } } }",
         {"i": company}, "filter.companies[0]"),
        ("query($i: ID!) { calls(filter: {numbers: [$i]}) { nodes { id } } }",
         {"i": global_id("Number", key)}, "filter.numbers[0]"),
    ]:  # fmt: skip
        code, message = one_error(hostile, query, variables)
        assert code == "BAD_USER_INPUT" and message.startswith(f"{field}: "), message
        assert message.endswith("is not a valid global ID")


def test_the_largest_key_is_a_valid_id_that_finds_nothing(hostile: Any) -> None:
    _, body = hostile.post(
        json={"query": "query($i: ID!) { node(id: $i) { id } }",
              "variables": {"i": global_id("Call", 2**31 - 1)}}
    )  # fmt: skip
    assert body == {"data": {"node": None}}


@pytest.mark.parametrize(
    "query, issuer, value",
    [
        (CALLS_AFTER, "Call:STARTED_AT_DESC", "2026-01-01"),  # a string for a datetime
        (CALLS_AFTER, "Call:STARTED_AT_DESC", {"t": "2026-01-01T00:00:00"}),  # no offset
        (CALLS_AFTER, "Call:STARTED_AT_DESC", {"t": "0001-01-01T00:00:00+05:00"}),  # year 0
        ("query($a: String) { leads(orderBy: REVENUE_DESC, after: $a) { nodes { id } } }",
         "Lead:REVENUE_DESC", {"d": "NaN"}),
        ("query($a: String) { leads(orderBy: PAYOUT_ASC, after: $a) { nodes { id } } }",
         "Lead:PAYOUT_ASC", {"d": "1e30"}),
        ("query($a: String) { calls(orderBy: DURATION_ASC, after: $a) { nodes { id } } }",
         "Call:DURATION_ASC", 2**40),
        ("query($a: String) { numbers(after: $a) { nodes { id } } }", "Number:E164_ASC", 5),
        ("query($a: String) { companies(after: $a) { nodes { id } } }",
         "Company:NAME_ASC", "a\x00"),
    ],
)  # fmt: skip
def test_a_tampered_cursor_is_bad_input(hostile: Any, query: str, issuer: str, value: Any) -> None:
    code, message = one_error(hostile, query, {"a": cursor(issuer, value, 1)})
    assert (
        code == "BAD_USER_INPUT"
        and message.startswith("after: ")
        and "not a valid cursor" in message
    )


def test_a_cursor_whose_key_is_beyond_the_columns_is_bad_input(hostile: Any) -> None:
    value = {"t": "2026-01-01T00:00:00+00:00"}
    code, message = one_error(
        hostile, CALLS_AFTER, {"a": cursor("Call:STARTED_AT_DESC", value, 2**40)}
    )
    assert code == "BAD_USER_INPUT" and "not a valid cursor" in message


def test_a_50000_character_search_is_bad_input(hostile: Any) -> None:
    query = "query($s: String) { calls(filter: {search: $s}) { nodes { id } } }"
    code, message = one_error(hostile, query, {"s": "a" * 50_000})
    assert (code, message) == (
        "BAD_USER_INPUT",
        "filter.search: at most 1000 characters, got 50000",
    )


def test_a_search_longer_than_its_maximum_is_bad_input(hostile: Any) -> None:
    query = "query($s: String) { calls(filter: {search: $s}) { nodes { id } } }"
    code, message = one_error(hostile, query, {"s": "a" * 201})
    assert (code, message) == ("BAD_USER_INPUT", "filter.search: at most 200 characters, got 201")


def test_a_300_character_time_zone_is_an_unknown_zone(hostile: Any) -> None:
    query = (
        "query($z: String) { calls(filter: {startedAt: {label: TODAY, timeZone: $z}}) "
        "{ nodes { id } } }"
    )
    code, message = one_error(hostile, query, {"z": "A" * 300})
    assert code == "BAD_USER_INPUT"
    assert message.startswith("filter.startedAt.timeZone: unknown time zone 'AAAA")


@pytest.mark.parametrize(
    "bounds",
    [
        'from: "0001-01-01T00:00:00+05:00"',
        'to: "9999-12-31T23:59:59-05:00"',
        'from: "0001-01-01T01:00:00", timeZone: "Asia/Tokyo"',  # +09:18:59 in year 1
    ],
)
def test_a_date_moved_out_of_years_1_to_9999_by_its_offset_is_bad_input(
    hostile: Any, bounds: str
) -> None:
    code, message = one_error(
        hostile, f"{{ calls(filter: {{startedAt: {{{bounds}}}}}) {{ nodes {{ id }} }} }}"
    )
    assert (code, message) == (
        "BAD_USER_INPUT",
        "filter.startedAt: a bound is outside years 1-9999 once read in UTC",
    )


def test_a_nested_list_checks_its_inputs_the_same_way(hostile: Any) -> None:
    query = '{ companies { nodes { calls(filter: {search: "\\u0000"}) { nodes { id } } } } }'
    code, message = one_error(hostile, query)
    assert (code, message) == (
        "BAD_USER_INPUT",
        "filter.search: contains U+0000, which text may not hold",
    )


# The specification's operation pick.
def test_several_operations_without_an_operation_name_are_an_error(hostile: Any) -> None:
    code, message = one_error(hostile, "query A { __typename } query B { calls { nodes { id } } }")
    assert code == "BAD_USER_INPUT" and "operationName" in message


def test_several_operations_run_the_one_named(hostile: Any) -> None:
    document = "query A { __typename } query B { calls { nodes { id } } }"
    _, body = hostile.post(json={"query": document, "operationName": "B"})
    assert body == {"data": {"calls": {"nodes": [{"id": hostile.seeded.ids["Call"]}]}}}
    _, body = hostile.post(json={"query": document, "operationName": "C"})
    assert body["errors"][0]["message"] == 'Unknown operation named "C".'
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


# Cost: what actually costs.
INTROSPECTION = (
    "__schema { types { name kind description fields { name description args { name "
    "description type { name kind ofType { name kind } } } type { name kind ofType { name kind "
    "ofType { name kind } } } } inputFields { name type { name kind ofType { name } } } "
    "enumValues { name description } } }"
)


def test_one_full_schema_introspection_is_allowed(hostile: Any) -> None:
    _, body = hostile.post(json={"query": f"{{ {INTROSPECTION} }}"})
    assert "errors" not in body and len(body["data"]["__schema"]["types"]) > 50


def test_thirty_aliased_full_schema_introspections_are_too_complex(hostile: Any) -> None:
    document = "{ " + " ".join(f"a{i}: {INTROSPECTION}" for i in range(30)) + " }"
    code, message = one_error(hostile, document)
    # The count of introspection roots (MAX_INTROSPECTION_FIELDS) refuses it before the cost.
    assert code == "QUERY_TOO_COMPLEX" and message.startswith("query introspection fields is 30")


def test_aliased_unindexed_searches_are_too_complex(hostile: Any) -> None:
    document = "{ " + " ".join(
        f'a{i}: calls(first: 0, filter: {{search: "x{i}"}}) {{ totalCount }}' for i in range(29)
    ) + " }"  # fmt: skip
    code, message = one_error(hostile, document)
    assert code == "QUERY_TOO_COMPLEX" and "searches" in message


def test_a_few_searches_are_allowed(hostile: Any) -> None:
    document = '{ a: calls(filter: {search: "x"}) { totalCount } b: leads(filter: {search: "y"}) { totalCount } }'
    _, body = hostile.post(json={"query": document})
    assert body == {"data": {"a": {"totalCount": 0}, "b": {"totalCount": 0}}}


# Without introspection, errors do not suggest names.
@pytest.fixture
def closed(hostile: Any) -> Any:
    app = create_app(Settings(database_url=_url(hostile), introspection=False))
    headers = dict(hostile.compiled.headers)
    with TestClient(app, headers=headers) as client:
        yield client


def _url(hostile: Any) -> str:
    return str(hostile.compiled.app.state.settings.database_url)


@pytest.mark.parametrize(
    "query",
    [
        "{ cals { nodes { id } } }",
        "{ calls { nodes { startedAtt } } }",
        "{ calls(filtr: {}) { nodes { id } } }",
        "{ calls(filter: {dispositions: [NO_ANSWR]}) { nodes { id } } }",
    ],
)
def test_without_introspection_errors_suggest_no_names(closed: TestClient, query: str) -> None:
    body = closed.post("/graphql", json={"query": query}).json()
    assert body["errors"] and all("Did you mean" not in e["message"] for e in body["errors"])


def test_without_introspection_variable_errors_suggest_no_names(closed: TestClient) -> None:
    query = "query($d: [CallDisposition!]) { calls(filter: {dispositions: $d}) { nodes { id } } }"
    body = closed.post("/graphql", json={"query": query, "variables": {"d": ["NO_ANSWR"]}}).json()
    assert body["errors"] and all("Did you mean" not in e["message"] for e in body["errors"])


def test_with_introspection_errors_still_suggest(hostile: Any) -> None:
    code, message = one_error(hostile, "{ cals { nodes { id } } }")
    assert code == "BAD_USER_INPUT" and "Did you mean" in message
