"""Per-import state: the transaction's connection, the account, and caches so each distinct raw
phone string is parsed once and each caller, number, source and company is looked up once."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.core.phone import ParsedPhone, PhoneParseError, parse_phone
from app.ingest.companies import ensure_company
from app.ingest.connection import SerialConnection
from app.ingest.first_call import FirstCalls, KnownFirsts
from app.ingest.phones import caller_e164
from app.ingest.sql import get_or_create
from app.models import Caller, Number, NumberLink, Source
from app.models.enums import Vendor
from app.vendors.rows import CompanyRef, SourceRef

CALLER = Caller.__table__
NUMBER = Number.__table__
NUMBER_LINK = NumberLink.__table__
SOURCE = Source.__table__


@dataclass
class CommittedIds:
    """Caller ids that earlier files of one run committed (account id -> E.164 -> Caller.id), so
    a run of many files looks each caller up once rather than once per file, and the first calls
    they read and flagged (app.ingest.first_call), so it looks each caller's up once too. Taken
    only once a file's transaction has committed (in a bulk run: its savepoint released; the
    run's transaction and these ids end together), so a file that rolls back leaves nothing
    here; valid while nothing deletes callers, which nothing in Switchboard does."""

    callers: dict[int, dict[str, int]] = field(default_factory=dict)
    firsts: dict[int, KnownFirsts] = field(default_factory=dict)  # account id -> first calls
    # The highest call id when the run's last file committed: another id at the next file's
    # start means another import wrote calls meanwhile, and the first calls are read again.
    last_call_id: int | None = None


@dataclass
class ImportContext:
    """State shared by the writers of one import_payload call (one transaction)."""

    conn: SerialConnection
    account_id: int
    vendor: Vendor
    company_override: tuple[int, str] | None = None  # (id, region) from --company
    companies: dict[tuple[Vendor, str], tuple[int, str]] = field(default_factory=dict)
    phones: dict[tuple[str, str], ParsedPhone | None] = field(default_factory=dict)
    known_callers: dict[str, tuple[str, bool] | None] = field(default_factory=dict)  # by a worker
    callers: dict[str, int] = field(default_factory=dict)  # E.164 -> Caller.id
    numbers: dict[str, int] = field(default_factory=dict)  # E.164 -> Number.id
    sources: dict[tuple[Vendor, str], int] = field(default_factory=dict)
    links: set[tuple[Vendor, str]] = field(default_factory=set)  # NumberLinks known to exist
    new_callers: set[int] = field(default_factory=set)  # created by this import: no calls yet
    seen: dict[Any, int] = field(default_factory=dict)  # record key -> first position
    first_calls: FirstCalls = field(default_factory=FirstCalls)
    stamp: datetime | None = None  # the change stamp of calls and leads (app.ingest.changes)

    def phone(self, raw: str, region: str) -> ParsedPhone | None:
        """The parsed number, or None for anonymous and unparseable text (cached per import)."""
        key = (raw, region)
        try:
            return self.phones[key]
        except KeyError:
            pass
        try:
            parsed: ParsedPhone | None = parse_phone(raw, region)
        except PhoneParseError:
            parsed = None
        self.phones[key] = parsed
        return parsed

    def caller(self, raw: str, region: str) -> tuple[str, bool] | None:
        """A caller id's (E.164, validity), or None for anonymous and unparseable text."""
        try:
            return self.known_callers[raw]
        except KeyError:
            return caller_e164(raw, region)

    async def company(self, ref: CompanyRef | None) -> tuple[int, str]:
        """(id, default region) for a record's company; --company wins over the payload."""
        if self.company_override is not None:
            return self.company_override
        if ref is None:
            raise ValueError("a record without a company needs --company")
        key = (ref.vendor, ref.external_id)
        found = self.companies.get(key)
        if found is None:
            found = await ensure_company(self.conn, account_id=self.account_id, ref=ref)
            self.companies[key] = found
        return found

    async def ensure_callers(self, phones: dict[str, bool]) -> None:
        """Make sure a Caller exists for each E.164 (E.164 -> validity from phonenumbers)."""
        new = {
            e164: {"is_valid": valid} for e164, valid in phones.items() if e164 not in self.callers
        }
        if new:
            created: set[str] = set()
            self.callers |= await get_or_create(
                self.conn, CALLER, key="e164", where={"account_id": self.account_id}, new=new,
                created=created,
            )  # fmt: skip
            self.new_callers.update(self.callers[e164] for e164 in created)

    async def ensure_sources(self, refs: dict[SourceRef, int]) -> None:
        """Make sure each named Source exists for its company (ref -> company id)."""
        by_vendor: dict[Vendor, dict[str, dict[str, Any]]] = {}
        for ref, company_id in refs.items():
            if (ref.vendor, ref.external_id) not in self.sources:
                by_vendor.setdefault(ref.vendor, {})[ref.external_id] = {
                    "company_id": company_id,
                    "name": ref.name,
                    "tracking_type": ref.tracking_type,
                }
        for vendor, new in by_vendor.items():
            ids = await get_or_create(
                self.conn,
                SOURCE,
                key="external_id",
                where={"account_id": self.account_id, "vendor": vendor},
                new=new,
            )
            self.sources |= {(vendor, external_id): id_ for external_id, id_ in ids.items()}

    def source_id(self, ref: SourceRef | None) -> int | None:
        return None if ref is None else self.sources[(ref.vendor, ref.external_id)]

    async def ensure_numbers(self, numbers: dict[str, tuple[ParsedPhone, int]]) -> None:
        """Make sure a Number exists for each dialled E.164 (E.164 -> (parsed, company id)),
        linked to this import's vendor: a minimal one when no vendor has reported it yet."""
        new = {
            e164: {
                "company_id": company_id,
                "is_valid": parsed.is_valid,
                "number_type": parsed.number_type,
            }
            for e164, (parsed, company_id) in numbers.items()
            if e164 not in self.numbers
        }
        if new:
            self.numbers |= await get_or_create(
                self.conn, NUMBER, key="e164", where={"account_id": self.account_id}, new=new
            )
        await self.ensure_links({e164: self.numbers[e164] for e164 in numbers})

    async def ensure_links(self, links: dict[str, int]) -> None:
        """Make sure this vendor's NumberLink exists for each external id -> Number.id."""
        new = {
            external_id: {"number_id": number_id}
            for external_id, number_id in links.items()
            if (self.vendor, external_id) not in self.links
        }
        if new:
            await get_or_create(
                self.conn,
                NUMBER_LINK,
                key="external_id",
                where={"account_id": self.account_id, "vendor": self.vendor},
                new=new,
            )
            self.links |= {(self.vendor, external_id) for external_id in new}
