"""company links: every vendor id of a company in one table; who named a company

company_link holds each vendor id that names a company (CallRail company_id, Fone Dynamics
PropertySid with its AccountSid, Butter organization, TrackDrive company): imports find
companies through it and `switchboard companies link` adds ids of other vendors. Each
company's own vendor id is copied into it, so reads and lookups need one place.

company.named_by says who named the company (VENDOR: imports follow the vendor's name; USER:
`switchboard companies set` named it and imports leave the name alone).

number_link.vendor_account_id keeps Fone Dynamics' AccountSid for each number; links stored
before this revision take their property's AccountSid.

Revision ID: 0007_company_links
Revises: 0006_live_data
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007_company_links"
down_revision: str | None = "0006_live_data"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "company_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("vendor", sa.String(length=20), nullable=False),
        sa.Column("external_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("vendor_account_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account_id", "vendor", "external_id"),
    )
    op.create_index("ix_company_link_company_id", "company_link", ["company_id"])
    op.execute(
        "INSERT INTO company_link (account_id, company_id, vendor, external_id, vendor_account_id) "
        "SELECT account_id, id, vendor, external_id, vendor_account_id FROM company ORDER BY id"
    )
    op.add_column(
        "company",
        sa.Column("named_by", sa.String(length=10), server_default="VENDOR", nullable=False),
    )
    op.add_column(
        "number_link",
        sa.Column("vendor_account_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    )
    op.execute(
        "UPDATE number_link SET vendor_account_id = (SELECT company.vendor_account_id "
        "FROM number JOIN company ON company.id = number.company_id "
        "WHERE number.id = number_link.number_id AND company.vendor = 'FONE_DYNAMICS') "
        "WHERE vendor = 'FONE_DYNAMICS'"
    )


def downgrade() -> None:
    with op.batch_alter_table("number_link") as batch_op:
        batch_op.drop_column("vendor_account_id")
    with op.batch_alter_table("company") as batch_op:
        batch_op.drop_column("named_by")
    op.drop_index("ix_company_link_company_id", table_name="company_link")
    op.drop_table("company_link")
