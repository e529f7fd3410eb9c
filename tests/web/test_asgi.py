"""The factory worker processes use builds the app from the environment, demo key included."""

import pytest
from starlette.testclient import TestClient

from app.core.settings import Settings
from app.web.asgi import IDE_AUTHORIZATION, create_app_from_env


def test_workers_open_graphiql_with_the_demo_key(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv(IDE_AUTHORIZATION, "Bearer sb_demo_key")
    with TestClient(create_app_from_env()) as client:
        page = client.get("/graphql", headers={"Accept": "text/html"}).text
    assert "Bearer sb_demo_key" in page


def test_without_a_demo_key_graphiql_has_no_authorization(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.delenv(IDE_AUTHORIZATION, raising=False)
    with TestClient(create_app_from_env()) as client:
        page = client.get("/graphql", headers={"Accept": "text/html"}).text
    assert "Bearer" not in page
