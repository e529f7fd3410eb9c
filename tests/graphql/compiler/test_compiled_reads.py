"""Differential test of the read-path compiler: every generated document gets the same answer
(status, data, errors) from an app with `compiled_reads=True` as from one with
`compiled_reads=False`, Strawberry's general executor, which is the reference semantics.

The documents are generated from the schema (differential_documents.py) and filled from the
dataset: the demo import (real vendor payloads through the import path) plus factory rows that
give every column a value somewhere and a null somewhere, another account's rows, and an
account whose rows hold values the API cannot serve. Time is frozen, the same for both apps, so
date labels resolve alike."""

import asyncio
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import Boolean, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.testclient import TestClient

from app.core.db import create_engine
from app.core.migrate import upgrade
from app.core.settings import Settings
from app.graphql.schema import schema
from app.web.app import create_app

import helpers.factories as f
from helpers.differential.checks import Answer, Case, compare, normalize, run_cases, send
from helpers.differential.dataset import TABLES, frozen_clock, read_dataset, seed_demo, seed_rows
from helpers.differential.documents import (
    Dataset,
    Documents,
    filter_inputs,
    object_fields,
    selected_fields,
)

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")  # as tests/conftest.py reads it
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])
FAMILIES = (
    "shapes",
    "paging",
    "nested-paging",
    "filters",
    "nested-filters",
    "nodes",
    "documents",
    "bad-inputs",
    "scopes",
    "stats",
)
# The least share of each family's documents the compiler must answer itself (measured, then
# rounded down; a family well under its share means the compiler lost ground).
MIN_COMPILED = {
    "shapes": 0.7,
    "paging": 0.95,
    "nested-paging": 0.95,
    "filters": 0.8,
    "nested-filters": 0.4,
    "nodes": 0.8,
    "documents": 0.85,
    "bad-inputs": 0.0,  # every one is refused: the general path reports it
    "scopes": 0.3,  # refused fields under lists are the general path's
    "stats": 0.75,  # root stats compile; stats under a parent's rows are the general path's
}


async def _on_server(url: str, statement: str) -> None:
    engine = create_engine(Settings(database_url=url))
    try:
        async with engine.connect() as conn:
            await (await conn.execution_options(isolation_level="AUTOCOMMIT")).execute(
                text(statement)
            )
    finally:
        await engine.dispose()


@pytest.fixture(scope="module", params=BACKENDS)
def differential_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database of this module's own (other tests truncate the shared PostgreSQL one)."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("differential") / "differential.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    assert POSTGRES_URL
    server = Settings(database_url=POSTGRES_URL).database_url
    name = f"sb_diff_{uuid.uuid4().hex[:12]}"
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    asyncio.run(_on_server(server, f'CREATE DATABASE "{name}"'))
    try:
        upgrade(Settings(database_url=url))
        yield url
    finally:
        asyncio.run(_on_server(server, f'DROP DATABASE "{name}" WITH (FORCE)'))


@dataclass
class Differential:
    reference: TestClient
    compiled: TestClient
    headers: dict[str, dict[str, str]]
    data: Dataset
    documents: Documents
    settings: Settings


@pytest.fixture(scope="module")
def differential(differential_url: str) -> Iterator[Differential]:
    """The dataset, and an app on it per setting of compiled_reads, with the same frozen clock."""
    settings = Settings(database_url=differential_url)
    asyncio.run(seed_demo(settings))
    seeded = f.run_db(settings, seed_rows)
    data = f.run_db(settings, read_dataset(seeded))
    headers = {key: {"Authorization": f"Bearer {token}"} for key, token in seeded.tokens.items()}
    headers |= {"none": {}, "bogus": {"Authorization": "Bearer sb_bogus0000_notakey"}}
    compiled_app = create_app(
        settings.model_copy(update={"compiled_reads": True}), clock=frozen_clock
    )
    reference_app = create_app(
        settings.model_copy(update={"compiled_reads": False}), clock=frozen_clock
    )
    with TestClient(reference_app) as reference, TestClient(compiled_app) as compiled:
        yield Differential(
            reference, compiled, headers, data, Documents(schema._schema, data), settings
        )


# --- the tests ------------------------------------------------------------------------------


@pytest.mark.parametrize("family", FAMILIES)
def test_compiled_reads_answer_every_document_as_the_reference_executor(
    differential: Differential, family: str
) -> None:
    cases = differential.documents.families()[family]()
    report = run_cases(
        reference=differential.reference,
        compiled=differential.compiled,
        headers=differential.headers,
        cases=cases,
    )
    assert not report.failures, report.message()
    assert report.sent >= len(cases) > 10
    # A comparison the compiler never took part in proves nothing: each family must be mostly
    # compiled, except bad inputs (all refused, so all the general path's) and GET/persisted.
    print(f"{family}: {report.compiled} of {report.sent} compiled")
    assert report.compiled >= MIN_COMPILED[family] * report.sent, (family, report.compiled)


def test_the_two_apps_differ_in_compiled_reads_only(differential: Differential) -> None:
    compiled = differential.compiled.app.state.settings  # type: ignore[attr-defined]
    reference = differential.reference.app.state.settings  # type: ignore[attr-defined]
    assert (compiled.compiled_reads, reference.compiled_reads) == (True, False)
    assert compiled.model_dump(exclude={"compiled_reads"}) == reference.model_dump(
        exclude={"compiled_reads"}
    )


