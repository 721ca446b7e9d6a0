"""SQLite: a batch of new mentions adds its sentences to its events' words once per event

Migration 0013 keeps ``event_search`` (and its FTS5 index ``events_fts``) in step with the mentions
by a row trigger: each new mention appends its sentence to its event's words, so an event with
three new mentions of one batch had its FTS5 row deleted and written again three times, and every
mention paid an upsert — an eighth of the ingest's time on the bench. SQLite has no statement
triggers (PostgreSQL's 0013 triggers already run once a statement), so the bulk writer now does it
itself: while the table ``event_search_deferred`` holds a row (only inside the writer's own
transaction, never committed), the insert trigger stands aside, and the writer then appends the
batch's sentences per event in one statement (``eventledger.store.search.append_words``). Every
other writer (review, recode, merges, direct SQL) still goes through the trigger.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 01:00:00

"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KEY = "((CAST(julianday(e.date) AS INTEGER) << 32) | e.id)"


def _trigger(when: str) -> str:
    return (
        f"CREATE TRIGGER mentions_search_ai AFTER INSERT ON mentions WHEN {when} BEGIN "
        f"INSERT INTO event_search (key, event_id, words) SELECT {_KEY}, e.id, new.sentence "
        "FROM events AS e WHERE e.id = new.event_id "
        "ON CONFLICT (event_id) DO UPDATE SET words = words || char(10) || excluded.words; END"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("CREATE TABLE event_search_deferred (id INTEGER PRIMARY KEY)")
    op.execute("DROP TRIGGER IF EXISTS mentions_search_ai")
    op.execute(_trigger("new.event_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM event_search_deferred)"))


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TRIGGER IF EXISTS mentions_search_ai")
    op.execute(_trigger("new.event_id IS NOT NULL"))
    op.execute("DROP TABLE IF EXISTS event_search_deferred")
