"""A deterministic benchmark dataset: companies, sources, numbers, callers, calls and leads.

Rows are generated from a seed as tuples in table-column order, then bulk loaded: COPY on
PostgreSQL (asyncpg's copy_records_to_table), Core executemany on SQLite. Secondary indexes are
dropped for the load and rebuilt after it, then the database is analyzed. Calls are generated in
time order (ids grow with started_at) and carry is_first_call per (company, caller)."""

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Table, insert, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.core.db import create_engine
from app.core.migrate import upgrade_async
from app.core.settings import Settings
from app.models import Account, Call, Caller, Company, CompanyLink, Lead, Number, NumberLink, Source

CHUNK = 20_000
BENCH_DIR = Path("var") / "bench"
MAX_AGE = timedelta(hours=24)  # dates are relative to generation (THIS_WEEK, last 90 days)
DAYS = 90
ZONES = [
    ("Australia/Sydney", "AU"), ("America/New_York", "US"), ("America/Chicago", "US"),
    ("America/Los_Angeles", "US"), ("Australia/Melbourne", "AU"), ("Europe/London", "GB"),
    ("America/Denver", "US"), ("Australia/Brisbane", "AU"), ("America/Phoenix", "US"),
    ("Pacific/Auckland", "NZ"),
]
SOURCE_NAMES = ["Google Ads", "Facebook", "Bing Ads", "Direct", "Yellow Pages"]
TRACKING = ["SOURCE", "SESSION", "ATTRIBUTION", "SOURCE", "TRAFFIC_SOURCE"]
VENDORS = ["CALLRAIL", "FONE_DYNAMICS", "BUTTER", "TRACKDRIVE"]
DISPOSITIONS = ["ANSWERED"] * 12 + ["IVR"] * 2 + ["NO_ANSWER"] * 3 + ["BUSY"] * 2 + ["FAILED"]
ATTRIBUTION = [
    ("google", "cpc", "brand", "ad-1"), ("google", "cpc", "generic", "ad-2"),
    ("google", "cpc", "emergency", None), ("facebook", "paid-social", "spring", None),
    ("bing", "cpc", "brand", None), ("google", "organic", None, None), (None, None, None, None),
]
PROMPTS = [None, None, None, "1", "2", "1,2", "1,3", "2,1", "3"]
CITIES = [None, "Sydney", "Parramatta", "Melbourne", "Chicago", "Austin", "Denver", "London"]
LEAD_STATUSES = [("new", "New"), ("contacted", "Contacted"), ("qualified", "Qualified"),
                 ("sold", "Sold"), ("dead", "Dead")]


