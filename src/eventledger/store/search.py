"""Words in the reports' sentences: the events filter ``search``.

Every word must occur in one sentence of one of the event's reports (mentions), in any order; the
last one may be the start of a word ("تظاهر" finds «تظاهرات»). Case and diacritics do not matter;
Persian and Arabic letter variants are folded like the stored text.

Compiled per database from the words of each event (migration 0013): SQLite from the FTS5 table
``events_fts``, whose rowids are ordered like the events list (a period is a range of them),
PostgreSQL from ``events.search_words`` (a ``tsvector``), anything else with LIKE on the mentions.
An event's words are those of all its mentions, so one word is found there exactly; for several
words (or a word a tokenizer may split) they only narrow the events down and the mentions decide
(SQLite: the FTS5 index of the mentions, 0004; PostgreSQL: ``to_tsvector`` of that event's mentions).

PostgreSQL reads a search one of two ways (:func:`scan_is_cheaper` chooses, from the planner's
estimates): a common word by walking the filter's events newest first and checking each one's words
(from the index ``ix_events_date_search`` alone when the filter is a period) until enough match; a
rare word from the GIN index on the words. Both give the same events in the same order.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    Boolean,
    Connection,
    Integer,
    Select,
    and_,
    bindparam,
    column,
    insert,
    select,
    table,
    text,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement

from eventledger.normalize.text import normalize_text
from eventledger.store import bulk
from eventledger.store.schema import events, mentions

MAX_WORDS = 12
_WORD = re.compile(r"[^\s\"'`*^():{}\[\]+\-]+")
HAND_WRITTEN = (  # full-text objects written by migrations 0004 and 0013, outside schema.metadata
    "mentions_fts",
    "ix_mentions_sentence_fts",
    "event_search",
    "events_fts",
    "search_words",
    "ix_events_search_words",
    "ix_events_date_search",
)
# the words of an event on PostgreSQL from its mentions ``m`` (what migration 0013's triggers write)
PG_EVENT_WORDS = "strip(to_tsvector('simple', string_agg(m.sentence, E'\\n')))"
_ONE_TOKEN = re.compile(r"[^\W_]+")  # letters and digits only: one token for FTS5 and PostgreSQL


# SQLite (migration 0014): the sentences of the mentions after ``:after`` appended to their events'
# words, once per event (in the mentions' order; the FTS5 row follows through event_search's triggers)
_SQLITE_APPEND_WORDS = (
    "INSERT INTO event_search (key, event_id, words) "
    "SELECT ((CAST(julianday(e.date) AS INTEGER) << 32) | e.id), e.id, w.words "
    "FROM (SELECT event_id, group_concat(sentence, char(10)) AS words FROM "
    "(SELECT event_id, sentence FROM mentions WHERE id > ? AND event_id IS NOT NULL ORDER BY event_id, id) "
    "GROUP BY event_id) AS w JOIN events AS e ON e.id = w.event_id WHERE true "
    "ON CONFLICT (event_id) DO UPDATE SET words = words || char(10) || excluded.words"
)
# SQLite (migration 0016): the sentences of the mentions after ``:after`` into the sentence index
_SQLITE_INDEX_SENTENCES = (
    "INSERT INTO mentions_fts (rowid, sentence) SELECT id, sentence FROM mentions WHERE id > ? ORDER BY id"
)


def insert_mentions(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert new mention rows (no ids given) with their sentences indexed and their events' words
    kept in step.

    On SQLite the row trigger of 0013 would rewrite an event's FTS5 row once per mention, and the
    one of 0004 would index each sentence on its own; here both stand aside (0014, 0016): the
    batch's sentences enter the sentence index in one statement and each event touched gets them
    in one write. Elsewhere the database's own triggers do it (PostgreSQL: once a statement)."""
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(insert(mentions), list(rows))
        return
    assert all("id" not in r for r in rows), "new mentions only: their ids follow the largest stored one"
    after = conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM mentions").scalar_one()
    conn.exec_driver_sql("INSERT INTO event_search_deferred (id) VALUES (1)")
    try:
        bulk.insert_rows(conn, mentions, rows)
    finally:
        # also when a row failed half-way: the rows inserted before it are indexed and have their
        # words, as with the triggers; the flag is never committed (it goes before the transaction
        # ends)
        conn.exec_driver_sql(_SQLITE_INDEX_SENTENCES, (after,))
        conn.exec_driver_sql(_SQLITE_APPEND_WORDS, (after,))
        conn.exec_driver_sql("DELETE FROM event_search_deferred")


def words(query: str) -> list[str]:
    """The words of a search (normalised like stored text; quotes and operators dropped)."""
    return _WORD.findall(normalize_text(query))[:MAX_WORDS]


def one_token(ws: list[str]) -> bool:
    """Whether a search is one word that both tokenizers keep whole (then an event's words decide)."""
    return len(ws) == 1 and _ONE_TOKEN.fullmatch(ws[0]) is not None


