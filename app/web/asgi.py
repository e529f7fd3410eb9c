"""ASGI entry points for process managers: `uvicorn --factory app.web.asgi:create_app_from_env`,
and `switchboard serve --workers N`. Each worker process builds its own app and pool."""

import os

from starlette.applications import Starlette

from app.core.settings import Settings
from app.web.app import create_app

# Set by `serve --workers N --demo-key`: the Authorization header GraphiQL opens with.
IDE_AUTHORIZATION = "SWITCHBOARD_GRAPHIQL_AUTHORIZATION"


def create_app_from_env() -> Starlette:
    """The app configured from the environment (DATABASE_URL, DB_POOL_SIZE, ...)."""
    authorization = os.environ.get(IDE_AUTHORIZATION)
    headers = {"Authorization": authorization} if authorization else None
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
    """Serve with `workers` uvicorn processes sharing one socket."""
    import uvicorn

    os.environ["DATABASE_URL"] = settings.database_url  # so --database-url reaches the workers
    if ide_headers and "Authorization" in ide_headers:
        os.environ[IDE_AUTHORIZATION] = ide_headers["Authorization"]
    uvicorn.run(
        "app.web.asgi:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
    )
    return 0
