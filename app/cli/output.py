"""What the commands print: for import and sync a line per file, failures, and the first
rejected records (the rejects file has them all); for companies a line per company."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from app.cli.progress import ProgressTracker
from app.core.companies import CompanyInfo
from app.ingest.rejects import Rejects
from app.ingest.summary import ImportSummary

SHOWN_REJECTS = 10  # reasons echoed to the terminal; the rejects file has them all


@dataclass
class ImportPrinter:
    """app.ingest.files.ImportEvents for a terminal: file lines to `out`, the rest to `err`."""

    progress: ProgressTracker
    out: TextIO
    err: TextIO

    def expect(self, records: int) -> None:
        self.progress.set_total((self.progress.total or 0) + records)

    def advance(self, count: int = 1, **counts: int) -> None:
        self.progress.advance(count, **counts)

    def file_imported(self, path: Path, summary: ImportSummary) -> None:
        print(f"{path}: {summary.line()}", file=self.out)

    def file_failed(self, path: Path, reason: str) -> None:
        print(f"error: {path}: {reason} (nothing imported from this file)", file=self.err)

    def notice(self, message: str) -> None:
        print(message, file=self.err)


def write_rejects(rejects: Rejects, *, path: Path, err: TextIO) -> None:
    """Write the rejects file and echo its first few lines; nothing when none was rejected."""
    if not rejects.lines:
        return
    rejects.write(path)
    for line in rejects.lines[:SHOWN_REJECTS]:
        where = f"{line['file']}" if "file" in line else f"page {line['page']}"
        named = f" ({line['external_id']})" if line["external_id"] else ""
        print(f"rejected: {where} record {line['position']}{named}: {line['reason']}", file=err)
    more = len(rejects.lines) - SHOWN_REJECTS
    if more > 0:
        print(f"... and {more} more", file=err)
    print(f"{len(rejects.lines)} rejected records written to {path}", file=err)


COMPANY_HEADER = "id\taccount\tname\tnamed by\ttime zone\tregion\tvendor ids"


def company_lines(companies: Iterable[CompanyInfo]) -> Iterator[str]:
    """A header, then one tab-separated line per company; its vendor ids as
    VENDOR:id[@account], comma-separated."""
    yield COMPANY_HEADER
    for c in companies:
        ids = ",".join(
            f"{v.vendor.value}:{v.external_id}" + (f"@{v.account_id}" if v.account_id else "")
            for v in c.vendor_ids
        )
        row = (c.id, c.account, c.name, c.named_by.value, c.time_zone, c.default_region, ids)
        yield "\t".join(row)