@dataclass(frozen=True)
class Scale:
    """How much data to generate, and from which seed."""

    calls: int = 1_000_000
    leads: int = 100_000
    numbers: int = 5_000
    companies: int = 20
    seed: int = 1

    @property
    def key(self) -> str:
        """Names the dataset: one cached database per key."""
        return f"c{self.calls}_l{self.leads}_n{self.numbers}_k{self.companies}_s{self.seed}"

    @property
    def callers(self) -> int:
        return max(self.calls // 3, 100)


@dataclass
class World:
    """What later rows refer to: per-company sources and numbers, number attributes."""

    now: datetime
    company_weights: list[float]
    sources_of: list[list[int]]
    number_company: list[int]
    number_source: list[int | None]
    numbers_of: list[list[int]]
    number_e164: list[str]


def table(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


def columns(model: Any) -> list[str]:
    return [c.name for c in table(model).columns]


def _row(model: Any, values: dict[str, Any]) -> tuple[Any, ...]:
    """A full-width tuple in column order; unset columns are NULL."""
    return tuple(values.get(name) for name in columns(model))


def base_rows(scale: Scale, rng: random.Random, now: datetime) -> tuple[dict[Any, list], World]:
    """The account, companies, sources, numbers (with vendor links) and callers."""
    created = now - timedelta(days=DAYS + 30)
    rows: dict[Any, list] = {Account: [_row(Account, {"id": 1, "name": "demo", "created_at": created})]}
    companies, company_links, sources, weights, sources_of = [], [], [], [], []
    for i in range(scale.companies):
        zone, region = ZONES[i % len(ZONES)]
        name = "Harbour Plumbing" if i == 0 else f"Company {i:02d}"
        companies.append(_row(Company, {
            "id": i + 1, "account_id": 1, "vendor": VENDORS[i % 3], "external_id": f"CO{i + 1:05d}",
            "name": name, "named_by": "VENDOR", "time_zone": zone, "default_region": region,
            "created_at": created,
        }))
        company_links.append(_row(CompanyLink, {  # its own vendor id, as imports link it
            "id": i + 1, "account_id": 1, "company_id": i + 1, "vendor": VENDORS[i % 3],
            "external_id": f"CO{i + 1:05d}",
        }))
        # The first company (Sydney) is the call log's: a fifth of all numbers and calls.
        weights.append(max(scale.companies - 1, 1) / 4 if i == 0 else 1.0)
        own = []
        for j, source_name in enumerate(SOURCE_NAMES):
            pk = len(sources) + 1
            own.append(pk)
            sources.append(_row(Source, {
                "id": pk, "account_id": 1, "company_id": i + 1, "vendor": "CALLRAIL",
                "external_id": f"SRC{pk:06d}", "name": source_name, "tracking_type": TRACKING[j],
                "created_at": created, "disabled_at": created if j == 4 and i % 2 else None,
            }))
        sources_of.append(own)
    rows[Company], rows[CompanyLink], rows[Source] = companies, company_links, sources
    numbers, links = [], []
    world = World(now, weights, sources_of, [], [], [[] for _ in companies], [])
    for k in range(scale.numbers):
        company = rng.choices(range(scale.companies), weights)[0]
        zone, region = ZONES[company % len(ZONES)]
        e164 = f"+6128{k:07d}" if region in ("AU", "NZ") else f"+1{312 + k % 7 * 101}{k:07d}"
        source = rng.choice(sources_of[company]) if rng.random() < 0.85 else None
        world.number_company.append(company + 1)
        world.number_source.append(source)
        world.numbers_of[company].append(k + 1)
        world.number_e164.append(e164)
        numbers.append(_row(Number, {
            "id": k + 1, "account_id": 1, "company_id": company + 1, "source_id": source,
            "e164": e164, "is_valid": True,
            "number_type": rng.choice(["LOCAL"] * 7 + ["TOLL_FREE"] * 2 + ["MOBILE"]),
            "friendly_name": f"Line {k + 1}" if rng.random() < 0.8 else None,
            "has_voice": rng.random() < 0.95, "has_sms": rng.random() < 0.6,
            "has_mms": rng.random() < 0.2, "status": rng.choice(["ACTIVE", "ACTIVE", "PENDING", None]),
            "provider": rng.choice(["twilio", "sip", None]), "assigned": rng.choice([True, False, None]),
            "keyword_pool": False, "country_code": region, "created_at": created, "updated_at": created,
        }))
        for vendor in sorted(rng.sample(VENDORS[:3], rng.choice([1, 1, 2]))):
            links.append(_row(NumberLink, {
                "id": len(links) + 1, "account_id": 1, "number_id": k + 1, "vendor": vendor,
                "external_id": f"{vendor}:{e164}",
            }))
    rows[Number], rows[NumberLink] = numbers, links
    rows[Caller] = [
        _row(Caller, {"id": c + 1, "account_id": 1, "e164": f"+6149{c:07d}" if c % 2 else f"+1555{c:07d}",
                      "is_valid": True, "created_at": created})
        for c in range(scale.callers)
    ]
    return rows, world


def _caller(rng: random.Random, callers: int) -> int | None:
    """Heavy-tailed repeats: half the calls from anyone, half from a small, skewed pool."""
    roll = rng.random()
    if roll < 0.04:
        return None  # anonymous
    if roll < 0.52:
        return rng.randrange(callers) + 1
    return int((callers // 10 or 1) * rng.random() ** 1.5) + 1


def call_rows(scale: Scale, rng: random.Random, world: World) -> Iterator[list[tuple[Any, ...]]]:
    """Calls in chunks, oldest first, over the DAYS before `world.now`."""
    span = DAYS * 86_400
    offsets = sorted(rng.randrange(1, span) for _ in range(scale.calls))
    seen: set[tuple[int, int]] = set()
    chunk: list[tuple[Any, ...]] = []
    start = world.now - timedelta(seconds=span)
    for index, offset in enumerate(offsets):
        pk = index + 1
        company = rng.choices(range(scale.companies), world.company_weights)[0]
        numbers = world.numbers_of[company]
        number = rng.choice(numbers) if numbers else None
        caller = _caller(rng, scale.callers)
        first = caller is not None and (company, caller) not in seen
        if first:
            seen.add((company, caller))  # type: ignore[arg-type]
        disposition = rng.choice(DISPOSITIONS)
        attribution = rng.choice(ATTRIBUTION)
        answered = disposition == "ANSWERED"
        no_number = number is None or rng.random() < 0.01
        chunk.append(_row(Call, {
            "id": pk, "account_id": 1, "company_id": company + 1,
            "number_id": None if no_number else number,
            "source_id": None if number is None else world.number_source[number - 1],
            "caller_id": caller, "vendor": "FONE_DYNAMICS", "external_id": f"CA{pk:012d}",
            "started_at": start + timedelta(seconds=offset),
            "duration_seconds": rng.randrange(20, 900) if answered else 0,
            "disposition": disposition, "is_first_call": first,
            "caller_raw": "anonymous" if caller is None else None,
            "caller_city": rng.choice(CITIES),
            "dialled_e164": None if number is None else world.number_e164[number - 1],
            "recording_url": f"https://rec.example.com/{pk}.mp3" if answered and pk % 3 else None,
            "attribution_source": attribution[0], "attribution_medium": attribution[1],
            "attribution_campaign": attribution[2], "attribution_content": attribution[3],
            "prompt_keys": rng.choice(PROMPTS),
        }))
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def lead_rows(scale: Scale, rng: random.Random, world: World) -> list[tuple[Any, ...]]:
    """Leads over the last DAYS; a fifth have a next action within the coming month."""
    rows = []
    for index in range(scale.leads):
        pk = index + 1
        company = rng.choices(range(scale.companies), world.company_weights)[0]
        created = world.now - timedelta(seconds=rng.randrange(DAYS * 86_400))
        status, human = rng.choice(LEAD_STATUSES)
        has_next = rng.random() < 0.2
        revenue = Decimal(rng.randrange(0, 50_000)) / 100
        rows.append(_row(Lead, {
            "id": pk, "account_id": 1, "company_id": company + 1,
            "source_id": rng.choice(world.sources_of[company]) if rng.random() < 0.5 else None,
            "caller_id": rng.randrange(scale.callers) + 1 if rng.random() < 0.7 else None,
            "vendor": "TRACKDRIVE", "external_id": f"L{pk:09d}", "created_at": created,
            "updated_at": created + timedelta(hours=rng.randrange(48)),
            "name": f"Lead {pk}" if rng.random() < 0.9 else None,
            "email": f"lead{pk}@example.com" if rng.random() < 0.6 else None,
            "status": status, "human_status": human,
            "offer_id": f"OF{rng.randrange(40)}", "buyer_id": f"BU{rng.randrange(25)}" if rng.random() < 0.7 else None,
            "revenue": revenue, "payout": (revenue * Decimal("0.6")).quantize(Decimal("0.01")),
            "buyer_converted": rng.random() < 0.3, "has_next_action": has_next,
            "next_action_at": (world.now + timedelta(seconds=rng.randrange(30 * 86_400))) if has_next else None,
            "offer_converted": False, "opt_out": False, "is_live": False, "blocked": False,
        }))
    return rows


async def _secondary_indexes(conn: AsyncConnection, name: str) -> list[dict[str, Any]]:
    """Indexes that are not the primary key nor a unique constraint: these can be rebuilt."""
    found = await conn.run_sync(lambda sync: inspect(sync).get_indexes(name))
    return [ix for ix in found if not ix.get("unique") and not ix.get("duplicates_constraint")]


def _create_index_sql(name: str, index: dict[str, Any]) -> str:
    cols = ", ".join(f'"{c}"' for c in index["column_names"])
    return f'CREATE INDEX "{index["name"]}" ON "{name}" ({cols})'


async def _copy(conn: AsyncConnection, model: Any, rows: list[tuple[Any, ...]]) -> None:
    """COPY on PostgreSQL (Money as its scaled integer), executemany on SQLite."""
    tab, names = table(model), columns(model)
    if conn.dialect.name == "postgresql":
        money = [i for i, c in enumerate(tab.columns) if type(c.type).__name__ == "Money"]
        if money:
            rows = [tuple(int(v * 10_000) if i in money else v for i, v in enumerate(r)) for r in rows]
        raw = await conn.get_raw_connection()
        await raw.driver_connection.copy_records_to_table(tab.name, records=rows, columns=names)
    else:
        await conn.execute(insert(tab), [dict(zip(names, r, strict=True)) for r in rows])


async def load(engine: AsyncEngine, scale: Scale, *, now: datetime | None = None, bulk: bool = True) -> None:
    """Generate the dataset into an empty, migrated database; `bulk` also rebuilds the indexes
    after loading, records the dataset in bench_meta and analyzes (tests leave that out)."""
    rng = random.Random(scale.seed)
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    rows, world = base_rows(scale, rng, now)
    models = [Account, Company, CompanyLink, Source, Number, NumberLink, Caller, Call, Lead]
    async with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            await conn.exec_driver_sql("PRAGMA synchronous=OFF")
            await conn.exec_driver_sql("PRAGMA cache_size=-200000")
        dropped: dict[str, list[dict[str, Any]]] = {}
        for model in models if bulk else ():
            name = table(model).name
            dropped[name] = await _secondary_indexes(conn, name)
            for index in dropped[name]:
                await conn.exec_driver_sql(f'DROP INDEX "{index["name"]}"')
        for model in models[:-2]:
            await _copy(conn, model, rows[model])
        for chunk in call_rows(scale, rng, world):
            await _copy(conn, Call, chunk)
        await _copy(conn, Lead, lead_rows(scale, rng, world))
        if conn.dialect.name == "postgresql":
            # call's references are checked at commit (migration 0005); PostgreSQL will not
            # build an index on a table with such checks pending, so run them now.
            await conn.exec_driver_sql("SET CONSTRAINTS ALL IMMEDIATE")
        for name, indexes in dropped.items():
            for index in indexes:
                await conn.exec_driver_sql(_create_index_sql(name, index))
        if conn.dialect.name == "postgresql":
            for model in models:
                name = table(model).name
                await conn.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM \"{name}\"))"
                ))
        if not bulk:
            return
        await conn.exec_driver_sql("CREATE TABLE bench_meta (key TEXT, generated_at TEXT)")
        await conn.execute(
            text("INSERT INTO bench_meta VALUES (:key, :at)"), {"key": scale.key, "at": now.isoformat()}
        )
    if engine.dialect.name == "postgresql":
        async with engine.connect() as conn:
            auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await auto.exec_driver_sql("VACUUM ANALYZE")
    else:
        async with engine.begin() as conn:
            await conn.exec_driver_sql("ANALYZE")


async def generated(engine: AsyncEngine) -> tuple[str, datetime] | None:
    """(key, generation time) of the dataset in this database, or None if there is none."""
    async with engine.connect() as conn:
        try:
            row = (await conn.execute(text("SELECT key, generated_at FROM bench_meta"))).first()
        except Exception:
            return None
    return None if row is None else (row[0], datetime.fromisoformat(row[1]))


def dataset_url(base_url: str | None, scale: Scale) -> str:
    """One database per scale: the key is appended to the SQLite file name or PostgreSQL name."""
    if base_url is None:
        return f"sqlite+aiosqlite:///{BENCH_DIR / scale.key}.db"
    url = make_url(Settings(database_url=base_url).database_url)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "bench.db")
        name = f"{path.stem}-{scale.key}{path.suffix or '.db'}"
        return f"sqlite+aiosqlite:///{path.with_name(name)}"
    return url.set(database=f"{url.database}_{scale.key}").render_as_string(hide_password=False)


def _delete_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


async def _reset(settings: Settings) -> None:
    """Delete the SQLite file, or drop and create the PostgreSQL database."""
    url = make_url(settings.database_url)
    if settings.is_sqlite:
        _delete_sqlite(Path(url.database or ""))
        return
    server = create_engine(Settings(database_url=url.set(database="postgres").render_as_string(False)))
    try:
        async with server.connect() as conn:
            auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await auto.exec_driver_sql(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
            await auto.exec_driver_sql(f'CREATE DATABASE "{url.database}"')
    finally:
        await server.dispose()


async def prepare(url: str, scale: Scale, *, regenerate: bool, log: Any = print) -> bool:
    """Make `url` hold the dataset for `scale`; reuse it if it is there and fresh. True if generated."""
    settings = Settings(database_url=url)
    if not regenerate:
        engine = create_engine(settings)
        try:
            found = await generated(engine)
        except (OSError, SQLAlchemyError):
            found = None
        finally:
            await engine.dispose()
        if found and found[0] == scale.key and datetime.now(UTC) - found[1] < MAX_AGE:
            await upgrade_async(settings)  # new migrations since the dataset was made
            return False
    log(f"generating {scale.key} into {url} ...")
    await _reset(settings)
    await upgrade_async(settings)
    engine = create_engine(settings)
    try:
        await load(engine, scale)
    finally:
        await engine.dispose()
    return True
