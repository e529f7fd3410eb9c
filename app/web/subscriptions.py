"""GraphQL subscriptions over WebSocket (graphql-transport-ws) at /graphql: the API key in
`connection_init` (browsers cannot set WebSocket headers), keep-alive pings, and errors
formatted as over HTTP (extensions.code; internal errors masked with a request id)."""

import asyncio
import contextlib
import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.types.execution import ExecutionResult, PreExecutionError
from strawberry.types.unset import UNSET, UnsetType

from app.graphql.context import Context
from app.graphql.errors import format_error
from app.graphql.loaders import Loaders, Reader
from app.live.hub import Hub
from app.web.auth import NO_ACCOUNT, Authenticator, token_from_headers

logger = logging.getLogger("switchboard.subscriptions")
CONNECTION_INIT_SECONDS = 10
MAX_PER_CONNECTION = 100


@dataclass
class LiveContext(Context):
    """A WebSocket connection's context: a query's, plus the hub and the key's id."""

    streams: bool = True
    hub: Hub | None = None
    authenticator: Authenticator | None = None
    key_id: int = 0
    connection_params: dict[str, Any] | None = None


def token_from_params(params: dict[str, Any]) -> str | None:
    """The key in connection_init's payload, written as headers would carry it or as `apiKey`."""
    lowered = {str(k).lower(): v for k, v in params.items() if isinstance(v, str)}
    headers = {name: lowered[name] for name in ("authorization", "x-api-key") if name in lowered}
    return token_from_headers(headers) or (lowered.get("apikey") or "").strip() or None  # type: ignore[arg-type]  # Strawberry's graphql-transport-ws handler types


class SwitchboardTransportWS(BaseGraphQLTransportWSHandler[LiveContext, None]):
    """Strawberry's graphql-transport-ws handler, plus pings and Switchboard's error format."""

    ping_task: asyncio.Task[None] | None = None

    async def handle_connection_init(self, message: Any) -> None:
        await super().handle_connection_init(message)
        if self.connection_acknowledged and self.ping_task is None:
            self.ping_task = asyncio.create_task(self._ping())

    async def _ping(self) -> None:
        """graphql-transport-ws keep-alive: the client answers each ping with a pong; the
        traffic keeps proxies from closing an idle connection."""
        interval = self.context.settings.ws_ping_seconds
        with contextlib.suppress(Exception):
            while True:
                await asyncio.sleep(interval)
                await self.send_message({"type": "ping"})

    async def shutdown(self) -> None:
        if self.ping_task is not None:
            self.ping_task.cancel()
        await super().shutdown()

    async def _send_result_stream(self, operation: Any, result_source: Any) -> None:
        """As Strawberry's, with errors formatted by app.graphql.errors.format_error."""
        request_id = self.context.request_id
        first = True
        async for result in result_source:
            errors = [format_error(e, request_id=request_id) for e in result.errors or ()]
            for error, original in zip(errors, result.errors or (), strict=True):
                if error["extensions"]["code"] == "INTERNAL_SERVER_ERROR":
                    logger.error("internal error in a subscription (request %s)", request_id,
                                 exc_info=original.original_error)  # fmt: skip
            if first and isinstance(result, PreExecutionError):
                await self._refuse(operation, result.errors[0], errors)  # type: ignore[index]  # Strawberry's graphql-transport-ws handler types
                return
            if not isinstance(result, ExecutionResult):
                await self._reject_incremental_delivery(operation)
                return
            payload: dict[str, Any] = {"data": result.data}
            if errors:
                payload["errors"] = errors
            await operation.send_operation_message(
                {"id": operation.id, "type": "next", "payload": payload}
            )
            first = False

    async def _refuse(self, operation: Any, error: GraphQLError, errors: list[Any]) -> None:
        if self._get_pre_execution_close_reason(error) is not None:
            await self._handle_pre_execution_error(operation, PreExecutionError(errors=[error]))  # type: ignore[call-arg]  # Strawberry's graphql-transport-ws handler types
            return
        await operation.send_operation_message(
            {"id": operation.id, "type": "error", "payload": errors}
        )


class SubscriptionView(GraphQL[LiveContext, None]):
    """The WebSocket side of /graphql; HTTP requests go to app.web.view.SwitchboardGraphQL."""

    graphql_transport_ws_handler_class = SwitchboardTransportWS

    def __init__(self, schema: Any) -> None:
        super().__init__(
            schema,
            graphql_ide=None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=timedelta(seconds=CONNECTION_INIT_SECONDS),
            # The limit that matters is per key (MAX_SUBSCRIPTIONS_PER_KEY, app.live.hub);
            # Strawberry's per connection stays as a backstop.
            max_subscriptions_per_connection=MAX_PER_CONNECTION,
        )

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> LiveContext:
        state = request.app.state
        reader = Reader(state.engine, NO_ACCOUNT)  # until connection_init names a key
        return LiveContext(
            settings=state.settings,
            reader=reader,
            loaders=Loaders(reader),
            now=state.clock,
            request_id=uuid.uuid4().hex,
            hub=state.live.hub,
            authenticator=state.authenticator,
        )

    async def on_ws_connect(self, context: LiveContext) -> UnsetType:
        """Accept the connection only with a live API key (then the key's account and scopes
        apply to every subscription on it); refused: close code 4403."""
        token = token_from_params(context.connection_params or {})
        assert context.authenticator is not None
        principal = await context.authenticator.principal(token)
        if principal is None:
            raise ConnectionRejectionError({"message": "Missing or invalid API key"})
        context.reader = Reader(context.reader.engine, principal.account_id)
        context.loaders = Loaders(context.reader)
        context.scopes = principal.scopes
        context.key_id = principal.key_id
        return UNSET  # type: ignore[no-any-return]  # Strawberry's graphql-transport-ws handler types
