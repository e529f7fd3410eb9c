"""What an import reports: counts per outcome and the rejected records with their reasons."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from app.ingest.changes import Change

Outcome = Literal["created", "updated", "unchanged"]


@dataclass(frozen=True)
class Reject:
    """A record that was not imported."""

    position: int  # 0-based index of the record in the payload's record list
    external_id: str | None
    reason: str  # names the field and the problem, e.g. "DateTime: not a Unix timestamp: 'abc'"


@dataclass
class ImportSummary:
    """Outcome counts of one import; created + updated + unchanged + rejected = records."""

    resource: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejects: list[Reject] = field(default_factory=list)
    # The rows of calls or leads this import created or changed, once committed (else None).
    change: "Change | None" = None

    def count(self, outcome: Outcome) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def reject(self, *, position: int, external_id: str | None, reason: str) -> None:
        self.rejected += 1
        self.rejects.append(Reject(position=position, external_id=external_id, reason=reason))

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.rejected

    def line(self) -> str:
        """ "calls: created 3, updated 0, unchanged 5, rejected 1"."""
        return (
            f"{self.resource}: created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, rejected {self.rejected}"
        )
