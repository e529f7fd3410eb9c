"""create_app(settings) -> the Starlette app: /graphql (GraphiQL, POST, GET, subscriptions over
WebSocket), / (to GraphiQL), /webhooks/..., /healthz and /metrics."""

import os
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from app.core.db import create_engine, create_session_factory
from app.core.migrate import check_current
from app.core.settings import Settings
from app.core.timeouts import install_statement_timeout
from app.graphql.compiler.sqlite_functions import install_sql_functions
from app.graphql.persisted import PersistedQueries
from app.graphql.schema import schema
from app.ingest.group import GroupCommit
from app.live.fanout import fanout_for
from app.web import tracing, webhooks
from app.web.auth import Authenticator
from app.web.body_limit import BodyLimitMiddleware
from app.web.graphiql import ASSETS, ASSETS_URL
from app.web.metrics import metrics_endpoint, unwatch_pool, watch_pool, worker_exited
from app.web.subscriptions import SubscriptionView
from app.web.telemetry import TelemetryMiddleware
from app.web.view import SwitchboardGraphQL, utcnow
from app.web.webhooks import WebhookTokens


async def healthz(request: Request) -> JSONResponse:
    """Reports whether the database answers."""
    try:
        async with request.app.state.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as exc:  # any failure means unreachable; say which
        return JSONResponse(
            {"status": "error", "database": "unreachable", "detail": type(exc).__name__},
            status_code=503,
        )
    return JSONResponse({"status": "ok", "database": "reachable"})


async def root(request: Request) -> RedirectResponse:
    """`/` leads to GraphiQL."""
    return RedirectResponse("/graphql", status_code=307)


def middleware(settings: Settings) -> list[Middleware]:
    """Telemetry around everything (metrics, access log, spans); CORS only for the configured
    origins (none: browsers on other origins are refused)."""
    span = tracing.request_spans() if settings.tracing else None
    stack = [
        Middleware(TelemetryMiddleware, span=span),
        Middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes),
    ]
    if settings.cors_origins:
        stack.insert(
            1,
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=["GET", "POST"],
                allow_headers=["Authorization", "X-API-Key", "Content-Type"],
                expose_headers=["X-Request-Id"],
                max_age=600,
            ),
        )
    return stack


def create_app(
    settings: Settings,
    *,
    clock: Callable[[], datetime] = utcnow,
    ide_headers: dict[str, str] | None = None,
) -> Starlette:
    """The app; its lifespan owns the engine and refuses an out-of-date database schema.

    `ide_headers` pre-fills GraphiQL's headers editor (the demo key of `serve --demo-key`)."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        engine = create_engine(settings)
        capacity = 0
        try:
            # Before the first connection, so every pooled connection has them.
            install_statement_timeout(engine, milliseconds=settings.statement_timeout_ms)
            install_sql_functions(engine)
            capacity = watch_pool(engine)
            await check_current(engine, settings)
            app.state.engine = engine
            app.state.session_factory = create_session_factory(engine)
            app.state.authenticator = Authenticator(engine, ttl=settings.api_key_cache_seconds)
            app.state.webhook_tokens = WebhookTokens(engine)
            app.state.imports = GroupCommit(
                app.state.session_factory,
                sqlite=settings.is_sqlite,
                turn_seconds=settings.import_turn_seconds,
                max_waiting=settings.max_queued_imports,
            )
            app.state.live = fanout_for(settings, engine)
            await app.state.live.start()
            try:
                yield
            finally:
                await app.state.live.stop()
        finally:
            await engine.dispose()
            unwatch_pool(capacity)
            worker_exited(os.getpid())

    schema.compiled_reads.cache_size = settings.compiled_plan_cache_size  # type: ignore[attr-defined]  # set on the schema by app.graphql.schema
    graphql = SwitchboardGraphQL(
        schema,
        graphql_ide=settings.graphiql,
        ide_headers=ide_headers,
        persisted=PersistedQueries(settings.persisted_query_cache_size),
    )
    tracing.configure_schema(schema, enabled=settings.tracing)
    subscriptions = SubscriptionView(schema)
    routes: list[BaseRoute] = [
        Route("/", root),
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", subscriptions),
        Route("/healthz", healthz),
        *webhooks.ROUTES,
    ]
    if settings.graphiql:  # GraphiQL's assets, served by the app itself (no CDN)
        routes.append(Mount(ASSETS_URL, app=StaticFiles(directory=ASSETS), name="graphiql"))
    if settings.metrics:
        routes.append(Route("/metrics", metrics_endpoint))
    app = Starlette(
        routes=routes,
        middleware=middleware(settings),
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.clock = clock
    app.state.company_zones = OrderedDict()  # the compiler's memory of company zones
    return app
