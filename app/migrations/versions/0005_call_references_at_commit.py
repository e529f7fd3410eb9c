"""call's foreign keys checked at commit (DEFERRABLE INITIALLY DEFERRED)

A multi-row INSERT into a table whose references are checked row by row may abort midway, so
SQLite keeps a statement journal for it: a copy of every page the statement changes, written to
a temporary file. Importing calls, that was a third of SQLite's time. With the references
checked at commit (and INSERT OR IGNORE with a row count check for the other constraints, see
app.ingest.sql.insert_rows) nothing can abort the statement and SQLite writes no journal. A
broken reference still fails the transaction, at COMMIT.

SQLite cannot alter a constraint, so the table is rebuilt (batch mode copies rows and indexes).

Revision ID: 0005_call_references_at_commit
Revises: 0004_one_caller_index
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005_call_references_at_commit"
down_revision: str | None = "0004_one_caller_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REFERENCES = {
    "account_id": "account",
    "company_id": "company",
    "number_id": "number",
    "source_id": "source",
    "caller_id": "caller",
}
# Names for SQLite's constraints, unnamed until now, so batch mode can drop and add them;
# PostgreSQL's follow its default convention.
NAMING = {"fk": "fk_%(table_name)s_%(column_0_name)s"}


def upgrade() -> None:
    _set_references(deferred=True)


def downgrade() -> None:
    _set_references(deferred=False)


def _set_references(*, deferred: bool) -> None:
    if op.get_context().dialect.name == "postgresql":
        timing = "DEFERRABLE INITIALLY DEFERRED" if deferred else "NOT DEFERRABLE"
        for column in REFERENCES:
            op.execute(f"ALTER TABLE call ALTER CONSTRAINT call_{column}_fkey {timing}")
        return
    options = {"deferrable": True, "initially": "DEFERRED"} if deferred else {}
    with op.batch_alter_table("call", recreate="always", naming_convention=NAMING) as batch:
        for column, parent in REFERENCES.items():
            batch.drop_constraint(f"fk_call_{column}", type_="foreignkey")
            batch.create_foreign_key(f"fk_call_{column}", parent, [column], ["id"], **options)  # type: ignore[arg-type]  # alembic types each keyword of **options apart
