"""the mentions' outlet and a full-text index of their sentences

``mentions.outlet`` repeats the document's outlet (indexed with the event id) so that the outlet
filter reads one index instead of joining documents.

Full text: SQLite: an FTS5 table over ``mentions.sentence`` (external content), kept in step by triggers.
PostgreSQL: a GIN index on ``to_tsvector('simple', sentence)``.
Both are read by the events filter ``search`` (see ``eventledger.store.search``).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 09:40:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_UP = [
    "CREATE VIRTUAL TABLE mentions_fts USING fts5(sentence, content='mentions', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "INSERT INTO mentions_fts(rowid, sentence) SELECT id, sentence FROM mentions",
    "CREATE TRIGGER mentions_fts_ai AFTER INSERT ON mentions BEGIN "
    "INSERT INTO mentions_fts(rowid, sentence) VALUES (new.id, new.sentence); END",
    "CREATE TRIGGER mentions_fts_ad AFTER DELETE ON mentions BEGIN "
    "INSERT INTO mentions_fts(mentions_fts, rowid, sentence) VALUES ('delete', old.id, old.sentence); END",
    "CREATE TRIGGER mentions_fts_au AFTER UPDATE OF sentence ON mentions BEGIN "
    "INSERT INTO mentions_fts(mentions_fts, rowid, sentence) VALUES ('delete', old.id, old.sentence); "
    "INSERT INTO mentions_fts(rowid, sentence) VALUES (new.id, new.sentence); END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS mentions_fts_au",
    "DROP TRIGGER IF EXISTS mentions_fts_ad",
    "DROP TRIGGER IF EXISTS mentions_fts_ai",
    "DROP TABLE IF EXISTS mentions_fts",
]
PG_UP = ["CREATE INDEX ix_mentions_sentence_fts ON mentions USING gin (to_tsvector('simple', sentence))"]
PG_DOWN = ["DROP INDEX IF EXISTS ix_mentions_sentence_fts"]


def _run(statements: list[str]) -> None:
    for sql in statements:
        op.execute(sql)


def upgrade() -> None:
    with op.batch_alter_table("mentions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("outlet", sa.String(length=200), nullable=True))
    op.execute(
        "UPDATE mentions SET outlet = (SELECT outlet FROM documents WHERE documents.id = mentions.document_id)"
    )
    op.create_index("ix_mentions_outlet_event", "mentions", ["outlet", "event_id"], unique=False)
    op.create_index("ix_mentions_event_outlet", "mentions", ["event_id", "outlet"], unique=False)
    op.drop_index("ix_mentions_event_id", table_name="mentions")  # the new index starts with event_id
    op.create_table(
        "event_daily_outlet",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("outlet", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("review_status", sa.String(length=16), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "day", "outlet", "category", "review_status", name=op.f("pk_event_daily_outlet")
        ),
    )
    op.execute(
        "INSERT INTO event_daily_outlet (day, outlet, category, review_status, n) "
        "SELECT e.date, m.outlet, e.category, e.review_status, COUNT(DISTINCT e.id) "
        "FROM events e JOIN mentions m ON m.event_id = e.id WHERE m.outlet IS NOT NULL "
        "GROUP BY e.date, m.outlet, e.category, e.review_status"
    )
    # NB: a later migration that rebuilds the mentions table (batch mode on SQLite) must re-create
    # the triggers below
    name = op.get_bind().dialect.name
    if name == "sqlite":
        _run(SQLITE_UP)
    elif name == "postgresql":
        _run(PG_UP)


def downgrade() -> None:
    name = op.get_bind().dialect.name
    if name == "sqlite":
        _run(SQLITE_DOWN)
    elif name == "postgresql":
        _run(PG_DOWN)
    op.drop_table("event_daily_outlet")
    op.create_index("ix_mentions_event_id", "mentions", ["event_id"], unique=False)
    op.drop_index("ix_mentions_event_outlet", table_name="mentions")
    op.drop_index("ix_mentions_outlet_event", table_name="mentions")
    op.drop_column("mentions", "outlet")  # plain ALTER TABLE (SQLite >= 3.35), no table rebuild
