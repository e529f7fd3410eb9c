"""create_app(settings) -> the Starlette app: /graphql (GraphiQL, POST, GET) and /healthz."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from app.accounts import AccountDirectory
from app.db import create_engine
from app.graphql.schema import schema
from app.graphql.view import SwitchboardGraphQL, utcnow
from app.migrate import check_current
from app.settings import Settings


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


def create_app(settings: Settings, *, clock: Callable[[], datetime] = utcnow) -> Starlette:
    """The app; its lifespan owns the engine and refuses an out-of-date database schema."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        engine = create_engine(settings)
        try:
            await check_current(engine, settings)
            app.state.engine = engine
            app.state.accounts = AccountDirectory(engine, settings.default_account)
            yield
        finally:
            await engine.dispose()

    graphql = SwitchboardGraphQL(schema, graphql_ide="graphiql" if settings.graphiql else None)
    app = Starlette(
        routes=[Route("/graphql", graphql, methods=["GET", "POST"]), Route("/healthz", healthz)],
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.clock = clock
    return app
