"""the review queue read from indexes: its first page and its count without reading every event

The queue lists the events a recode flagged first, then the unreviewed ones, least confident first,
newest first. It was one query (``machine OR flagged``, ordered by four keys) that read and sorted
every unreviewed event of the codebook for each page: 0.5 s at a million events on SQLite, 9.8 s at
ten million on PostgreSQL. Now it is two reads, each from its own index:

* ``ix_events_review_flag`` becomes partial (``WHERE review_flag IS NOT NULL``): the flagged events
  are a handful, and SQLite's planner, without statistics, never used the full index for
  ``IS NOT NULL`` (it scanned the table);
* ``ix_events_review_queue`` (review_status, confidence) becomes (review_status, confidence,
  date DESC, id): the unreviewed events in the queue's order, so a page is a walk of the index that
  stops after it (the codebook is checked on each event read: led by the codebook, the index drew
  SQLite's plan for the events list away from its date index, 25 -> 320 ms at a million events).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 03:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FLAGGED = sa.text("review_flag IS NOT NULL")


def upgrade() -> None:
    op.drop_index("ix_events_review_flag", table_name="events")
    op.create_index(
        "ix_events_review_flag", "events", ["review_flag"], sqlite_where=_FLAGGED, postgresql_where=_FLAGGED
    )
    op.drop_index("ix_events_review_queue", table_name="events")
    op.create_index(
        "ix_events_review_queue",
        "events",
        ["review_status", "confidence", sa.text("date DESC"), "id"],
    )
    _analyze_if_analysed("ix_events_review_flag", "ix_events_review_queue")


def downgrade() -> None:
    op.drop_index("ix_events_review_queue", table_name="events")
    op.create_index("ix_events_review_queue", "events", ["review_status", "confidence"])
    op.drop_index("ix_events_review_flag", table_name="events")
    op.create_index("ix_events_review_flag", "events", ["review_flag"])


def _analyze_if_analysed(*names: str) -> None:
    bind = op.get_bind()
    if (
        bind.dialect.name == "sqlite"
        and bind.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first()
    ):
        for name in names:  # a store analysed before: its new indexes too
            op.execute(f"ANALYZE {name}")
