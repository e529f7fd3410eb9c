"""The HTTP surface: GraphiQL for browsers, JSON for POST and GET, /healthz."""

from starlette.testclient import TestClient

from app.core.settings import Settings
from app.web.app import create_app

import helpers.factories as f


def test_healthz_reports_the_database_reachable(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "reachable"}


def test_graphiql_is_served_to_a_browser(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        response = client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


def bearer(settings: Settings) -> dict[str, str]:
    return {"Authorization": f"Bearer {f.run_db(settings, f.demo_key)}"}


def test_queries_run_over_get(settings: Settings) -> None:
    with TestClient(create_app(settings), headers=bearer(settings)) as client:
        response = client.get("/graphql", params={"query": "{ calls(first: 1) { totalCount } }"})
    assert response.status_code == 200
    assert response.json() == {"data": {"calls": {"totalCount": 0}}}


def test_syntax_errors_are_bad_user_input(settings: Settings) -> None:
    with TestClient(create_app(settings), headers=bearer(settings)) as client:
        body = client.post("/graphql", json={"query": "{ calls(first: 1) { "}).json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
