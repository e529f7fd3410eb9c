"""Every GraphQL example in README.md returns data on the demo dataset (seed 1, the one
`scripts/run` loads), on both read paths: no errors, and no list in the answer left empty."""

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from graphql import FragmentDefinitionNode, OperationDefinitionNode, OperationType, parse
from starlette.testclient import TestClient

from app.graphql.limits import SUBSCRIPTION_OVER_HTTP

from helpers.demo_db import BACKENDS, demo_clients
from helpers.differential.dataset import DEMO_TODAY

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCK = re.compile(r"```graphql\n(.*?)```", re.S)
VARIABLES = re.compile(r"with variables `(\{.*?\})`")


def examples() -> list[str]:
    return BLOCK.findall(README.read_text())


def readme_variables() -> dict[str, Any]:
    """The variables the README gives its examples (one set for all)."""
    found: dict[str, Any] = {}
    for given in VARIABLES.findall(README.read_text().replace("\n", " ")):
        found.update(json.loads(given))
    return found


def runnable(example: str) -> str:
    """The example as a request: a block of fragments is spread over a page of leads."""
    document = parse(example)
    if any(isinstance(d, OperationDefinitionNode) for d in document.definitions):
        return example
    names = [d for d in document.definitions if isinstance(d, FragmentDefinitionNode)]
    assert all(d.type_condition.name.value == "Lead" for d in names)
    spreads = " ".join(
        f"{d.name.value.lower()}: leads(first: 3) {{ nodes {{ ...{d.name.value} }} }}"
        for d in names
    )
    return f"{{ {spreads} }}\n{example}"


def is_subscription(document: str) -> bool:
    return any(
        isinstance(d, OperationDefinitionNode) and d.operation is OperationType.SUBSCRIPTION
        for d in parse(document).definitions
    )


def empty_lists(value: Any, path: str = "data") -> list[str]:
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in empty_lists(item, f"{path}.{key}")]
    if isinstance(value, list):
        if not value:
            return [path]
        return [p for i, item in enumerate(value[:1]) for p in empty_lists(item, f"{path}[{i}]")]
    return []


@pytest.fixture(scope="module", params=BACKENDS)
def clients(request: pytest.FixtureRequest) -> Iterator[dict[str, TestClient]]:
    with demo_clients(request, request.param, seed_value=1, calls=3000, today=DEMO_TODAY) as c:
        yield c


def test_the_readme_has_examples() -> None:
    assert len(examples()) >= 4
    assert readme_variables()


@pytest.mark.parametrize("index", range(len(examples())))
@pytest.mark.parametrize("path", ["compiled", "general"])
def test_each_readme_example_returns_data(
    clients: dict[str, TestClient], index: int, path: str
) -> None:
    document = runnable(examples()[index])
    variables = {
        name: value for name, value in readme_variables().items() if f"${name}" in document
    }
    body = clients[path].post("/graphql", json={"query": document, "variables": variables}).json()

    if is_subscription(document):  # valid here; tests/web/test_subscriptions.py streams them
        assert [e["message"] for e in body["errors"]] == [SUBSCRIPTION_OVER_HTTP]
        return
    assert "errors" not in body, body["errors"]
    assert body["data"] and not empty_lists(body["data"]), (document, empty_lists(body["data"]))
