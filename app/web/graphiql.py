"""GraphiQL, optionally opening with request headers already filled in (the demo key)."""

import json

from strawberry.http.ides import get_graphql_ide_html

HEADERS_STATE = "React.useState(parameters.headers)"


def graphiql_html(*, headers: dict[str, str] | None) -> str:
    """Strawberry's GraphiQL page; with `headers`, its headers editor starts with them."""
    html = get_graphql_ide_html("graphiql")
    if not headers:
        return html
    if HEADERS_STATE not in html:  # strawberry changed its template: fail loudly, not silently
        raise RuntimeError("cannot pre-fill GraphiQL headers: template changed")
    # json.dumps twice: a JS string literal holding the JSON text GraphiQL expects; "</" is
    # escaped so the value cannot close the <script> element.
    literal = json.dumps(json.dumps(headers, indent=2)).replace("</", "<\\/")
    return html.replace(HEADERS_STATE, f"React.useState(parameters.headers || {literal})")
