"""Rejected records kept for the rejects file: each with where it came from, its reason and the
record itself, written as JSON Lines (one object per line) by `import` and `sync` alike."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from app.ingest.summary import ImportSummary
from app.models.enums import Vendor


@dataclass
class Rejects:
    """The rejected records of one run, in the order they were met."""

    vendor: Vendor
    resource: str
    lines: list[dict[str, Any]] = field(default_factory=list)

    def add(
        self, summary: ImportSummary, *, records: list[Any] | None, origin: dict[str, Any]
    ) -> None:
        """Keep the summary's rejects; `origin` says where they came from ({"file": ...} or
        {"page": n}); `records` is the payload's record list (None when it can't be read)."""
        for reject in summary.rejects:
            self.lines.append(
                {
                    **origin,
                    "vendor": self.vendor.value,
                    "resource": self.resource,
                    "position": reject.position,
                    "external_id": reject.external_id,
                    "reason": reject.reason,
                    "record": records[reject.position] if records is not None else None,
                }
            )

    def clear(self) -> None:
        self.lines.clear()

    def write(self, path: Path) -> None:
        """Write every reject as JSON Lines; no file when there is none."""
        if self.lines:
            path.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in self.lines))
