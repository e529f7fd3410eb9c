"""A new document is parsed and validated once, on the preparing thread, not the event loop;
both read paths then share that parse and its validation."""

import threading
import uuid
from typing import Any

import pytest
from graphql import parse, validate
from starlette.testclient import TestClient

import app.graphql.limits as limits
import app.graphql.parsing as parsing


@pytest.fixture
def spied(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """The thread each parse and each validation of a document ran on."""
    seen: dict[str, list[str]] = {"parse": [], "validate": []}

    def parse_spy(*args: Any, **kwargs: Any) -> Any:
        seen["parse"].append(threading.current_thread().name)
        return parse(*args, **kwargs)

    def validate_spy(*args: Any, **kwargs: Any) -> Any:
        seen["validate"].append(threading.current_thread().name)
        return validate(*args, **kwargs)

    monkeypatch.setattr(parsing, "parse", parse_spy)
    monkeypatch.setattr(limits, "validate", validate_spy)
    return seen


def fresh(document: str) -> str:
    """The document with a field no other test selects (the validation cache compares
    documents by their syntax tree, which comments are not part of), so it misses every cache."""
    return document.replace("{", f"{{ u{uuid.uuid4().hex}: __typename ", 1)


@pytest.mark.parametrize(
    "document",
    [
        "{ calls(first: 1) { nodes { id } } }",  # the compiler answers it
        "{ __schema { queryType { name } } calls(first: 1) { totalCount } }",  # the general path
    ],
)
def test_a_new_document_is_parsed_and_validated_once_off_the_loop(
    client: TestClient, spied: dict[str, list[str]], document: str
) -> None:
    query = fresh(document)
    for _ in range(3):
        body = client.post("/graphql", json={"query": query}).json()
        assert "errors" not in body, body["errors"]

    assert len(spied["parse"]) == 1 and spied["parse"][0].startswith("sb-prepare"), spied
    assert len(spied["validate"]) == 1 and spied["validate"][0].startswith("sb-prepare"), spied


def test_a_document_refused_for_its_shape_is_never_validated(
    client: TestClient, spied: dict[str, list[str]]
) -> None:
    deep = "{ calls { nodes { " + "number { company { " * 8 + "name" + " } }" * 8 + " } } }"
    body = client.post("/graphql", json={"query": fresh(deep)}).json()

    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert spied["validate"] == [], "the shape check comes before validation"


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("{ calls { nodes { id }", "Syntax Error: Expected Name, found <EOF>."),
        (
            "{ " + "__typename " * 6000 + "}",
            "Syntax Error: Document contains more than 5000 tokens",
        ),
    ],
)
def test_a_document_that_does_not_parse_is_parsed_once_off_the_loop(
    client: TestClient, spied: dict[str, list[str]], document: str, expected: str
) -> None:
    query = fresh(document)
    for _ in range(2):
        body = client.post("/graphql", json={"query": query}).json()
        assert body["errors"][0]["message"].startswith(expected), body
        assert body["errors"][0]["locations"], body

    assert len(spied["parse"]) == 1 and spied["parse"][0].startswith("sb-prepare"), spied
