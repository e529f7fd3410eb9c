"""live data: change stamps on calls and leads, webhook endpoints

Calls and leads get `imported_at` (the import that first stored the row) and `changed_at` (the
last import that changed it), with an index per account in change order: subscriptions replay
and follow an account's changes by (changed_at, id). Rows stored before this revision keep NULL
stamps (when they were imported is not known) until an import changes them.

webhook_endpoint holds the hashed tokens of `switchboard webhooks create`.

Revision ID: 0006_live_data
Revises: 0005_call_references_at_commit
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.models.columns

revision: str = "0006_live_data"
down_revision: str | None = "0005_call_references_at_commit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STAMPED = ("call", "lead")


def upgrade() -> None:
    for table in STAMPED:
        op.add_column(
            table,
            sa.Column("imported_at", app.models.columns.UTCDateTime(timezone=True), nullable=True),
        )
        op.add_column(
            table,
            sa.Column("changed_at", app.models.columns.UTCDateTime(timezone=True), nullable=True),
        )
        op.create_index(f"ix_{table}_account_changed", table, ["account_id", "changed_at", "id"])
    op.create_table(
        "webhook_endpoint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("vendor", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("resource", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("company", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("prefix", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("secret_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("last4", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
        sa.Column("created_at", app.models.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", app.models.columns.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("prefix"),
    )
    op.create_index("ix_webhook_endpoint_account_id", "webhook_endpoint", ["account_id"])


def downgrade() -> None:
    op.drop_index("ix_webhook_endpoint_account_id", table_name="webhook_endpoint")
    op.drop_table("webhook_endpoint")
    for table in STAMPED:
        op.drop_index(f"ix_{table}_account_changed", table_name=table)
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("changed_at")
            batch_op.drop_column("imported_at")
