"""`switchboard serve`: the API under uvicorn, refusing a database whose schema is out of date."""

import argparse
import os
import sys

from app.core.settings import Settings


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    serve = sub.add_parser("serve", help="serve the GraphQL API with GraphiQL")
    serve.add_argument("--host", default=os.environ.get("HOST") or "127.0.0.1", help="($HOST)")
    serve.add_argument(
        "--port", type=int, default=int(os.environ.get("PORT") or 8000), help="($PORT, 8000)"
    )
    serve.add_argument("--log-level", default="info")
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes, each with its own connection pool (default 1)",
    )
    serve.add_argument(
        "--demo-key",
        action="store_true",
        help="mint a key for the default account and pre-fill it in GraphiQL (loopback only)",
    )
    serve.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the API under uvicorn; refuses a database whose schema is out of date."""
    import asyncio

    import uvicorn

    from app.core.db import create_engine
    from app.core.migrate import DatabaseOutOfDate, check_current
    from app.web.app import create_app

    async def check() -> None:
        engine = create_engine(settings)
        try:
            await check_current(engine, settings)
        finally:
            await engine.dispose()

    try:
        asyncio.run(check())
    except DatabaseOutOfDate as exc:
        print(f"switchboard: {exc}", file=sys.stderr)
        return 2
    from app.cli.keys import demo_key
    from app.web.logs import configure_logging

    configure_logging(args.log_level)
    headers = None
    if args.demo_key:
        token = demo_key(settings, host=args.host)
        headers = {"Authorization": f"Bearer {token}"}
        print(f"demo API key for account {settings.default_account}: {token}", flush=True)
    if args.workers > 1:
        from app.web.asgi import serve_workers

        print(
            f"GraphiQL on http://{args.host}:{args.port}/graphql ({args.workers} workers)",
            flush=True,
        )
        return serve_workers(
            settings=settings,
            host=args.host,
            port=args.port,
            workers=args.workers,
            log_level=args.log_level,
            ide_headers=headers,
        )
    print(f"GraphiQL on http://{args.host}:{args.port}/graphql", flush=True)
    app = create_app(settings, ide_headers=headers)
    # app.web.telemetry writes the access log (JSON, without query strings): not uvicorn's.
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, access_log=False)
    return 0
