"""SQLite: a batch of new mentions enters the sentence index (FTS5) in one statement

Migration 0004 indexes each mention's sentence (``mentions_fts``, the sentence search) through a
row trigger. FTS5 under a trigger writes each row's terms apart (every trigger statement is its
own sub-transaction), which cost the bulk writer about 1 s of the main process's CPU per 10,000
reports (32,000 mentions): three times what the same rows cost as one ``INSERT … SELECT``. Like the
event words of 0014, the insert trigger now stands aside while ``event_search_deferred`` holds a
row (only inside the bulk writer's own transaction, never committed), and the writer then indexes
the batch's sentences in one statement (``eventledger.store.search.insert_mentions``). Every other
writer (review, recode, direct SQL) still goes through the trigger.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 19:00:00

"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _trigger(when: str) -> str:
    return (
        f"CREATE TRIGGER mentions_fts_ai AFTER INSERT ON mentions {when}BEGIN "
        "INSERT INTO mentions_fts(rowid, sentence) VALUES (new.id, new.sentence); END"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TRIGGER IF EXISTS mentions_fts_ai")
    op.execute(_trigger("WHEN NOT EXISTS (SELECT 1 FROM event_search_deferred) "))


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TRIGGER IF EXISTS mentions_fts_ai")
    op.execute(_trigger(""))
