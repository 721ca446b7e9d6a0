"""events flagged for review again, and the coder's dropped candidates

``events.review_flag``: why a coder should look at an event again (a recode whose result a
review no longer fits); such events are listed in the review queue.

``dropped_candidates``: triggers the coder found and did not code (negated, intent, generic,
no place…), with reason and gate score, per document: never events, never counted.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 10:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("events", sa.Column("review_flag", sa.Text(), nullable=True))  # plain ALTER TABLE
    op.create_index("ix_events_review_flag", "events", ["review_flag"], unique=False)
    op.create_table(
        "dropped_candidates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("field", sa.String(length=8), nullable=False),
        sa.Column("sent_start", sa.Integer(), nullable=False),
        sa.Column("sent_end", sa.Integer(), nullable=False),
        sa.Column("trig_start", sa.Integer(), nullable=False),
        sa.Column("trig_end", sa.Integer(), nullable=False),
        sa.Column("sentence", sa.Text(), nullable=False),
        sa.Column("trigger", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("subtype", sa.String(length=40), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("place_key", sa.String(length=40), nullable=True),
        sa.Column("place_name", sa.String(length=200), nullable=True),
        sa.Column("flags", sa.String(length=200), nullable=False),
        sa.Column("coder", sa.String(length=40), nullable=False),
        sa.Column("codebook", sa.String(length=80), nullable=False),
        sa.Column("model_version", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_dropped_candidates_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_dropped_candidates_run_id_runs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dropped_candidates")),
    )
    op.create_index("ix_dropped_candidates_document_id", "dropped_candidates", ["document_id"], unique=False)
    op.create_index("ix_dropped_candidates_reason", "dropped_candidates", ["reason"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_dropped_candidates_reason", table_name="dropped_candidates")
    op.drop_index("ix_dropped_candidates_document_id", table_name="dropped_candidates")
    op.drop_table("dropped_candidates")
    op.drop_index("ix_events_review_flag", table_name="events")
    op.drop_column("events", "review_flag")  # plain ALTER TABLE (SQLite >= 3.35), no table rebuild
