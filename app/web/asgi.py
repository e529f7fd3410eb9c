"""ASGI entry points for process managers: `uvicorn --factory app.web.asgi:create_app_from_env`,
and `switchboard serve --workers N`. Each worker process builds its own app and pool; the
workers of `serve --workers N` share a Prometheus multiprocess directory, so /metrics on any of
them reports them all."""

import os

from starlette.applications import Starlette

from app.core.settings import Settings
from app.web.app import create_app
from app.web.logs import configure_logging
from app.web.metrics import MULTIPROC_ENV, remove_directory, shared_directory

# Set by `serve --workers N --demo-key`: the Authorization header GraphiQL opens with.
IDE_AUTHORIZATION = "SWITCHBOARD_GRAPHIQL_AUTHORIZATION"
LOG_LEVEL = "SWITCHBOARD_LOG_LEVEL"


def create_app_from_env() -> Starlette:
    """The app configured from the environment (DATABASE_URL, DB_POOL_SIZE, ...)."""
    authorization = os.environ.get(IDE_AUTHORIZATION)
    headers = {"Authorization": authorization} if authorization else None
    if os.environ.get(LOG_LEVEL):  # a worker of `serve --workers N`: log as serve does
        configure_logging(os.environ[LOG_LEVEL])
    return create_app(Settings(), ide_headers=headers)


def serve_workers(
    *,
    settings: Settings,
    host: str,
    port: int,
    workers: int,
    log_level: str,
    ide_headers: dict[str, str] | None = None,
) -> int:
    """Serve with `workers` uvicorn processes sharing one socket (and one metrics directory,
    set in the environment before they start: prometheus_client reads it at import)."""
    import uvicorn

    os.environ["DATABASE_URL"] = settings.database_url  # so --database-url reaches the workers
    os.environ[LOG_LEVEL] = log_level
    if ide_headers and "Authorization" in ide_headers:
        os.environ[IDE_AUTHORIZATION] = ide_headers["Authorization"]
    directory, created = shared_directory()
    os.environ[MULTIPROC_ENV] = directory
    try:
        uvicorn.run(
            "app.web.asgi:create_app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level=log_level,
            access_log=False,  # app.web.telemetry logs each request, without its query string
        )
    finally:
        if created:
            remove_directory(directory)
    return 0
