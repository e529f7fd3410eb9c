"""The Strawberry ASGI view: API-key authentication, per-request context, and error
formatting with request ids (the same id is in the response, its header and the server log)."""

import logging
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from cross_web import HTTPException
from graphql import ExecutionResult, GraphQLError
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.types import ExecutionResult as StrawberryExecutionResult

from app.core.timeouts import is_statement_timeout
from app.graphql.context import Context
from app.graphql.errors import (
    CLIENT_ERRORS,
    QueryTooComplexError,
    format_error,
    is_input_value_error,
)
from app.graphql.loaders import Loaders, Reader
from app.graphql.parsing import prepare_off_the_loop
from app.graphql.persisted import PersistedQueries, PersistedQueryError
from app.web.auth import NO_ACCOUNT, token_from_headers
from app.web.body_limit import BodyTooLarge
from app.web.graphiql import CONTENT_SECURITY_POLICY, graphiql_html
from app.web.media import GRAPHQL_RESPONSE, JSON, is_request_error, negotiate

logger = logging.getLogger("switchboard.graphql")
# Which path answered a request (compiled or general): for tests, benchmarks and operators.
READ_PATH = "x-read-path"


@dataclass(frozen=True)
class CompiledContext:
    """What a compiled read needs of the request: whose data, which scopes, what time."""

    account_id: int
    scopes: frozenset[str]
    now: Callable[[], datetime]
    company_zones: OrderedDict[Any, Any]  # the app's memory of companies' zones and regions


def utcnow() -> datetime:
    return datetime.now(UTC)


def error_response(
    status: int, message: str, code: str, request_id: str, media_type: str = JSON
) -> JSONResponse:
    """A GraphQL-shaped error body for failures outside execution (401, 400, 405, 406, 500)."""
    extensions = {"code": code, "requestId": request_id}
    return JSONResponse(
        {"errors": [{"message": message, "extensions": extensions}]},
        status_code=status,
        media_type=media_type,
    )


