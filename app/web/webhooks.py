"""Webhook ingest: `POST /webhooks/{token}` (the token names account, vendor and resource) and
`POST /webhooks/{vendor}/{resource}` with an `ingest:write` API key, each body a vendor payload
exactly as the vendor documents it, imported by the same pipeline as files (one transaction,
idempotent, rejects naming record and field); the answer is the import's summary."""

import logging
import uuid
from collections import OrderedDict
from typing import Any

import orjson
from sqlalchemy import exc as sa_exc
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.core.api_keys import INGEST_SCOPE, hash_token
from app.core.timeouts import is_statement_timeout
from app.core.webhooks import Endpoint, find_endpoint, prefix_of
from app.ingest.group import ImportBusy
from app.ingest.summary import ImportSummary
from app.models import Account
from app.vendors.base import PayloadError
from app.vendors.registry import parse_vendor, resource_spec
from app.web.auth import token_from_headers
from app.web.body_limit import BodyTooLarge
from app.web.view import error_response

logger = logging.getLogger("switchboard.webhooks")
NEGATIVE_CACHE_SIZE = 10_000


class WebhookTokens:
    """Webhook tokens to endpoints. A malformed token never reaches the database, nor does a
    well-formed one already found unknown or revoked (remembered in a bounded negative cache:
    a token that was refused never becomes valid). Live tokens are looked up on every request,
    so a revocation bites at once; the import costs far more than that one indexed read."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._refused: OrderedDict[str, None] = OrderedDict()

    async def endpoint(self, token: str) -> Endpoint | None:
        if prefix_of(token) is None:
            return None
        digest = hash_token(token)
        if digest in self._refused:
            self._refused.move_to_end(digest)
            return None
        async with self.engine.connect() as conn:
            found = await find_endpoint(conn, token=token)
        if found is None:
            self._refused[digest] = None
            while len(self._refused) > NEGATIVE_CACHE_SIZE:
                self._refused.popitem(last=False)
        return found


async def by_token(request: Request) -> Response:
    """A vendor's POST to the URL `switchboard webhooks create` printed."""
    request_id = uuid.uuid4().hex
    endpoint = await request.app.state.webhook_tokens.endpoint(request.path_params["token"])
    if endpoint is None:
        message = "Unknown or revoked webhook token: create one with `switchboard webhooks create`"
        return error_response(401, message, "UNAUTHENTICATED", request_id)
    return await _ingest(request, endpoint, request_id)


async def by_api_key(request: Request) -> Response:
    """A POST with an `ingest:write` API key; `?company=` as `switchboard import --company`."""
    request_id = uuid.uuid4().hex
    token = token_from_headers(request.headers)
    principal = await request.app.state.authenticator.principal(token)
    if principal is None:
        problem = "Invalid API key" if token else "Missing API key"
        message = f"{problem}: send Authorization: Bearer <key> or X-API-Key: <key>"
        return error_response(401, message, "UNAUTHENTICATED", request_id)
    if INGEST_SCOPE not in principal.scopes:
        message = f"this API key lacks the {INGEST_SCOPE} scope"
        return error_response(403, message, "FORBIDDEN", request_id)
    try:
        vendor = parse_vendor(request.path_params["vendor"])
        resource_spec(vendor=vendor, resource=request.path_params["resource"])
    except (ValueError, PayloadError) as exc:
        return error_response(404, str(exc), "BAD_USER_INPUT", request_id)
    account = await _account_name(request.app.state.engine, principal.account_id)
    endpoint = Endpoint(
        endpoint_id=0,
        account=account,
        vendor=vendor,
        resource=request.path_params["resource"],
        company=request.query_params.get("company") or None,
    )
    return await _ingest(request, endpoint, request_id)


async def _account_name(engine: AsyncEngine, account_id: int) -> str:
    table = Account.__table__
    async with engine.connect() as conn:
        found = await conn.execute(select(table.c.name).where(table.c.id == account_id))
        return str(found.scalar_one())


async def _ingest(request: Request, endpoint: Endpoint, request_id: str) -> Response:
    """Parse the body, import it in one transaction, tell this process's subscribers."""
    try:
        payload = orjson.loads(await request.body())
    except BodyTooLarge:
        raise  # BodyLimitMiddleware answers 413
    except orjson.JSONDecodeError as exc:
        return error_response(400, f"body is not JSON: {exc}", "BAD_USER_INPUT", request_id)
    state = request.app.state
    try:
        summary = await state.imports.submit(
            account=endpoint.account,
            vendor=endpoint.vendor,
            resource=endpoint.resource,
            payload=payload,
            company=endpoint.company,
        )
    except PayloadError as exc:
        return error_response(400, str(exc), "BAD_USER_INPUT", request_id)
    except ImportBusy as exc:
        return busy_response(str(exc), exc.retry_after, request_id)
    except Exception as exc:
        if _overloaded(exc):
            message = f"the database is too busy ({_overload_reason(exc)}): nothing was stored"
            return busy_response(message, ImportBusy.retry_after, request_id)
        logger.exception("webhook import failed (request %s)", request_id)
        message = "Internal server error: nothing was stored"
        return error_response(500, message, "INTERNAL_SERVER_ERROR", request_id)
    if summary.change is not None:
        state.live.committed(summary.change)
    return JSONResponse(summary_json(summary), headers={"x-request-id": request_id})


def busy_response(message: str, retry_after: int, request_id: str) -> Response:
    """503 with Retry-After: the import was not done for load, and may be sent again as is."""
    response = error_response(503, message, "SERVICE_UNAVAILABLE", request_id)
    response.headers["retry-after"] = str(retry_after)
    response.headers["x-request-id"] = request_id
    return response


def _overloaded(error: BaseException) -> bool:
    """Failures of load rather than of the request: no pooled connection free in time, a
    statement past STATEMENT_TIMEOUT_MS (the transaction rolled back)."""
    return isinstance(error, sa_exc.TimeoutError) or is_statement_timeout(error)


def _overload_reason(error: BaseException) -> str:
    if isinstance(error, sa_exc.TimeoutError):
        return "no database connection free in time"
    return "a statement ran past STATEMENT_TIMEOUT_MS"


def summary_json(summary: ImportSummary) -> dict[str, Any]:
    """The summary as `switchboard import` reports it, with each reject's record and reason."""
    return {
        "resource": summary.resource,
        "created": summary.created,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "rejected": summary.rejected,
        "rejects": [
            {"position": r.position, "externalId": r.external_id, "reason": r.reason}
            for r in summary.rejects
        ],
    }


ROUTES = [
    Route("/webhooks/{token}", by_token, methods=["POST"]),
    Route("/webhooks/{vendor}/{resource}", by_api_key, methods=["POST"]),
]
