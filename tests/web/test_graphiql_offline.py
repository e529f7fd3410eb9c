"""GraphiQL works offline: the page names only assets the app serves itself (the pinned build in
app/web/static/graphiql/vendor/, checked against its SOURCES.md), runs under a same-origin
Content-Security-Policy, and in headless chromium its docs panel lists Query's fields using the
demo key the page was opened with."""

import hashlib
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

from starlette.testclient import TestClient

from app.core.settings import Settings
from app.graphql.schema import schema
from app.web.app import create_app
from app.web.graphiql import ASSETS

from helpers.live_server import serving
from helpers.node_tools import chromium, node_tools

HTML = {"Accept": "text/html"}
TYPES = {".js": "text/javascript", ".css": "text/css"}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += [v for k, v in attrs if k in ("src", "href") and v is not None]


def links_of(page: str) -> list[str]:
    parser = _Links()
    parser.feed(page)
    return parser.links


def test_the_page_names_only_assets_the_app_serves(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        response = client.get("/graphql", headers=HTML)
        page = response.text
        assert "://" not in page  # no URL of another origin
        assets = [link for link in links_of(page) if not link.startswith("data:")]
        # graphiql's and the explorer's stylesheets, ide.css; react, react-dom, graphiql,
        # the explorer, ide.js
        assert len(assets) == 8
        assert not any(link.startswith("//") for link in assets)
        for link in assets:
            assert link.startswith("/static/graphiql/"), link
            asset = client.get(link)
            assert asset.status_code == 200, link
            assert asset.headers["content-type"].startswith(TYPES[Path(link).suffix]), link
            assert asset.content == (ASSETS / link.removeprefix("/static/graphiql/")).read_bytes()
            if link.endswith(".css"):  # fonts and icons are inline, nothing fetched from elsewhere
                urls = re.findall(r"url\(\s*['\"]?([^'\")]*)", asset.text)
                assert all(u.startswith("data:") for u in urls), link
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self';" in policy


def test_the_vendored_build_is_what_its_sources_say() -> None:
    sources = (ASSETS / "vendor" / "SOURCES.md").read_text()
    rows = re.findall(r"^\| ([\w.-]+\.(?:js|css)) \| (.+?) \| `([0-9a-f]{64})` \|$", sources, re.M)
    vendored = sorted(p.name for p in (ASSETS / "vendor").iterdir() if p.suffix in TYPES)
    assert sorted(name for name, _, _ in rows) == vendored
    for name, origin, digest in rows:
        assert hashlib.sha256((ASSETS / "vendor" / name).read_bytes()).hexdigest() == digest, name
        assert re.search(r"@\d+\.\d+\.\d+ ", origin), origin  # pinned versions


def test_the_assets_are_not_served_without_graphiql(settings: Settings) -> None:
    with TestClient(create_app(settings.model_copy(update={"graphiql": False}))) as client:
        assert client.get("/static/graphiql/ide.js").status_code == 404


def test_headless_chromium_shows_query_fields_in_the_docs_panel(
    tmp_path: Path, sqlite_template: Path
) -> None:
    """On SQLite only (the page is the same on both databases); `serve --demo-key` as
    scripts/run starts it: the docs panel can only list fields if the pre-filled key works."""
    browser, tools = chromium(), node_tools()
    shutil.copy(sqlite_template, tmp_path / "ide.db")
    with serving(f"sqlite+aiosqlite:///{tmp_path / 'ide.db'}", "--demo-key") as base:
        check = subprocess.run(
            ["node", "graphiql_check.mjs", f"{base}/graphql", "--chromium", browser],
            cwd=tools,
            capture_output=True,
            text=True,
            timeout=90,
        )
    assert check.returncode == 0, check.stdout + check.stderr
    report = json.loads(check.stdout.strip().splitlines()[-1])
    assert report["title"] == "Query"
    assert report["fields"] == list(schema._schema.query_type.fields)
    assert report["authorization"] is True  # the demo key, pre-filled in the headers editor
    assert "Show GraphiQL Explorer" in report["buttons"]  # the explorer plugin loaded
    assert report["foreign"] == [] and report["errors"] == [] and report["failed"] == []
