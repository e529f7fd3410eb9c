"""Errors a client can act on carry extensions.code; anything else is masked."""

from typing import Any

from graphql import GraphQLError


class UserInputError(Exception):
    """A value the client sent is wrong; the message names the field and the problem."""

    code = "BAD_USER_INPUT"


class ForbiddenError(Exception):
    code = "FORBIDDEN"


class QueryTooComplexError(Exception):
    code = "QUERY_TOO_COMPLEX"


CLIENT_ERRORS = (UserInputError, ForbiddenError, QueryTooComplexError)


def format_error(error: GraphQLError, *, request_id: str) -> dict[str, Any]:
    """The JSON for one error: client errors keep their message, internal ones are masked."""
    original = error.original_error
    if original is None:
        # Syntax, validation and variable-coercion errors: the client sent something wrong.
        formatted = error.formatted
        formatted["extensions"] = {**(error.extensions or {}), "code": "BAD_USER_INPUT"}
        return dict(formatted)
    if isinstance(original, CLIENT_ERRORS):
        formatted = error.formatted
        formatted["extensions"] = {"code": original.code}
        return dict(formatted)
    masked = GraphQLError(
        "Internal server error", nodes=error.nodes, path=error.path
    ).formatted
    masked["locations"] = error.formatted.get("locations", [])
    masked["extensions"] = {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
    return dict(masked)
