"""The Strawberry ASGI view: per-request context, and error formatting with request ids."""

import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from graphql import ExecutionResult
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse

from app.graphql.context import Context
from app.graphql.errors import CLIENT_ERRORS, format_error
from app.graphql.loaders import Loaders, Reader

logger = logging.getLogger("switchboard.graphql")


def utcnow() -> datetime:
    return datetime.now(UTC)


class SwitchboardGraphQL(GraphQL[Context, None]):
    """Builds the Context from app state; masks internal errors and logs them with a request id."""

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        state = request.app.state
        request_id = uuid.uuid4().hex
        request.state.request_id = request_id
        reader = Reader(state.engine, await state.accounts.default_account_id())
        return Context(
            settings=state.settings,
            reader=reader,
            loaders=Loaders(reader),
            now=state.clock,
            request_id=request_id,
        )

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        request_id = getattr(request.state, "request_id", "-")
        data: GraphQLHTTPResponse = {"data": result.data}
        if result.errors:
            for error in result.errors:
                original = error.original_error
                if original is not None and not isinstance(original, CLIENT_ERRORS):
                    logger.error(
                        "internal error in %s (request %s)",
                        ".".join(map(str, error.path or [])),
                        request_id,
                        exc_info=original,
                        extra={"request_id": request_id},
                    )
            data["errors"] = [format_error(e, request_id=request_id) for e in result.errors]
        if result.extensions:
            data["extensions"] = result.extensions
        return data

    def decode_json(self, data: str | bytes) -> Any:
        import orjson

        return orjson.loads(data)
