"""Errors a client can act on carry extensions.code; anything else is masked."""

from typing import Any

from graphql import GraphQLError, ValueNode, VariableDefinitionNode


class UserInputError(Exception):
    """A value the client sent is wrong; the message names the field and the problem."""

    code = "BAD_USER_INPUT"


class ForbiddenError(Exception):
    code = "FORBIDDEN"


class QueryTooComplexError(Exception):
    code = "QUERY_TOO_COMPLEX"


CLIENT_ERRORS = (UserInputError, ForbiddenError, QueryTooComplexError)


def is_input_value_error(error: GraphQLError) -> bool:
    """A variable or literal could not be coerced to its type (a bad enum, DateTime, PhoneNumber).

    graphql-core keeps the scalar's own exception as `original_error`, so these are told apart
    from resolver failures by where they point: at a variable definition or an input value,
    before execution (no path)."""
    return error.path is None and any(
        isinstance(node, VariableDefinitionNode | ValueNode) for node in error.nodes or ()
    )


def is_token_limit_error(error: GraphQLError) -> bool:
    """graphql-core's parser reports the max_tokens cap as a syntax error; tell it by its text."""
    return error.original_error is None and "tokens. Parsing aborted." in error.message


def format_error(error: GraphQLError, *, request_id: str) -> dict[str, Any]:
    """The JSON for one error: client errors keep their message, internal ones are masked."""
    original = error.original_error
    if original is None or is_input_value_error(error):
        # Syntax, validation and variable-coercion errors: the client sent something wrong.
        formatted = error.formatted
        # Limits set their own code (QUERY_TOO_COMPLEX); everything else is bad input.
        code = "QUERY_TOO_COMPLEX" if is_token_limit_error(error) else "BAD_USER_INPUT"
        formatted["extensions"] = {"code": code, **(error.extensions or {})}
        return dict(formatted)
    if isinstance(original, CLIENT_ERRORS):
        formatted = error.formatted
        formatted["extensions"] = {"code": original.code}
        return dict(formatted)
    masked = GraphQLError("Internal server error", nodes=error.nodes, path=error.path).formatted
    masked["locations"] = error.formatted.get("locations", [])
    masked["extensions"] = {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
    return dict(masked)
