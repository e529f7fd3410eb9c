"""Benchmark: import N Fone Dynamics calls into a fresh database (SQLite by default) and report calls/s.

    .venv/bin/python scripts/bench_import.py --calls 1000000
    .venv/bin/python scripts/bench_import.py --calls 100000 \
        --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/sb_import   # an empty one

Pages are generated (deterministically from --seed) and written to files, one per page, before
the clock starts; the clock covers what `switchboard import FILE...` does with them
(app.ingest.files.import_files): reading and parsing each file, validation (in a worker process
when it chooses one, see --workers), phone parsing, caller/number/source resolution, upsert,
first-call flags, and the WAL checkpoint it ends with. It also reports calls per CPU second of
this process and its workers, the steadier figure on a shared machine.
"""

import argparse
import asyncio
import io
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import orjson

from app.cli.output import ImportPrinter
from app.cli.progress import track
from app.core.migrate import upgrade_async
from app.core.settings import Settings
from app.ingest.files import ImportJob, import_files, worker_count
from app.models.enums import Vendor

PROPERTIES = ["PR" + f"{i:032x}" for i in (0xA11CE, 0xB0B, 0xCAFE)]
DISPOSITIONS = ["Answered"] * 6 + ["NoAnswer", "Busy", "IVR", "Failed"]
SOURCES = ["google", "facebook", "bing", "yellow-pages", "direct", None]
YEAR = 365 * 24 * 3600
START = 1_704_067_200  # 2024-01-01T00:00:00Z


def pages(*, calls: int, page_size: int, callers: int, seed: int) -> Iterator[bytes]:
    """Fone Dynamics calls pages as the API returns them (earliest to latest within a page,
    pages overlapping in time so some calls arrive out of order)."""
    rng = random.Random(seed)
    tracking = [f"+6129{n:07d}" for n in range(300)]
    for start in range(0, calls, page_size):
        count = min(page_size, calls - start)
        base = START + (start * YEAR) // calls
        times = sorted(base + rng.randrange(YEAR // 50) for _ in range(count))
        page = [
            _call(rng, index=start + i, when=times[i], tracking=tracking, callers=callers)
            for i in range(count)
        ]
        yield orjson.dumps(page)


def _call(rng: random.Random, *, index: int, when: int, tracking: list[str], callers: int) -> dict:
    caller = rng.randrange(callers)
    source = rng.choice(SOURCES)
    return {
        "CallSid": f"CA{index:032x}",
        "PropertySid": PROPERTIES[caller % len(PROPERTIES)],
        "DateTime": str(when),
        "From": "anonymous" if rng.random() < 0.05 else f"+614{caller:08d}",
        "From_CountryCode": "AU",
        "From_Region": "NSW",
        "From_City": "Sydney",
        "To": rng.choice(tracking),
        "To_Friendly": "Sydney office",
        "Duration": rng.randrange(600),
        "Disposition": rng.choice(DISPOSITIONS),
        "Recording_Uri": f"https://api.fonedynamics.com/v2/Recordings/CA{index:032x}.mp3",
        "Endpoint": "+61298765432",
        "Attribution_Source": source,
        "Attribution_Medium": "cpc" if source else None,
        "Attribution_Campaign": "spring-sale" if source else None,
        "Attribution_Content": None,
        "Session_Traffic_Type": rng.choice(["Campaign", "Direct", "Organic", None]),
        "Session_Keywords": "plumber near me",
        "Session_ConversionUri": "/contact-us",
        "Session_LandingUri": "https://example.com.au/",
        "Survey_Type": None,
        "Survey_Value": None,
        "Survey_Custom1": None,
        "Survey_Custom2": None,
        "Survey_Custom3": None,
        "Survey_UniqueCode": None,
        "Prompts_Keys": rng.choice([None, "1", "1,2"]),
        "Notes": None,
        "CallType": None,
        "Google_Analytics_ClientId": None,
        "Google_Adwords_ClickId": None,
    }


async def bench(args: argparse.Namespace, database: Path, folder: Path) -> None:
    settings = Settings(database_url=args.database_url or f"sqlite+aiosqlite:///{database}")
    await upgrade_async(settings)
    files = []
    for number, body in enumerate(
        pages(calls=args.calls, page_size=args.page_size, callers=args.callers, seed=args.seed)
    ):
        files.append(folder / f"calls-{number:05d}.json")
        files[-1].write_bytes(body)
    job = ImportJob(
        vendor=Vendor.FONE_DYNAMICS, resource="calls", files=files, account="bench", company=None,
        workers=args.workers, bulk=args.bulk,
    )  # fmt: skip
    workers = worker_count(job)
    started, cpu = time.perf_counter(), _cpu_seconds()
    with track(description="import calls", stream=sys.stderr) as progress:
        events = ImportPrinter(progress=progress, out=io.StringIO(), err=sys.stderr)
        result = await import_files(settings=settings, job=job, events=events)
    importing = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu  # this process (Python and SQLite's thread) and the workers
    if result.failed:
        raise SystemExit(f"import failed: {result.error or events.out.getvalue()}")
    print(
        f"calls: {args.calls:,} in {len(files):,} files of {args.page_size:,}; "
        f"{args.callers:,} distinct callers; {workers} worker process(es)"
    )
    print(result.total.line())
    print(f"import time {importing:.1f} s -> {args.calls / importing:,.0f} calls/s")
    # On a shared machine the CPU time spent importing is the steadier figure.
    print(f"import CPU time {cpu:.1f} s -> {args.calls / cpu:,.0f} calls per CPU second")


def _cpu_seconds() -> float:
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(used.ru_utime + used.ru_stime for used in usage)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--page-size", type=int, default=10_000)
    parser.add_argument("--callers", type=int, default=250_000, help="distinct caller numbers")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", type=Path, help="SQLite file (default: a temporary one)")
    parser.add_argument(
        "--database-url", help="another database instead, e.g. an empty PostgreSQL database"
    )
    parser.add_argument(
        "--workers", type=int, help="as `switchboard import --workers` (default: its choice)"
    )
    parser.add_argument(
        "--bulk", action=argparse.BooleanOptionalAction,
        help="as `switchboard import --bulk` (default: its choice)",
    )  # fmt: skip
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        database = args.database or Path(tmp) / "bench.db"
        database.unlink(missing_ok=True)
        asyncio.run(bench(args, database, Path(tmp)))


if __name__ == "__main__":
    main()
