"""Property-based fuzzing of every argument and input field of the schema (enumerated from the
schema, so new fields are fuzzed without new tests) and of the request body itself: whatever
is sent, the answer is data or a client error from a fixed set (never INTERNAL_SERVER_ERROR or
HTTP 500), the compiled and general read paths answer alike, and /healthz answers afterwards.

Each input field is fuzzed on its own under the root fields (`calls(filter: {search})`);
nested lists (`company.calls`), whose input types are the same, get each argument fuzzed
whole (a filter with random fields set), and every field gets all its arguments at once."""

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.graphql.schema import schema

from helpers.hostile import (
    WRONG_SHAPES,
    Target,
    all_arguments_document,
    document_for,
    root_lists,
    targets,
    value_for,
    wrap,
)

SCHEMA = schema._schema
TARGETS = targets(SCHEMA)
ROOT_LISTS = root_lists(SCHEMA)
FUZZ = settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def test_the_walk_finds_every_argument_of_the_root_lists() -> None:
    ids = {t.id for t in TARGETS}
    assert "Query.calls.filter.startedAt.timeZone" in ids
    assert "Company.calls.after" in ids and "Query.nodes.ids" in ids
    assert set(ROOT_LISTS) == {"Company", "Source", "Number", "Call", "Lead", "Caller"}


FUZZED = [t for t in TARGETS if t.parent == "Query" or not t.path]


@pytest.mark.parametrize("target", FUZZED, ids=lambda t: t.id)
def test_every_input_field_takes_hostile_values(hostile: Any, target: Target) -> None:
    document = document_for(SCHEMA, target, ROOT_LISTS)

    @FUZZ
    @given(value=value_for(target.leaf))
    def run(value: Any) -> None:
        hostile.post(json={"query": document, "variables": {"v": wrap(target.path, value)}})

    run()
    hostile.assert_healthy()


FIELDS = sorted({(t.parent, t.field) for t in TARGETS})


@pytest.mark.parametrize("parent, field", FIELDS, ids=lambda v: str(v))
def test_every_field_takes_hostile_argument_sets(hostile: Any, parent: str, field: str) -> None:
    """All of a field's arguments at once."""
    definition = SCHEMA.type_map[parent].fields[field]  # type: ignore[union-attr]
    arguments = {name: value_for(a.type) for name, a in definition.args.items()}
    document = all_arguments_document(SCHEMA, parent, field, ROOT_LISTS)

    @FUZZ
    @given(variables=st.fixed_dictionaries({}, optional=arguments))
    def run(variables: dict[str, Any]) -> None:
        hostile.post(json={"query": document, "variables": variables})

    run()
    hostile.assert_healthy()


WRONG = st.sampled_from(WRONG_SHAPES)
QUERIES = st.sampled_from(["{ __typename }", "query A { __typename }"])
PERSISTED = [{"persistedQuery": None}, {"persistedQuery": {"version": 1, "sha256Hash": "x"}}]
BODY_VALUES = st.one_of(
    WRONG,
    st.fixed_dictionaries(
        {},
        optional={
            "query": st.one_of(QUERIES, WRONG, st.text(max_size=20)),
            "variables": st.one_of(WRONG, st.dictionaries(st.text(max_size=5), WRONG, max_size=3)),
            "operationName": st.one_of(st.sampled_from(["A", "B", ""]), WRONG),
            "extensions": st.sampled_from([*WRONG_SHAPES, *PERSISTED]),
        },
    ),
)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(body=BODY_VALUES)
def test_any_json_body_gets_a_client_answer(hostile: Any, body: Any) -> None:
    hostile.post(json=body)


@pytest.mark.parametrize(
    "raw",
    [b"", b"{", b"null", b"42", b'"x"', b"[]", b"[1]", b"\xff\xfe", b'{"query": "\\ud800"}',
     b'{"query": "{ __typename }", "variables": {"a": 1e999}}',
     b'{"query": "{ __typename }", "variables": {"a": 123456789012345678901234567890}}'],
    ids=repr,
)  # fmt: skip
def test_any_raw_body_gets_a_client_answer(hostile: Any, raw: bytes) -> None:
    status, _ = hostile.post(content=raw, headers={"Content-Type": "application/json"})
    assert status in (200, 400)
