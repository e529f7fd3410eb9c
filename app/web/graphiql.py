"""GraphiQL from the package's own assets (no CDN), optionally opening with request headers
already filled in (the demo key)."""

import json
from pathlib import Path

PAGE = Path(__file__).with_name("graphiql.html")
# Served at ASSETS_URL: ide.js/ide.css and the pinned GraphiQL build in vendor/ (SOURCES.md
# there says where each file came from; scripts/vendor_graphiql rebuilds it).
ASSETS = Path(__file__).parent / "static" / "graphiql"
ASSETS_URL = "/static/graphiql"
CONFIG = "__CONFIG__"
# Everything from this origin; GraphiQL sets inline styles, and its fonts and icons are data: URLs.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
)


def graphiql_html(*, headers: dict[str, str] | None) -> str:
    """The GraphiQL page; with `headers`, its headers editor starts with them."""
    config = {"headers": json.dumps(headers, indent=2) if headers else None}
    # "</" is escaped so no value can close the <script> element ("<\/" is valid JSON).
    return PAGE.read_text().replace(CONFIG, json.dumps(config).replace("</", "<\\/"))
