"""GraphiQL from the package's own assets (no CDN), opening with a dashboard document and,
optionally, request headers already filled in (the demo key)."""

import json
from pathlib import Path

PAGE = Path(__file__).with_name("graphiql.html")
# Served at ASSETS_URL: ide.js/ide.css and the pinned GraphiQL build in vendor/ (SOURCES.md
# there says where each file came from; scripts/vendor_graphiql rebuilds it).
ASSETS = Path(__file__).parent / "static" / "graphiql"
ASSETS_URL = "/static/graphiql"
CONFIG = "__CONFIG__"
# The document GraphiQL opens with (until the user has tabs of their own): a dashboard, Q7 of
# the reference documents, for any company.
DEFAULT_DOCUMENT = """# A daily dashboard: last month's calls in the company's own time zone (put one of your
# company IDs in the filter), split by disposition. Try groupBy: [SOURCE, ATTRIBUTION_CAMPAIGN],
# interval: HOUR, or leadStats { ... } beside it.
query DailyDashboard {
  companies(first: 1) { nodes { id name timeZone } }
  callStats(filter: { startedAt: { label: LAST_MONTH } }, interval: DAY, groupBy: [DISPOSITION]) {
    timeZone
    totals { calls answered missed firstTimeCallers averageDurationSeconds answerRate distinctCallers }
    rows { disposition bucket { start from to } metrics { calls totalDurationSeconds } }
  }
}
"""
# Everything from this origin; GraphiQL sets inline styles, and its fonts and icons are data: URLs.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
)


def graphiql_html(*, headers: dict[str, str] | None) -> str:
    """The GraphiQL page; with `headers`, its headers editor starts with them."""
    config = {
        "headers": json.dumps(headers, indent=2) if headers else None,
        "query": DEFAULT_DOCUMENT,
    }
    # "</" is escaped so no value can close the <script> element ("<\/" is valid JSON).
    return PAGE.read_text().replace(CONFIG, json.dumps(config).replace("</", "<\\/"))
