"""indexes for large stores: counting a filtered period from an index, and words to events

PostgreSQL only, not in ``schema.metadata`` (like the GIN index of 0004): ``ix_events_date_codebook``
(date, codebook, review_status) INCLUDE (id). Every events filter has the codebook and most a
period, and every count leaves out retired events: a count that the daily tables cannot answer (a
search, an outlet) is an index-only scan of the period. Not on SQLite: there any index holding
``codebook`` turns the review queue's plan from one scan (0.4 s at a million events) into a
MULTI-INDEX OR of 4 s, with or without ANALYZE.

``ix_mentions_id_event`` (id, event_id): a search finds the ids of the matching mentions (SQLite:
FTS5 rowids) and needs their events; read from this small index instead of the wide mention rows
(a common word matches hundreds of thousands of mentions at a million events).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 12:00:00

"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EVENTS_PG = "ix_events_date_codebook"


def upgrade() -> None:
    op.create_index("ix_mentions_id_event", "mentions", ["id", "event_id"], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(f"CREATE INDEX {EVENTS_PG} ON events (date, codebook, review_status) INCLUDE (id)")
    elif bind.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first():
        op.execute("ANALYZE ix_mentions_id_event")  # a store analysed before: the new index too


def downgrade() -> None:
    op.drop_index("ix_mentions_id_event", table_name="mentions")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {EVENTS_PG}")
