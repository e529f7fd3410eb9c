"""The HTTP floor: the floor's handlers behind a minimal Starlette app, so that the floor pays
for HTTP as the API does. POST /graphql takes the API's JSON body and answers the floor's bytes;
GET /healthz answers once the database pool is open.

    PYTHONPATH=scripts .venv/bin/python -m benchkit.floor_http --database-url URL --port 8001

(driver.floor_server starts it so, one uvicorn worker, on a free loopback port.)"""

import argparse
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .floor import Floor
from .queries import BENCH_COMPANY


def create_floor_app(url: str, *, account_id: int = 1, company_id: int = BENCH_COMPANY) -> Starlette:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.floor = await Floor.open(url, account_id=account_id, company_id=company_id)
        try:
            yield
        finally:
            await app.state.floor.close()

    async def graphql(request: Request) -> Response:
        body = orjson.loads(await request.body())
        return Response(await request.app.state.floor.answer(body), media_type="application/json")

    async def healthz(_request: Request) -> Response:
        return Response(b'{"status":"ok"}', media_type="application/json")

    return Starlette(lifespan=lifespan, routes=[
        Route("/graphql", graphql, methods=["POST"]), Route("/healthz", healthz),
    ])


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description="Serve the benchmark floor over HTTP.")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log-level", default="warning")
    args = parser.parse_args()
    # As `switchboard serve` runs the API: uvicorn's defaults (uvloop, httptools), one worker.
    uvicorn.run(create_floor_app(args.database_url), host="127.0.0.1", port=args.port, log_level=args.log_level)


if __name__ == "__main__":
    main()