def fts5_query(ws: list[str]) -> str:
    """``"a" "b" "c"*``: all words, the last as a prefix (FTS5 syntax; every word quoted)."""
    parts = [f'"{w}"' for w in ws]
    if parts:
        parts[-1] += "*"
    return " ".join(parts)


def tsquery(ws: list[str]) -> str:
    """``a & b & c:*`` for ``to_tsquery('simple', …)`` (operators dropped from the words)."""
    return " & ".join(re.sub(r"[&|!<>:*()\\']", "", w) for w in ws) + ":*"


def sqlite_key(day: dt.date, event_id: int = 0) -> int:
    """An event's key in ``event_search`` and rowid in ``events_fts``: ``(day << 32) | id``, the day
    number being SQLite's ``CAST(julianday(date) AS INTEGER)`` (migration 0013)."""
    return ((day.toordinal() + 1_721_424) << 32) | event_id


class SentenceSearch(ColumnElement[bool]):
    """The events whose mentions hold the words, compiled per dialect.

    ``period`` (first and last day) narrows SQLite's full-text read to the period's keys (the
    filter's date condition still applies); ``scan`` makes PostgreSQL check each event's words where
    it reads the event instead of asking the GIN index (a common word, read newest first)."""

    inherit_cache = False
    # Boolean: SQLite gets ``(events.id IN (…)) = 1``, which keeps its planner from looking up every
    # matching event by id: it scans the period and probes the list instead
    type = Boolean()

    def __init__(self, query: str, period: tuple[dt.date, dt.date] | None = None, scan: bool = False) -> None:
        self.words = words(query)
        self.period = period
        self.scan = scan


def sentence_search(
    query: str, period: tuple[dt.date, dt.date] | None = None, *, scan: bool = False
) -> ColumnElement[bool] | None:
    s = SentenceSearch(query, period, scan)
    return s if s.words else None


# FTS5 gives the matching mentions' ids (its rowids, in order); their events are read from the
# small index (id, event_id) of migration 0012, not from the wide mention rows
_SQLITE_EVENTS_OF_MATCHES = (
    "SELECT m.event_id FROM mentions_fts JOIN mentions AS m INDEXED BY ix_mentions_id_event "
    "ON m.id = mentions_fts.rowid WHERE mentions_fts MATCH :fts_q"
)
# the event ids of the matching keys (the low 32 bits), without reading event_search
_SQLITE_EVENTS = "SELECT rowid & 4294967295 FROM events_fts WHERE events_fts MATCH :fts_q"
_SQLITE_PERIOD = " AND rowid BETWEEN :fts_lo AND :fts_hi"


# SQLite: the FTS5 table of the events' words, joined to the events it names (its rowid's low 32 bits)
_EVENTS_FTS = table("events_fts", column("rowid", Integer))


def _key_range(period: tuple[dt.date, dt.date]) -> tuple[int, int]:
    """The first and last ``events_fts`` keys of a period (every event id of its first and last day)."""
    return sqlite_key(period[0]), sqlite_key(period[1], 2**32 - 1)


def _in_one_sentence(q: str) -> ColumnElement[bool]:
    """SQLite: the events with a mention whose sentence holds every word of the FTS5 query ``q``."""
    return events.c.id.in_(text(_SQLITE_EVENTS_OF_MATCHES).bindparams(bindparam("fts_q", q)))


def newest_matches(stmt: Select[Any], query: str, period: tuple[dt.date, dt.date] | None) -> Select[Any]:
    """SQLite: ``stmt`` (a select of events, filtered) read from the words' full-text index, newest
    first, one event at a time: the index gives its matching keys in key order — the events list's
    order, date then id, descending — so a page or a capped count stops after the rows it needs
    instead of first listing every match of the store (a quarter of all events for a common word;
    a word found nowhere was a walk over every event). For filters whose other conditions keep most
    events (a period, the codebook, the status): a rare category with a common word would walk many
    matches, and keeps :class:`SentenceSearch`'s plan."""
    ws = words(query)
    key = _EVENTS_FTS.c.rowid
    q = fts5_query(ws)
    stmt = stmt.select_from(_EVENTS_FTS.join(events, events.c.id == key.op("&")(0xFFFFFFFF)))
    stmt = stmt.where(text("events_fts MATCH :fts_q").bindparams(bindparam("fts_q", q)))
    if period is not None:
        stmt = stmt.where(key.between(*_key_range(period)))
    if not one_token(ws):  # several words: in one sentence of one mention
        stmt = stmt.where(_in_one_sentence(q))
    return stmt.order_by(key.desc())


