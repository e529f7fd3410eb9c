"""The reference documents as benchmark queries Q1-Q8 and QC, the Company document (plus
count-free variants of Q1-Q3)."""

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphql import FieldNode, OperationDefinitionNode, parse, print_ast, visit
from graphql.language import REMOVE, Visitor

from app.core.ids import encode_global_id

REPO = Path(__file__).resolve().parents[2]
# Q1-Q6 and the Company document come from ../shared; Q7-Q8 from the repository's own file.
DEFAULT_QUERIES = (
    REPO.parent / "shared" / "reference-queries.graphql",
    REPO / "queries" / "dashboards.graphql",
)
BENCH_COMPANY = 1  # the Sydney company that holds a fifth of the calls


@dataclass(frozen=True)
class BenchQuery:
    """One timed request: a reference document, its variables, and what the floor must match."""

    name: str
    title: str
    document: str
    variables: dict[str, Any] = field(default_factory=dict)
    count: bool = True

    def body(self) -> dict[str, Any]:
        return {"query": self.document, "variables": self.variables}


class _StripCount(Visitor):
    """Removes every `totalCount` selection."""

    def enter_field(self, node: FieldNode, *_args: Any) -> Any:
        return REMOVE if node.name.value == "totalCount" else None


def operations(paths: Sequence[Path]) -> dict[str, OperationDefinitionNode]:
    """The named operations of the document files."""
    found: dict[str, OperationDefinitionNode] = {}
    for path in paths:
        for op in parse(path.read_text()).definitions:
            if isinstance(op, OperationDefinitionNode) and op.name is not None:
                found[op.name.value] = op
    return found


def _text(op: OperationDefinitionNode, *, count: bool) -> str:
    return print_ast(op if count else visit(op, _StripCount()))


def refetch_ids(*, calls: int, numbers: int, leads: int, companies: int, callers: int) -> list[str]:
    """100 ids of mixed types (40 calls, 25 numbers, 25 leads, 5 companies, 5 callers), shuffled."""
    rng = random.Random(6)
    mix = [("Call", calls, 40), ("Number", numbers, 25), ("Lead", leads, 25),
           ("Company", companies, 5), ("Caller", callers, 5)]
    ids = [encode_global_id(kind, pk) for kind, total, n in mix
           for pk in rng.sample(range(1, total + 1), min(n, total))]
    rng.shuffle(ids)
    return ids


def bench_queries(
    paths: Sequence[Path], *, deep_cursor: str | None, ids: list[str], count_free: bool = True
) -> list[BenchQuery]:
    """Q1-Q8 and QC from the reference files; Q1-Q3 also without totalCount when `count_free`."""
    ops = operations(paths)
    company = encode_global_id("Company", BENCH_COMPANY)
    deep = {"company": company, "after": deep_cursor}
    plan = [
        ("Q1", "call log", "CallLog", {"company": company}),
        ("Q2", "deep page", "CallLog", deep),
        ("Q3", "filtered calls", "MissedCallsThisWeek", {"company": company}),
        ("Q4", "number inventory", "Numbers", {}),
        ("Q5", "lead grid", "LeadGrid", {}),
        ("Q6", "refetch", "Refetch", {"ids": ids}),
        ("QC", "company", "Company", {"id": company}),
        ("Q7", "daily dashboard", "DailyDashboard", {"company": company}),
        ("Q8", "source leaderboard", "SourceLeaderboard", {"company": company}),
    ]
    queries = []
    for name, title, op, variables in plan:
        queries.append(BenchQuery(name, title, _text(ops[op], count=True), variables))
        if count_free and name in ("Q1", "Q2", "Q3"):
            queries.append(BenchQuery(
                f"{name}-nc", f"{title}, no totalCount", _text(ops[op], count=False), variables, False
            ))
    return queries
