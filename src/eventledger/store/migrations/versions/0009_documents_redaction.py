"""documents: the external id as readers see it, and the redaction rules it was made under

``documents.shown_id``: the external id with personal data redacted (the ``url`` column is stored
redacted already); ``documents.redaction``: the version of the redaction rules under which ``url``
and ``shown_id`` were redacted (NULL for rows stored before this revision). Readers use the stored
values when they were made under the current rules and redact again otherwise, so that an export
of a million sources does not redact a million URLs; ``Store.open`` brings older rows up to date
(:func:`eventledger.store.writer.refresh_redaction`), outside this migration, so that it also runs
when the rules change without a schema change.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 07:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:  # plain ALTER TABLE ADD COLUMN: no table rebuild
    op.add_column("documents", sa.Column("shown_id", sa.String(length=500), nullable=True))
    op.add_column("documents", sa.Column("redaction", sa.Integer(), nullable=True))
    op.create_index("ix_documents_redaction", "documents", ["redaction"])


def downgrade() -> None:
    op.drop_index("ix_documents_redaction", table_name="documents")
    op.drop_column("documents", "redaction")
    op.drop_column("documents", "shown_id")