def test_the_generated_documents_cover_the_schema(differential: Differential) -> None:
    documents = differential.documents
    queries = [
        case.query for family in documents.families().values() for case in family() if case.query
    ]
    graphql_schema = schema._schema
    unselected = object_fields(graphql_schema) - selected_fields(graphql_schema, queries)
    unselected = {(t, name) for t, name in unselected if not name.startswith("__")}
    assert not unselected, f"no generated document selects {sorted(unselected)}"
    assert not filter_inputs(graphql_schema) - documents.used_inputs


def test_the_dataset_has_values_and_nulls_in_every_column(differential: Differential) -> None:
    async def gaps(conn: AsyncConnection) -> list[str]:
        account = await f.account(conn)
        found = []
        for model in TABLES.values():
            table = model.__table__
            for column in table.columns:
                if column.name in ("id", "account_id"):
                    continue
                counts = select(func.count(column), func.count()).where(
                    table.c.account_id == account
                )
                present, rows = (await conn.execute(counts)).one()
                if present == 0:
                    found.append(f"{table.name}.{column.name} is never set")
                if column.nullable and present == rows:
                    found.append(f"{table.name}.{column.name} is never null")
                if isinstance(column.type, Boolean):
                    kinds = select(func.count(func.distinct(column))).where(
                        table.c.account_id == account
                    )
                    if (await conn.execute(kinds)).scalar() != 2:
                        found.append(f"{table.name}.{column.name} is not both true and false")
        return found

    assert f.run_db(differential.settings, gaps) == []


class _Tampered:
    """A client whose answers are the real client's, changed by `change` (a compiler bug)."""

    def __init__(self, client: TestClient, change: Any) -> None:
        self.client, self.change = client, change

    def post(self, url: str, **kwargs: Any) -> Any:
        response = self.client.post(url, **kwargs)
        return _Response(*self.change(response.status_code, response.json()))

    get = post


@dataclass
class _Response:
    status_code: int
    body: Any
    text: str = ""
    headers: dict[str, str] = field(default_factory=lambda: {"x-read-path": "compiled"})

    def json(self) -> Any:
        return self.body


def test_the_comparison_finds_a_changed_answer(differential: Differential) -> None:
    """The comparison must fail when the compiled answer differs: a test that cannot fail
    would pass however broken the compiler is."""
    case = Case(
        "self-check",
        "{ calls(first: 3, orderBy: DURATION_DESC) { totalCount nodes { id durationSeconds "
        "attribution { source } } } bad: calls(first: -1) { totalCount } }",
    )
    headers = differential.headers["full"]
    real = send(differential.reference, case, headers)
    again = send(differential.compiled, case, headers)
    assert real.body["data"]["calls"]["totalCount"] > 3 and real.body["errors"]
    assert compare(real, again) is None

    body = real.body
    node = body["data"]["calls"]["nodes"][1]
    changed = {
        "value": {
            **body,
            "data": {**body["data"], "calls": {**body["data"]["calls"], "totalCount": 0}},
        },
        "order": {**body, "data": dict(reversed(list(body["data"].items())))},
        "item": _replace_node(body, {**node, "durationSeconds": node["durationSeconds"] + 1}),
        "key-order": _replace_node(body, dict(reversed(list(node.items())))),
        "float-for-int": _replace_node(
            body, {**node, "durationSeconds": float(node["durationSeconds"])}
        ),
        "error": {**body, "errors": [{**body["errors"][0], "message": "something else"}]},
        "no-errors": {k: v for k, v in body.items() if k != "errors"},
    }
    where = {
        "value": "$.data.calls.totalCount",
        "order": "$.data: keys",
        "item": "$.data.calls.nodes[1].durationSeconds",
        "key-order": "$.data.calls.nodes[1]: keys",
        "float-for-int": "$.data.calls.nodes[1].durationSeconds",
        "error": "$.errors[0].message",
        "no-errors": "$: keys",
    }
    for name, wrong in changed.items():
        found = compare(real, Answer(real.status, wrong))
        assert found is not None and where[name] in found, (name, found)
    assert compare(real, Answer(400, real.body)) == "HTTP status 200 (reference) != 400 (compiled)"

    # Request ids and the order of errors are not part of the answer.
    errors = [{"message": "b", "extensions": {"code": "X", "requestId": "1"}}, {"message": "a"}]
    shuffled = [{"message": "a"}, {"message": "b", "extensions": {"code": "X", "requestId": "2"}}]
    assert (
        compare(
            Answer(200, normalize({"errors": errors})), Answer(200, normalize({"errors": shuffled}))
        )
        is None
    )

    # And the runner reports a tampered answer with its document and the path.
    tampered = _Tampered(
        differential.compiled,
        lambda status, b: (
            status,
            _replace_node(
                normalize(b), {**normalize(b)["data"]["calls"]["nodes"][1], "durationSeconds": -1}
            ),
        ),
    )
    report = run_cases(
        reference=differential.reference,
        compiled=tampered,  # type: ignore[arg-type]
        headers=differential.headers,
        cases=[case],
    )
    assert report.sent == 1 and len(report.failures) == 1
    assert (
        case.query in report.failures[0]
        and "$.data.calls.nodes[1].durationSeconds" in report.failures[0]
    )


def _replace_node(body: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    calls = body["data"]["calls"]
    nodes = [*calls["nodes"][:1], node, *calls["nodes"][2:]]
    return {**body, "data": {**body["data"], "calls": {**calls, "nodes": nodes}}}
