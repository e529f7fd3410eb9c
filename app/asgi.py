"""ASGI entry points for process managers: `uvicorn --factory app.asgi:create_app_from_env`,
and `switchboard serve --workers N`. Each worker process builds its own app and pool."""

import os

from starlette.applications import Starlette

from app.main import create_app
from app.settings import Settings


def create_app_from_env() -> Starlette:
    """The app configured from the environment (DATABASE_URL, DB_POOL_SIZE, ...)."""
    return create_app(Settings())


def serve_workers(*, settings: Settings, host: str, port: int, workers: int, log_level: str) -> int:
    """Serve with `workers` uvicorn processes sharing one socket."""
    import uvicorn

    os.environ["DATABASE_URL"] = settings.database_url  # so --database-url reaches the workers
    uvicorn.run(
        "app.asgi:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
    )
    return 0
