"""GraphiQL opens with the demo key already in its headers editor, only when asked to."""

import json
import re

from starlette.testclient import TestClient

from app.core.settings import Settings
from app.web.app import create_app
from app.web.graphiql import DEFAULT_DOCUMENT, graphiql_html

import helpers.factories as f

HTML = {"Accept": "text/html"}


def test_graphiql_opens_with_the_demo_key_in_its_headers(settings: Settings) -> None:
    headers = {"Authorization": "Bearer sb_demo_</script>"}
    with TestClient(create_app(settings, ide_headers=headers)) as client:
        page = client.get("/graphql", headers=HTML).text
    block = re.search(r'<script id="graphiql-config" type="application/json">(.*?)</script>', page)
    assert block is not None  # the value cannot close the script element early
    assert json.loads(json.loads(block.group(1))["headers"]) == headers


def test_graphiql_has_no_key_by_default(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        page = client.get("/graphql", headers=HTML).text
    assert page == graphiql_html(headers=None)
    assert "Bearer" not in page


def test_graphiql_opens_with_the_dashboard_document_which_runs(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        page = client.get("/graphql", headers=HTML).text
        key = f.run_db(settings, f.demo_key)
        body = client.post(
            "/graphql", json={"query": DEFAULT_DOCUMENT}, headers={"Authorization": f"Bearer {key}"}
        ).json()
    assert json.dumps(DEFAULT_DOCUMENT) in page
    assert "errors" not in body and body["data"]["callStats"]["totals"]["calls"] == 0
