"""GraphQL over HTTP: which media type a response is sent as, and which results are request errors.

The specification's two response types are `application/graphql-response+json` and
`application/json`. A client gets the former only when its Accept header names it (not through
`*/*` or `application/*`) at least as strongly as `application/json`; no Accept header, or a
wildcard, keeps `application/json`, which every client before the specification expects. An
Accept header that allows neither is answered 406."""

from typing import Any

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
_RANGES = {
    GRAPHQL_RESPONSE: (GRAPHQL_RESPONSE, "application/*", "*/*"),
    JSON: (JSON, "application/*", "*/*"),
}


def _quality(parameters: list[str]) -> float:
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                return min(max(float(value.strip()), 0.0), 1.0)
            except ValueError:
                return 0.0
    return 1.0


def _accepted(header: str) -> dict[str, float]:
    """Media range -> quality, as the Accept header lists them (the highest when repeated)."""
    ranges: dict[str, float] = {}
    for item in header.split(","):
        media, *parameters = item.split(";")
        media = media.strip().lower()
        if media:
            ranges[media] = max(ranges.get(media, 0.0), _quality(parameters))
    return ranges


def _quality_of(media_type: str, ranges: dict[str, float]) -> float:
    """The quality of the most specific range that matches `media_type` (0 when none does)."""
    return next((ranges[r] for r in _RANGES[media_type] if r in ranges), 0.0)


def negotiate(accept: str | None) -> str | None:
    """The media type to answer with, or None when the client accepts neither (406)."""
    if accept is None or not accept.strip():
        return JSON
    ranges = _accepted(accept)
    spec, legacy = _quality_of(GRAPHQL_RESPONSE, ranges), _quality_of(JSON, ranges)
    if GRAPHQL_RESPONSE in ranges and spec > 0 and spec >= legacy:
        return GRAPHQL_RESPONSE
    if legacy > 0:
        return JSON
    return GRAPHQL_RESPONSE if spec > 0 else None


def is_request_error(data: Any, errors: list[Any] | None) -> bool:
    """A result that never reached execution: no data, and no error points at a field (parse,
    validation, variable coercion, limits, an unknown operation or persisted query). Errors of
    execution always carry the path of their field."""
    return data is None and bool(errors) and all(e.path is None for e in errors or ())
