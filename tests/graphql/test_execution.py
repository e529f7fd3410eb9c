"""The fast executor gives exactly what Strawberry's general executor gives: the same data,
the same errors at the same paths, the same null propagation, for aliases, fragments,
directives and __typename."""

import asyncio
from datetime import timedelta
from typing import Any

import pytest
import strawberry
from sqlalchemy.ext.asyncio import AsyncConnection

from app.db import create_engine
from app.graphql.context import Context
from app.graphql.execution import FastExecutionContext
from app.graphql.loaders import Loaders, Reader
from app.graphql.schema import schema as fast_schema
from app.graphql.scopes import SCOPE_BY_TYPE
from app.ids import encode_global_id
from app.settings import Settings

import factories as f

general_schema = strawberry.Schema(
    query=fast_schema.query,
    config=fast_schema.config,
    extensions=fast_schema.extensions,
)
REFERENCE = (f.SHARED / "reference-queries.graphql").read_text()


async def seed(conn: AsyncConnection) -> dict[str, int]:
    account = await f.account(conn)
    company = await f.company(conn, account, "Acme", time_zone="Australia/Sydney")
    source = await f.source(conn, account, company, "Google")
    number = await f.number(
        conn,
        account,
        company,
        "+61298765432",
        source_id=source,
        has_voice=True,
        has_sms=True,
        vendors=["FONE_DYNAMICS", "CALLRAIL"],
    )
    caller = await f.caller(conn, account, "+61400111222")
    for index in range(6):
        await f.call(
            conn,
            account,
            company,
            f"CA{index}",
            number_id=number,
            caller_id=caller if index % 2 else None,
            prompt_keys="1,2" if index % 3 else None,
            started_at=f.UTC_2026 + timedelta(hours=index),
            is_first_call=index == 1,
            attribution_source="google",
        )
    await f.lead(conn, account, company, "L1", name="Dana", caller_id=caller, has_next_action=True)
    return {"account": account, "company": company, "number": number}


async def both(
    settings: Settings,
    document: str,
    variables: dict[str, Any],
    operation: str | None = None,
    scopes: frozenset[str] = frozenset(SCOPE_BY_TYPE.values()),
) -> list[Any]:
    """(data, errors) from each executor for the same document and database."""
    engine = create_engine(settings)
    results = []
    try:
        for schema in (general_schema, fast_schema):
            reader = Reader(engine, 1)
            context = Context(
                settings=settings,
                reader=reader,
                loaders=Loaders(reader),
                now=lambda: f.UTC_2026,
                request_id="test",
                scopes=scopes,
            )
            result = await schema.execute(
                document, variable_values=variables, context_value=context, operation_name=operation
            )
            errors = [error.formatted for error in result.errors or []]
            results.append((result.data, errors))
    finally:
        await engine.dispose()
    return results


DOCUMENTS = {
    "aliases": """{ a: calls(first: 3) { nodes { x: startedAt y: id z: promptKeys } }
                   b: calls(first: 2, orderBy: DURATION_ASC) { nodes { durationSeconds isFirstCall } } }""",
    "fragments": """fragment C on Call { id disposition number { ...N } }
                    fragment N on Number { e164 type capabilities vendors }
                    { calls(first: 4) { edges { cursor node { ...C ... on Call { __typename callerNumber } } } } }""",
    "directives": """query($with: Boolean!, $without: Boolean!) { calls(first: 3) { nodes {
                       id startedAt @include(if: $with) durationSeconds @skip(if: $without)
                       caller @include(if: $with) { e164 callCount } } } }""",
    "typename": """{ __typename calls(first: 2) { __typename pageInfo { __typename hasNextPage }
                   nodes { __typename attribution { __typename source } } } }""",
    "user_error": """{ calls(first: 2, after: "nope") { nodes { id } } ok: calls(first: 1) { nodes { id } } }""",
}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_documents_give_identical_results(settings: Settings, name: str) -> None:
    f.run_db(settings, seed)
    variables = {"with": True, "without": True} if name == "directives" else {}
    general, fast = asyncio.run(both(settings, DOCUMENTS[name], variables))
    assert fast == general
    assert fast[0] is not None


@pytest.mark.parametrize("operation", ["CallLog", "Numbers", "LeadGrid", "Company"])
def test_reference_documents_give_identical_results(settings: Settings, operation: str) -> None:
    pks = f.run_db(settings, seed)
    company = encode_global_id("Company", pks["company"])
    variables = {"company": company, "id": company}
    general, fast = asyncio.run(both(settings, REFERENCE, variables, operation))
    assert fast == general
    assert fast[1] == []


async def _corrupt(conn: AsyncConnection) -> None:
    from sqlalchemy import text

    await conn.execute(text("UPDATE call SET disposition = 'WEIRD' WHERE external_id = 'CA3'"))


def test_a_bad_value_in_a_non_null_leaf_errors_and_propagates_the_same_way(
    settings: Settings,
) -> None:
    f.run_db(settings, seed)
    f.run_db(settings, _corrupt)
    document = "{ calls(first: 6) { nodes { id disposition } } }"
    general, fast = asyncio.run(both(settings, document, {}))
    assert fast == general
    data, errors = fast
    assert data == {"calls": None}
    assert errors[0]["path"] == ["calls", "nodes", 2, "disposition"]


def test_the_served_schema_uses_the_fast_executor() -> None:
    assert fast_schema.execution_context_class is FastExecutionContext


def test_a_forbidden_relation_errors_alone_the_same_way(settings: Settings) -> None:
    f.run_db(settings, seed)
    document = (
        "{ calls(first: 3) { nodes { id caller { e164 } number { e164 source { name } } } } }"
    )
    without_numbers = frozenset(SCOPE_BY_TYPE.values()) - {"numbers:read"}
    general, fast = asyncio.run(both(settings, document, {}, scopes=without_numbers))
    assert fast == general
    data, errors = fast
    assert [node["number"] for node in data["calls"]["nodes"]] == [None, None, None]
    assert {error["message"] for error in errors} == {"this API key lacks the numbers:read scope"}
    assert [error["path"] for error in errors] == [
        ["calls", "nodes", i, "number"] for i in range(3)
    ]


async def _orphan(conn: AsyncConnection) -> None:
    from sqlalchemy import text

    await conn.execute(text("UPDATE call SET number_id = NULL WHERE external_id = 'CA4'"))


def test_null_relations_complete_the_same_way(settings: Settings) -> None:
    f.run_db(settings, seed)
    f.run_db(settings, _orphan)
    document = "{ calls { nodes { externalId number { e164 } caller { e164 callCount } } } }"
    general, fast = asyncio.run(both(settings, document, {}))
    assert fast == general
    nodes = {n["externalId"]: n for n in fast[0]["calls"]["nodes"]}
    assert nodes["CA4"]["number"] is None and nodes["CA2"]["caller"] is None
