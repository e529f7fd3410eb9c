"""account_id trails the foreign-key indexes, so account-scoped counts are index-only

Revision ID: 0003_covering_indexes
Revises: 0002_api_key
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003_covering_indexes"
down_revision: str | None = "0002_api_key"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_call_company_started", table_name="call")
    op.create_index(
        "ix_call_company_started", "call", ["company_id", "started_at", "id", "account_id"]
    )
    op.drop_index("ix_call_company_duration", table_name="call")
    op.create_index(
        "ix_call_company_duration", "call", ["company_id", "duration_seconds", "id", "account_id"]
    )
    op.drop_index("ix_call_number_started", table_name="call")
    op.create_index(
        "ix_call_number_started", "call", ["number_id", "started_at", "id", "account_id"]
    )
    op.drop_index("ix_call_source_started", table_name="call")
    op.create_index(
        "ix_call_source_started", "call", ["source_id", "started_at", "id", "account_id"]
    )
    op.drop_index("ix_call_caller_started", table_name="call")
    op.create_index(
        "ix_call_caller_started", "call", ["caller_id", "started_at", "id", "account_id"]
    )
    op.drop_index("ix_call_caller_company_started", table_name="call")
    op.create_index(
        "ix_call_caller_company_started",
        "call",
        ["caller_id", "company_id", "started_at", "id", "account_id"],
    )
    op.drop_index("ix_lead_company_created", table_name="lead")
    op.create_index(
        "ix_lead_company_created", "lead", ["company_id", "created_at", "id", "account_id"]
    )
    op.drop_index("ix_lead_source_created", table_name="lead")
    op.create_index(
        "ix_lead_source_created", "lead", ["source_id", "created_at", "id", "account_id"]
    )
    op.drop_index("ix_lead_caller_created", table_name="lead")
    op.create_index(
        "ix_lead_caller_created", "lead", ["caller_id", "created_at", "id", "account_id"]
    )
    op.drop_index("ix_number_company_e164", table_name="number")
    op.create_index("ix_number_company_e164", "number", ["company_id", "e164", "id", "account_id"])
    op.drop_index("ix_number_company_created", table_name="number")
    op.create_index(
        "ix_number_company_created", "number", ["company_id", "created_at", "id", "account_id"]
    )
    op.drop_index("ix_number_source_e164", table_name="number")
    op.create_index("ix_number_source_e164", "number", ["source_id", "e164", "id", "account_id"])
    op.drop_index("ix_number_source_created", table_name="number")
    op.create_index(
        "ix_number_source_created", "number", ["source_id", "created_at", "id", "account_id"]
    )
    op.drop_index("ix_source_company_name", table_name="source")
    op.create_index("ix_source_company_name", "source", ["company_id", "name", "id", "account_id"])
    op.drop_index("ix_source_company_created", table_name="source")
    op.create_index(
        "ix_source_company_created", "source", ["company_id", "created_at", "id", "account_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_call_company_started", table_name="call")
    op.create_index("ix_call_company_started", "call", ["company_id", "started_at", "id"])
    op.drop_index("ix_call_company_duration", table_name="call")
    op.create_index("ix_call_company_duration", "call", ["company_id", "duration_seconds", "id"])
    op.drop_index("ix_call_number_started", table_name="call")
    op.create_index("ix_call_number_started", "call", ["number_id", "started_at", "id"])
    op.drop_index("ix_call_source_started", table_name="call")
    op.create_index("ix_call_source_started", "call", ["source_id", "started_at", "id"])
    op.drop_index("ix_call_caller_started", table_name="call")
    op.create_index("ix_call_caller_started", "call", ["caller_id", "started_at", "id"])
    op.drop_index("ix_call_caller_company_started", table_name="call")
    op.create_index(
        "ix_call_caller_company_started", "call", ["caller_id", "company_id", "started_at", "id"]
    )
    op.drop_index("ix_lead_company_created", table_name="lead")
    op.create_index("ix_lead_company_created", "lead", ["company_id", "created_at", "id"])
    op.drop_index("ix_lead_source_created", table_name="lead")
    op.create_index("ix_lead_source_created", "lead", ["source_id", "created_at", "id"])
    op.drop_index("ix_lead_caller_created", table_name="lead")
    op.create_index("ix_lead_caller_created", "lead", ["caller_id", "created_at", "id"])
    op.drop_index("ix_number_company_e164", table_name="number")
    op.create_index("ix_number_company_e164", "number", ["company_id", "e164", "id"])
    op.drop_index("ix_number_company_created", table_name="number")
    op.create_index("ix_number_company_created", "number", ["company_id", "created_at", "id"])
    op.drop_index("ix_number_source_e164", table_name="number")
    op.create_index("ix_number_source_e164", "number", ["source_id", "e164", "id"])
    op.drop_index("ix_number_source_created", table_name="number")
    op.create_index("ix_number_source_created", "number", ["source_id", "created_at", "id"])
    op.drop_index("ix_source_company_name", table_name="source")
    op.create_index("ix_source_company_name", "source", ["company_id", "name", "id"])
    op.drop_index("ix_source_company_created", table_name="source")
    op.create_index("ix_source_company_created", "source", ["company_id", "created_at", "id"])
