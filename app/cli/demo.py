"""`switchboard demo`: seed the demo dataset, then say what was imported and where to look."""

import argparse
import asyncio
import os
import sys
import time
from datetime import UTC, date, datetime
from typing import TextIO

from app.cli.progress import track
from app.core.db import create_engine, create_session_factory
from app.core.migrate import check_current
from app.core.settings import Settings
from app.demo.plan import Batch, plan_demo
from app.demo.run import DemoReport, run_demo
from app.ingest import ImportSummary


async def seed_database(
    *, settings: Settings, account: str, calls: int, seed: int, today: date
) -> DemoReport:
    """Run the demo against settings' database, refusing one whose schema is out of date."""
    engine = create_engine(settings)
    try:
        await check_current(engine, settings)
        plan = plan_demo(seed=seed, calls=calls, today=today)
        with track(description="demo import", total=plan.records, unit="records") as progress:

            def on_page(batch: Batch, summary: ImportSummary) -> None:
                progress.advance(
                    summary.total,
                    created=summary.created,
                    updated=summary.updated,
                    unchanged=summary.unchanged,
                )

            return await run_demo(
                session_factory=create_session_factory(engine),
                account=account,
                plan=plan,
                on_page=on_page,
            )
    finally:
        await engine.dispose()


def summary_text(
    *,
    report: DemoReport,
    account: str,
    calls: int,
    seed: int,
    today: date,
    seconds: float,
    default_account: str,
    graphiql_url: str = "http://127.0.0.1:8000/graphql",
) -> str:
    """What the demo did, and a first query to paste into GraphiQL."""
    company = next(iter(report.companies.values()))
    # the IDE needs a key; `serve --demo-key` mints one, but only for the default account
    serve = (
        "switchboard serve --demo-key"
        if account == default_account
        else f"switchboard keys create --account {account}; switchboard serve"
    )
    lines = [
        f"demo data for account {account!r} (seed {seed}, {calls:,} calls over the 90 days "
        f"before {today.isoformat()} UTC) in {seconds:.1f}s",
        *(f"  {summary.line()}" for summary in report.summaries),
        "companies:",
        *(f"  {global_id}  {name}" for name, global_id in report.companies.items()),
        f"try it in GraphiQL (`{serve}`, then {graphiql_url}):",
        f'  {{ node(id: "{company}") {{ ... on Company {{ name timeZone '
        "calls(first: 5) { totalCount nodes { startedAt disposition durationSeconds } } } } }",
    ]
    return "\n".join(lines)


def graphiql_url() -> str:
    """Where `switchboard serve` will listen: HOST and PORT as scripts/run and serve read them."""
    return (
        f"http://{os.environ.get('HOST') or '127.0.0.1'}:{os.environ.get('PORT') or 8000}/graphql"
    )


def demo_command(
    *, settings: Settings, account: str, calls: int, seed: int, out: TextIO = sys.stdout
) -> int:
    """Seed, print the summary; exit status 1 when any record was rejected."""
    today = datetime.now(UTC).date()
    started = time.perf_counter()
    report = asyncio.run(
        seed_database(settings=settings, account=account, calls=calls, seed=seed, today=today)
    )
    seconds = time.perf_counter() - started
    print(
        summary_text(
            report=report,
            account=account,
            calls=calls,
            seed=seed,
            today=today,
            seconds=seconds,
            default_account=settings.default_account,
            graphiql_url=graphiql_url(),
        ),
        file=out,
    )
    return 1 if any(summary.rejected for summary in report.summaries) else 0


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    demo = sub.add_parser("demo", help="fill the database with demo data (idempotent)")
    demo.add_argument("--account", help="account to fill (default: DEFAULT_ACCOUNT, 'demo')")
    demo.add_argument("--calls", type=int, default=30_000, help="calls to generate (30,000)")
    demo.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")
    demo.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Fill the database with the deterministic demo dataset; rerunning it is safe."""
    from app.core.migrate import DatabaseOutOfDate

    try:
        return demo_command(
            settings=settings,
            account=args.account or settings.default_account,
            calls=args.calls,
            seed=args.seed,
        )
    except DatabaseOutOfDate as exc:
        print(f"switchboard: {exc}", file=sys.stderr)
        return 2
