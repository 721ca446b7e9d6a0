"""the words of each event's reports, in one place per event, for the search of large stores

A search finds events: every event with a report (mention) whose sentence holds all the words.
Until now the index was on the mentions, so a common word (a fifth of all reports) gave hundreds of
thousands of mentions whose events had to be looked up before the period and the order could be
applied (0.6 s at a million events on SQLite, 2.8 s on PostgreSQL, 7.9 s at three million).
Now each event also carries the words of all its mentions:

* PostgreSQL: ``events.search_words``, a ``tsvector`` (``strip(to_tsvector('simple', …))`` of its
  mentions' sentences, NULL without mentions) with a GIN index ``ix_events_search_words``. A search
  is one scan of the events: newest first over the period, stopping at the first page, for a common
  word; from the GIN index for a rare one. The GIN index on the mentions' sentences (0004) is
  dropped: the words of one mention are checked on that mention's rows only (several words must be
  in one sentence), read by event id.
* SQLite: ``event_search`` (key, event_id, words: its mentions' sentences) and the FTS5 table
  ``events_fts`` over it, whose rowids are the keys: the event's day number times 2**32 plus its id,
  the order of the events list. A search reads the keys of its period only, newest first.
  ``mentions_fts`` (0004) stays: it checks that several words are in one sentence.

Kept in step by triggers on ``mentions`` (inserted, deleted, sentence or event changed) and, on
SQLite, on the events' dates, so every
writer (ingest, recode, review corrections, merges, splits, reverts) keeps them right. Not in
``schema.metadata`` (like 0004's full-text objects): ``eventledger.store.search.HAND_WRITTEN``.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 10:00:00

"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# --- SQLite ----------------------------------------------------------------------------------------
# event_search.key: the FTS5 rowid, ordered like the events list (date, then id): the day number
# times 2**32 plus the event id. A period is a range of keys, and its newest matches come first.
SQLITE_KEY = "((CAST(julianday({e}.date) AS INTEGER) << 32) | {e}.id)"
# the words of one event: its mentions' sentences, one a line
SQLITE_WORDS = "(SELECT group_concat(m.sentence, char(10)) FROM mentions AS m WHERE m.event_id = e.id)"


def _sqlite_refresh(ids: str) -> str:
    """Trigger statements that write the words of the events ``ids`` again (an event left without
    mentions loses its row)."""
    return (
        f"DELETE FROM event_search WHERE event_id IN ({ids}); "
        f"INSERT INTO event_search (key, event_id, words) SELECT {SQLITE_KEY.format(e='e')}, e.id, "
        f"{SQLITE_WORDS} FROM events AS e WHERE e.id IN ({ids}) "
        "AND EXISTS (SELECT 1 FROM mentions AS m WHERE m.event_id = e.id);"
    )


SQLITE_UP = [
    "CREATE TABLE event_search (key INTEGER PRIMARY KEY, event_id INTEGER NOT NULL UNIQUE, words TEXT NOT NULL)",
    "CREATE VIRTUAL TABLE events_fts USING fts5(words, content='event_search', content_rowid='key', "
    "tokenize='unicode61 remove_diacritics 2')",
    f"INSERT INTO event_search (key, event_id, words) SELECT {SQLITE_KEY.format(e='e')}, e.id, w.words "
    "FROM (SELECT event_id, group_concat(sentence, char(10)) AS words FROM mentions "
    "WHERE event_id IS NOT NULL GROUP BY event_id) AS w JOIN events AS e ON e.id = w.event_id",
    "INSERT INTO events_fts (events_fts) VALUES ('rebuild')",
    # the FTS5 index follows event_search (external content)
    "CREATE TRIGGER event_search_ai AFTER INSERT ON event_search BEGIN "
    "INSERT INTO events_fts (rowid, words) VALUES (new.key, new.words); END",
    "CREATE TRIGGER event_search_ad AFTER DELETE ON event_search BEGIN "
    "INSERT INTO events_fts (events_fts, rowid, words) VALUES ('delete', old.key, old.words); END",
    "CREATE TRIGGER event_search_au AFTER UPDATE ON event_search BEGIN "
    "INSERT INTO events_fts (events_fts, rowid, words) VALUES ('delete', old.key, old.words); "
    "INSERT INTO events_fts (rowid, words) VALUES (new.key, new.words); END",
    # event_search follows the mentions (a new mention adds its sentence to its event's words) …
    "CREATE TRIGGER mentions_search_ai AFTER INSERT ON mentions WHEN new.event_id IS NOT NULL BEGIN "
    f"INSERT INTO event_search (key, event_id, words) SELECT {SQLITE_KEY.format(e='e')}, e.id, new.sentence "
    "FROM events AS e WHERE e.id = new.event_id "
    "ON CONFLICT (event_id) DO UPDATE SET words = words || char(10) || excluded.words; END",
    "CREATE TRIGGER mentions_search_ad AFTER DELETE ON mentions WHEN old.event_id IS NOT NULL BEGIN "
    + _sqlite_refresh("old.event_id")
    + " END",
    "CREATE TRIGGER mentions_search_au AFTER UPDATE OF sentence, event_id ON mentions "
    "WHEN old.event_id IS NOT new.event_id OR old.sentence IS NOT new.sentence BEGIN "
    + _sqlite_refresh("old.event_id, new.event_id")
    + " END",
    # … and the events' dates (the key) and ids
    "CREATE TRIGGER events_search_au AFTER UPDATE OF date, id ON events "
    "WHEN old.date IS NOT new.date OR old.id IS NOT new.id BEGIN "
    f"UPDATE event_search SET key = {SQLITE_KEY.format(e='new')}, event_id = new.id "
    "WHERE event_id = old.id; END",
    "CREATE TRIGGER events_search_ad AFTER DELETE ON events BEGIN "
    "DELETE FROM event_search WHERE event_id = old.id; END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS events_search_ad",
    "DROP TRIGGER IF EXISTS events_search_au",
    "DROP TRIGGER IF EXISTS mentions_search_au",
    "DROP TRIGGER IF EXISTS mentions_search_ad",
    "DROP TRIGGER IF EXISTS mentions_search_ai",
    "DROP TRIGGER IF EXISTS event_search_au",
    "DROP TRIGGER IF EXISTS event_search_ad",
    "DROP TRIGGER IF EXISTS event_search_ai",
    "DROP TABLE IF EXISTS events_fts",
    "DROP TABLE IF EXISTS event_search",
]

# --- PostgreSQL ------------------------------------------------------------------------------------
PG_WORDS = "strip(to_tsvector('simple', string_agg(m.sentence, E'\\n')))"
PG_UP = [
    "ALTER TABLE events ADD COLUMN search_words tsvector",
    # the words of the events ``ids`` written again (only where they changed: no needless row versions)
    "CREATE FUNCTION eventledger_search_words(ids integer[]) RETURNS void LANGUAGE sql AS $$ "
    "UPDATE events e SET search_words = w.v FROM (SELECT i AS id, "
    f"(SELECT {PG_WORDS} FROM mentions m WHERE m.event_id = i) AS v "
    "FROM unnest(ids) AS i) w WHERE e.id = w.id AND e.search_words IS DISTINCT FROM w.v $$",
    # one trigger a statement (a batch of mentions, a merge): the events it touched, once each
    "CREATE FUNCTION eventledger_mentions_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "PERFORM eventledger_search_words(ARRAY(SELECT DISTINCT event_id FROM new_rows "
    "WHERE event_id IS NOT NULL)); RETURN NULL; END $$",
    "CREATE FUNCTION eventledger_mentions_deleted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "PERFORM eventledger_search_words(ARRAY(SELECT DISTINCT event_id FROM old_rows "
    "WHERE event_id IS NOT NULL)); RETURN NULL; END $$",
    "CREATE FUNCTION eventledger_mentions_updated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "PERFORM eventledger_search_words(ARRAY(SELECT DISTINCT x FROM old_rows o JOIN new_rows n "
    "ON n.id = o.id, LATERAL (VALUES (o.event_id), (n.event_id)) AS v(x) WHERE x IS NOT NULL AND "
    "(o.event_id IS DISTINCT FROM n.event_id OR o.sentence IS DISTINCT FROM n.sentence))); "
    "RETURN NULL; END $$",
    "CREATE TRIGGER mentions_search_ai AFTER INSERT ON mentions REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION eventledger_mentions_inserted()",
    "CREATE TRIGGER mentions_search_ad AFTER DELETE ON mentions REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION eventledger_mentions_deleted()",
    "CREATE TRIGGER mentions_search_au AFTER UPDATE ON mentions "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION eventledger_mentions_updated()",
]
# the words of every event (one pass over the mentions), and the index on them
PG_BACKFILL = (
    f"UPDATE events e SET search_words = w.v FROM (SELECT m.event_id, {PG_WORDS} AS v FROM mentions m "
    "WHERE m.event_id IS NOT NULL GROUP BY m.event_id) w WHERE e.id = w.event_id"
)
PG_INDEXES = [
    "CREATE INDEX ix_events_search_words ON events USING gin (search_words)",
    # a common word: the period's events newest first with their words, from the index alone
    "CREATE INDEX ix_events_date_search ON events (date, codebook, review_status) INCLUDE (id, search_words)",
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS mentions_search_au ON mentions",
    "DROP TRIGGER IF EXISTS mentions_search_ad ON mentions",
    "DROP TRIGGER IF EXISTS mentions_search_ai ON mentions",
    "DROP FUNCTION IF EXISTS eventledger_mentions_updated()",
    "DROP FUNCTION IF EXISTS eventledger_mentions_deleted()",
    "DROP FUNCTION IF EXISTS eventledger_mentions_inserted()",
    "DROP FUNCTION IF EXISTS eventledger_search_words(integer[])",
    "DROP INDEX IF EXISTS ix_events_search_words",
    "DROP INDEX IF EXISTS ix_events_date_search",
    "ALTER TABLE events DROP COLUMN IF EXISTS search_words",
    "CREATE INDEX IF NOT EXISTS ix_mentions_sentence_fts ON mentions USING gin (to_tsvector('simple', sentence))",
]


def upgrade() -> None:
    name = op.get_bind().dialect.name
    if name == "sqlite":
        for sql in SQLITE_UP:
            op.execute(sql)
    elif name == "postgresql":
        for sql in PG_UP:
            op.execute(sql)
        op.execute(PG_BACKFILL)
        for sql in PG_INDEXES:
            op.execute(sql)
        op.execute("DROP INDEX IF EXISTS ix_mentions_sentence_fts")


def downgrade() -> None:
    name = op.get_bind().dialect.name
    for sql in SQLITE_DOWN if name == "sqlite" else PG_DOWN if name == "postgresql" else []:
        op.execute(sql)