@compiles(SentenceSearch, "sqlite")
def _sqlite(element: SentenceSearch, compiler: Any, **kw: Any) -> str:
    q = fts5_query(element.words)
    sub = text(_SQLITE_EVENTS + (_SQLITE_PERIOD if element.period else "")).bindparams(bindparam("fts_q", q))
    if element.period:
        lo, hi = _key_range(element.period)
        sub = sub.bindparams(bindparam("fts_lo", lo), bindparam("fts_hi", hi))
    cond: ColumnElement[bool] = events.c.id.in_(sub)
    if not one_token(element.words):
        cond = and_(cond, _in_one_sentence(q))
    return "(" + str(compiler.process(cond, **kw)) + ")"


# the words of the event as the GIN index sees them, or (scan) as an expression no index answers,
# checked on each event read (from ix_events_date_search alone in an index-only scan)
_PG_WORDS = "events.search_words @@ to_tsquery('simple', :ts_q)"
_PG_WORDS_SCAN = "coalesce(events.search_words, ''::tsvector) @@ to_tsquery('simple', :ts_q)"
# several words must be in one sentence: a subquery run for each event the words narrowed down to
# (OFFSET 0: never a join, which would compute to_tsvector for every mention of the store)
_PG_ONE_SENTENCE = (
    " AND EXISTS (SELECT 1 FROM mentions AS m WHERE m.event_id = events.id "
    "AND to_tsvector('simple', m.sentence) @@ to_tsquery('simple', :ts_q) OFFSET 0)"
)


@compiles(SentenceSearch, "postgresql")
def _postgresql(element: SentenceSearch, compiler: Any, **kw: Any) -> str:
    ws = element.words
    sql = (_PG_WORDS_SCAN if element.scan else _PG_WORDS) + ("" if one_token(ws) else _PG_ONE_SENTENCE)
    return "(" + str(compiler.process(text(sql).bindparams(bindparam("ts_q", tsquery(ws))), **kw)) + ")"


# a row the scan reads costs about half of a match the GIN index gives (its bitmap, then the heap):
# measured at 1M events, 0.35-0.9 µs against 2-5 µs
SCAN_OVER_INDEX = 2.0


def estimated_rows(conn: Connection, stmt: Select[Any]) -> float:
    """The planner's estimate of the rows of ``stmt`` (PostgreSQL ``EXPLAIN``; no rows are read)."""
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    out = conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + str(compiled), compiled.params).scalar_one()
    plan = json.loads(out) if isinstance(out, str) else out
    return float(plan[0]["Plan"]["Plan Rows"])


def scan_is_cheaper(conn: Connection, query: str, filtered: Select[Any], wanted: int) -> bool:
    """PostgreSQL: whether ``wanted`` events of ``filtered`` (the events of a filter without its words,
    newest first) that hold the words of ``query`` are found sooner by reading them one by one,
    checking each one's words, than from the GIN index, which gives every event of the store with
    those words. From the planner's estimates (``ANALYZE`` keeps the most common words' frequencies):
    ``min(rows, wanted × events / matches)`` rows read against ``matches`` from the index, where
    ``matches`` is the least of the words' own (words of one report are seldom independent)."""
    ws = words(query)
    if conn.dialect.name != "postgresql" or not ws:
        return False
    each = [tsquery([w])[:-2] for w in ws[:-1]] + [tsquery(ws[-1:])]  # the last word a prefix
    matches = min(
        estimated_rows(conn, select(events.c.id).where(text(_PG_WORDS).bindparams(bindparam("ts_q", q))))
        for q in each
    )
    total = float(
        conn.exec_driver_sql("SELECT reltuples FROM pg_class WHERE oid = 'events'::regclass").scalar_one()
    )
    rows = estimated_rows(conn, filtered)
    if matches <= 0 or total <= 0:
        return False
    return min(rows, wanted * total / matches) < SCAN_OVER_INDEX * matches


@contextmanager
def newest_first(conn: Connection) -> Iterator[None]:
    """PostgreSQL: the statements inside (a common word's events, read one by one) walk the filter's
    events in date order and stop at the page rather than sort every match (``enable_sort`` off: the
    planner cannot tell how many events of a period hold several words, nor one word read as an
    expression, and may otherwise sort them all), without JIT compilation (``jit`` off: the walk's
    cost, counted as if every event were read, would start it; 0.6 s for a 5 ms page at 1M events)."""
    if conn.dialect.name != "postgresql":
        yield
        return
    names = ("enable_sort", "jit")
    was = [conn.exec_driver_sql(f"SELECT current_setting('{n}')").scalar_one() for n in names]
    for n in names:
        conn.exec_driver_sql(f"SELECT set_config('{n}', 'off', true)")
    yield
    for n, v in zip(names, was, strict=True):
        conn.exec_driver_sql(f"SELECT set_config('{n}', %(v)s, true)", {"v": v})


@compiles(SentenceSearch)
def _other(element: SentenceSearch, compiler: Any, **kw: Any) -> str:
    stmt = select(mentions.c.event_id)
    for w in element.words:
        like = "%" + w.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"
        stmt = stmt.where(mentions.c.sentence.like(like, escape="\\"))
    return str(compiler.process(events.c.id.in_(stmt), **kw))
