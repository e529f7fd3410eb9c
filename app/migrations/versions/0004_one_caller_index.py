"""one caller index on call: (caller_id, started_at, id, company_id, account_id)

Two indexes led with caller_id. Caller ids arrive in random order, so each import transaction
rewrites pages all over both; one index with company_id inside serves the caller's calls in
time order, per-caller counts and the first-call lookups per (company, caller) alike.

Revision ID: 0004_one_caller_index
Revises: 0003_covering_indexes
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004_one_caller_index"
down_revision: str | None = "0003_covering_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_call_caller_company_started", table_name="call")
    op.drop_index("ix_call_caller_started", table_name="call")
    op.create_index(
        "ix_call_caller_started",
        "call",
        ["caller_id", "started_at", "id", "company_id", "account_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_call_caller_started", table_name="call")
    op.create_index(
        "ix_call_caller_started", "call", ["caller_id", "started_at", "id", "account_id"]
    )
    op.create_index(
        "ix_call_caller_company_started",
        "call",
        ["caller_id", "company_id", "started_at", "id", "account_id"],
    )
