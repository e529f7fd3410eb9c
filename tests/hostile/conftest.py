"""One seeded database per module and backend for the hostile suite, served by two apps: the
compiled read path and the general executor alone, so every hostile request is checked on
both and their answers compared."""

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.testclient import TestClient

from app.core.ids import encode_global_id
from app.core.settings import Settings
from app.models import metadata
from app.web.app import create_app

import helpers.factories as f
from helpers.hostile import ALLOWED_CODES, ALLOWED_STATUSES

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@dataclass
class Seeded:
    token: str
    ids: dict[str, str]  # a real global ID of each type


async def _seed(conn: AsyncConnection) -> Seeded:
    if conn.dialect.name == "postgresql":  # the run's database, shared with other modules
        tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
        await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    account = await f.account(conn)
    company = await f.company(conn, account, "Harbour", time_zone="Australia/Sydney")
    source = await f.source(conn, account, company, "Google")
    number = await f.number(conn, account, company, "+61299990000", source_id=source)
    caller = await f.caller(conn, account, "+61400000001")
    call = await f.call(
        conn, account, company, "CA1", number_id=number, caller_id=caller, source_id=source
    )
    lead = await f.lead(conn, account, company, "L1", caller_id=caller, source_id=source)
    pks = {
        "Company": company,
        "Source": source,
        "Number": number,
        "Caller": caller,
        "Call": call,
        "Lead": lead,
    }
    ids = {name: encode_global_id(name, pk) for name, pk in pks.items()}
    return Seeded(await f.api_key(conn, account), ids)


@dataclass
class Hostile:
    """Both apps on one seeded database."""

    compiled: TestClient
    general: TestClient
    seeded: Seeded

    def post(self, **request: Any) -> tuple[int, Any]:
        """POST to both apps; check each answer is a client error or data and that both
        answer alike. Returns (status, body)."""
        answers = [_answer(client, request) for client in (self.compiled, self.general)]
        assert answers[0] == answers[1], (request, answers)
        return answers[0]

    def assert_healthy(self) -> None:
        for client in (self.compiled, self.general):
            response = client.get("/healthz")
            assert response.status_code == 200, response.text


def _answer(client: TestClient, request: dict[str, Any]) -> tuple[int, Any]:
    response = client.post("/graphql", **request)
    assert response.status_code in ALLOWED_STATUSES, (request, response.text[:500])
    body = response.json()
    assert isinstance(body, dict) and ("data" in body or "errors" in body), body
    for error in body.get("errors") or ():
        code = error.get("extensions", {}).get("code")
        assert code in ALLOWED_CODES, (request, error)
        error.get("extensions", {}).pop("requestId", None)
    return response.status_code, body


@pytest.fixture(scope="module", params=BACKENDS)
def hostile(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Hostile]:
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("hostile") / "hostile.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite+aiosqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_database")
    settings = Settings(database_url=url)
    seeded = f.run_db(settings, _seed)
    headers = {"Authorization": f"Bearer {seeded.token}"}
    compiled_app = create_app(settings)
    general_app = create_app(settings.model_copy(update={"compiled_reads": False}))
    with (
        TestClient(compiled_app, headers=headers) as compiled,
        TestClient(general_app, headers=headers) as general,
    ):
        found = Hostile(compiled, general, seeded)
        yield found
        found.assert_healthy()