class SwitchboardGraphQL(GraphQL[Context, None]):
    """Authenticates every operation; masks internal errors and logs them with a request id."""

    def __init__(
        self,
        schema: Any,
        *,
        graphql_ide: bool,
        ide_headers: dict[str, str] | None,
        persisted: PersistedQueries,
    ) -> None:
        super().__init__(schema, graphql_ide="graphiql" if graphql_ide else None)
        self.ide_html = graphiql_html(headers=ide_headers)
        self.persisted = persisted

    def should_render_graphql_ide(self, request: Any) -> bool:
        """A GET naming a persisted query (no `query` param) is an operation, not a browser."""
        return super().should_render_graphql_ide(request) and (
            request.query_params.get("extensions") is None
        )

    async def execute_single(
        self,
        request: Any,
        request_adapter: Any,
        sub_response: Any,
        context: Any,
        root_value: Any,
        request_data: GraphQLRequestData,
    ) -> Any:
        """Fill in (or remember) persisted queries before running the operation."""
        try:
            request_data = self.persisted.resolve(request_data)
        except PersistedQueryError as exc:
            error = GraphQLError(str(exc), extensions={"code": exc.code})
            return StrawberryExecutionResult(data=None, errors=[error])
        return await super().execute_single(
            request, request_adapter, sub_response, context, root_value, request_data
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # no subscriptions: refuse WebSockets outright
            await WebSocket(scope, receive, send).close(code=1008)
            return
        request = Request(scope, receive)
        request_id = request.state.request_id = uuid.uuid4().hex
        try:
            response = await self.respond(request)
        except BodyTooLarge:
            raise  # BodyLimitMiddleware answers 413
        except ClientDisconnect:  # the client went away mid-request: nobody to answer
            logger.info(
                "client disconnected (request %s)", request_id, extra={"request_id": request_id}
            )
            return
        except Exception:
            logger.exception(
                "unhandled error (request %s)", request_id, extra={"request_id": request_id}
            )
            response = error_response(
                500, "Internal server error", "INTERNAL_SERVER_ERROR", request_id
            )
        response.headers["x-request-id"] = request_id
        response.headers.setdefault(READ_PATH, "general")
        await response(scope, receive, send)

    async def respond(self, request: Request) -> Response:
        """The IDE page needs no key; every operation does (401 before any query work).
        Operations are answered in the media type the Accept header asks for (media.py)."""
        request_id = request.state.request_id
        media = request.state.media_type = JSON
        if not self.should_render_graphql_ide(self.request_adapter_class(request)):
            negotiated = negotiate(request.headers.get("accept"))
            if negotiated is None:
                message = f"Not acceptable: this endpoint answers {GRAPHQL_RESPONSE} or {JSON}"
                return error_response(406, message, "BAD_USER_INPUT", request_id)
            media = request.state.media_type = negotiated
            token = token_from_headers(request.headers)
            principal = await request.app.state.authenticator.principal(token)
            if principal is None:
                problem = "Invalid API key" if token else "Missing API key"
                message = f"{problem}: send Authorization: Bearer <key> or X-API-Key: <key>"
                return error_response(401, message, "UNAUTHENTICATED", request_id, media)
            request.state.principal = principal
            problem = await _body_problem(request)  # type: ignore[assignment]  # Strawberry's view types
            if problem is not None:
                return error_response(400, problem, "BAD_USER_INPUT", request_id)
            body = await _operation_body(request)
            await prepare_off_the_loop(self.schema._schema, body, request.app.state.settings)
            compiled = await self.compiled(request, principal)
            if compiled is not None:
                return Response(compiled, media_type=media, headers={READ_PATH: "compiled"})
        try:
            response = await self.run(request)
        except HTTPException as exc:  # strawberry's 400/404/405 (e.g. a mutation over GET)
            return error_response(exc.status_code, exc.reason, "BAD_USER_INPUT", request_id, media)
        return _as_negotiated(response, request)

    async def compiled(self, request: Request, principal: Any) -> bytes | None:
        """The compiled read path's answer, or None for the general executor."""
        state = request.app.state
        if not state.settings.compiled_reads:
            return None
        body = await _operation_body(request)
        if body is None:
            return None
        if body.get("extensions") is not None:
            body = self._persisted_body(body)
            if body is None:
                return None
        reads = self.schema.compiled_reads  # type: ignore[attr-defined]
        context = CompiledContext(
            principal.account_id, principal.scopes, state.clock, state.company_zones
        )
        return await reads.respond(  # type: ignore[no-any-return]
            body, context=context, engine=state.engine, settings=state.settings
        )

    def _persisted_body(self, body: dict[str, Any]) -> dict[str, Any] | None:
        """The body with its persisted query filled in (or remembered); None when the
        extensions hold anything else or the persisted query is an error to report."""
        extensions = body["extensions"]
        if not isinstance(extensions, dict) or set(extensions) != {"persistedQuery"}:
            return None
        query = body.get("query")
        request = GraphQLRequestData(
            query=query if isinstance(query, str) else None,
            variables=None,
            operation_name=None,
            extensions=extensions,
        )
        try:
            resolved = self.persisted.resolve(request)
        except PersistedQueryError:
            return None
        return {**body, "query": resolved.query, "extensions": None}

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(
            self.ide_html, headers={"content-security-policy": CONTENT_SECURITY_POLICY}
        )

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        state = request.app.state
        principal = getattr(request.state, "principal", None)
        # Only the IDE page gets here without a principal; it runs no query, and NO_ACCOUNT
        # with no scopes could read nothing if it did.
        reader = Reader(state.engine, principal.account_id if principal else NO_ACCOUNT)
        return Context(
            settings=state.settings,
            reader=reader,
            loaders=Loaders(reader),
            now=state.clock,
            request_id=request.state.request_id,
            scopes=principal.scopes if principal else frozenset(),
        )

    async def process_result(
        self,
        request: Request,
        result: ExecutionResult,  # type: ignore[override]  # Strawberry's view types
    ) -> GraphQLHTTPResponse:
        request_id = getattr(request.state, "request_id", "-")
        data: GraphQLHTTPResponse = {"data": result.data}
        request.state.request_error = is_request_error(result.data, result.errors)
        if request.state.request_error and request.state.media_type == GRAPHQL_RESPONSE:
            del data["data"]  # a request error has no data entry (GraphQL over HTTP)
        if result.errors:
            errors = [
                _timeout_as_client_error(e, request.app.state.settings) for e in result.errors
            ]
            for error in errors:
                original = error.original_error
                if (
                    original is not None
                    and not isinstance(original, CLIENT_ERRORS)
                    and not is_input_value_error(error)
                ):
                    logger.error(
                        "internal error in %s (request %s)",
                        ".".join(map(str, error.path or [])),
                        request_id,
                        exc_info=original,
                        extra={"request_id": request_id},
                    )
            data["errors"] = [format_error(e, request_id=request_id) for e in errors]
        if result.extensions:
            data["extensions"] = result.extensions
        return data

    def decode_json(self, data: str | bytes) -> Any:
        return orjson.loads(data)


def _as_negotiated(response: Response, request: Request) -> Response:
    """The executor's response in the negotiated media type; with
    application/graphql-response+json a request error is 400 (application/json keeps 200)."""
    if isinstance(response, HTMLResponse):  # the IDE page
        return response
    media = request.state.media_type
    response.headers["content-type"] = media
    if media == GRAPHQL_RESPONSE and getattr(request.state, "request_error", False):
        response.status_code = 400
    return response


def _is_json(request: Request) -> bool:
    return request.headers.get("content-type", "").split(";")[0].strip() == "application/json"


async def _body_problem(request: Request) -> str | None:
    """What is wrong with a JSON POST body that is valid JSON but not one operation (an
    object): None when it is an object, or not JSON at all (strawberry reports that)."""
    if request.method != "POST" or not _is_json(request):
        return None
    decoded = await _decoded_body(request)
    if decoded is _NOT_JSON or isinstance(decoded, dict):
        return None
    if isinstance(decoded, list):
        return "batched requests are not supported: send one operation as a JSON object"
    kind = "null" if decoded is None else type(decoded).__name__
    return f'the request body must be a JSON object such as {{"query": "..."}}, not {kind}'


async def _operation_body(request: Request) -> dict[str, Any] | None:
    """The operation a POST (application/json) or GET request names, as a JSON body would."""
    if request.method == "GET":
        params = request.query_params
        body: dict[str, Any] = {
            "query": params.get("query"),
            "operationName": params.get("operationName"),
        }
        try:
            for name in ("variables", "extensions"):
                if params.get(name):
                    body[name] = orjson.loads(params[name])
        except orjson.JSONDecodeError:
            return None
        return body
    if not _is_json(request):
        return None
    decoded = await _decoded_body(request)
    return decoded if isinstance(decoded, dict) else None


_NOT_JSON = object()


async def _decoded_body(request: Request) -> Any:
    """The JSON POST body, decoded once per request (_NOT_JSON when it is not JSON)."""
    if not hasattr(request.state, "decoded_body"):
        try:
            request.state.decoded_body = orjson.loads(await request.body())
        except orjson.JSONDecodeError:
            request.state.decoded_body = _NOT_JSON
    return request.state.decoded_body


def _timeout_as_client_error(error: GraphQLError, settings: Any) -> GraphQLError:
    """A statement cut off by the timeout is the query's cost, not a server fault."""
    if not is_statement_timeout(error.original_error):
        return error
    message = f"the query ran past the {settings.statement_timeout_ms} ms statement timeout"
    return GraphQLError(
        message, nodes=error.nodes, path=error.path, original_error=QueryTooComplexError(message)
    )
