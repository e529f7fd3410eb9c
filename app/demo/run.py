"""Run the demo plan through ingest, exactly as real vendor pages are imported."""

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.ids import encode_global_id
from app.demo.plan import Batch, DemoPlan
from app.ingest import ImportSummary, import_payload, upsert_company

OnPage = Callable[[Batch, ImportSummary], None]
# PostgreSQL plans ingest's per-page lookups from table statistics, which a freshly filled
# table lacks until autovacuum catches up: without them each page's lookup by external id
# scans the whole account.
ANALYZE_EVERY = 25  # pages


@dataclass
class DemoReport:
    """Per resource outcome counts, and the Company rows the demo named: name -> global ID."""

    summaries: list[ImportSummary] = field(default_factory=list)
    companies: dict[str, str] = field(default_factory=dict)


def _add(total: ImportSummary, page: ImportSummary) -> None:
    total.created += page.created
    total.updated += page.updated
    total.unchanged += page.unchanged
    total.rejected += page.rejected
    total.rejects.extend(page.rejects)


async def refresh_statistics(session_factory: async_sessionmaker[AsyncSession]) -> None:
    """ANALYZE the database, so query plans see the rows just imported."""
    async with session_factory() as session, session.begin():
        await session.execute(text("ANALYZE"))


async def run_demo(
    *,
    session_factory: async_sessionmaker[AsyncSession],
    account: str,
    plan: DemoPlan,
    on_page: OnPage | None = None,
) -> DemoReport:
    """Name the plan's companies, then import every page; rerunning is safe (upserts by id)."""
    report = DemoReport()
    ids = {}
    for company in plan.companies:
        ids[company] = await upsert_company(
            session_factory=session_factory,
            account=account,
            vendor=company.vendor,
            external_id=company.external_id,
            name=company.name,
            time_zone=company.time_zone,
            default_region=company.default_region,
        )
        report.companies[company.name] = encode_global_id("Company", ids[company])
    for batch in plan.batches:
        total = ImportSummary(resource=batch.label)
        company_id = encode_global_id("Company", ids[batch.company]) if batch.company else None
        for number, page in enumerate(batch.pages, 1):
            summary = await import_payload(
                session_factory=session_factory,
                account=account,
                vendor=batch.vendor,
                resource=batch.resource,
                payload=page,
                company=company_id,
            )
            _add(total, summary)
            if on_page:
                on_page(batch, summary)
            if number % ANALYZE_EVERY == 0:
                await refresh_statistics(session_factory)
        report.summaries.append(total)
    await refresh_statistics(session_factory)  # for the GraphQL reads that follow
    return report
