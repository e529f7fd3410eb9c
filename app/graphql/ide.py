"""GraphiQL, optionally opening with request headers already filled in (the demo key)."""

import json

from strawberry.http.ides import get_graphql_ide_html

HEADERS_STATE = "React.useState(parameters.headers)"
QUERY_STATE = "parameters.q || EXAMPLE_QUERY"
# The document GraphiQL opens with: a dashboard (Q7 of the reference documents, for any company).
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


def graphiql_html(*, headers: dict[str, str] | None) -> str:
    """Strawberry's GraphiQL page; with `headers`, its headers editor starts with them."""
    html = get_graphql_ide_html("graphiql")
    if QUERY_STATE in html:  # an older template without it keeps its own example
        html = html.replace(QUERY_STATE, f"parameters.q || {_script_literal(DEFAULT_DOCUMENT)}")
    if not headers:
        return html
    if HEADERS_STATE not in html:  # strawberry changed its template: fail loudly, not silently
        raise RuntimeError("cannot pre-fill GraphiQL headers: template changed")
    # json.dumps twice: a JS string literal holding the JSON text GraphiQL expects; "</" is
    # escaped so the value cannot close the <script> element.
    literal = _script_literal(json.dumps(headers, indent=2))
    return html.replace(HEADERS_STATE, f"React.useState(parameters.headers || {literal})")


def _script_literal(text: str) -> str:
    """A JS string literal inside <script>: "</" escaped so it cannot close the element."""
    return json.dumps(text).replace("</", "<\\/")
