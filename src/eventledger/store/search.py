"""Words in the reports' sentences: the events filter ``search``.

Compiled per database: SQLite answers from its FTS5 index (migration 0004), PostgreSQL from a
GIN index on ``to_tsvector('simple', sentence)``, anything else with LIKE. Every word must occur
(in any order); the last one may be the start of a word ("تظاهر" finds «تظاهرات»). Case and
diacritics do not matter; Persian and Arabic letter variants are folded like the stored text.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Boolean, bindparam, select, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement

from eventledger.normalize.text import normalize_text
from eventledger.store.schema import events, mentions

MAX_WORDS = 12
_WORD = re.compile(r"[^\s\"'`*^():{}\[\]+\-]+")


def words(query: str) -> list[str]:
    """The words of a search (normalised like stored text; quotes and operators dropped)."""
    return _WORD.findall(normalize_text(query))[:MAX_WORDS]


def fts5_query(ws: list[str]) -> str:
    """``"a" "b" "c"*``: all words, the last as a prefix (FTS5 syntax; every word quoted)."""
    parts = [f'"{w}"' for w in ws]
    if parts:
        parts[-1] += "*"
    return " ".join(parts)


class SentenceSearch(ColumnElement[bool]):
    """``events.id IN (mentions whose sentence has all the words)``, compiled per dialect."""

    inherit_cache = False
    # Boolean: SQLite gets ``(events.id IN (…)) = 1``, which keeps its planner from looking up every
    # matching event by id (258,000 for a common word at a million events): it scans the period and
    # probes the list instead (measured: 2-3× faster for common words, city names as fast)
    type = Boolean()

    def __init__(self, query: str) -> None:
        self.words = words(query)


def sentence_search(query: str) -> ColumnElement[bool] | None:
    s = SentenceSearch(query)
    return s if s.words else None


# FTS5 gives the matching mentions' ids (its rowids, in order); their events are read from the
# small index (id, event_id) of migration 0012, not from the wide mention rows: at a million events a
# common word matches 276,000 mentions, and reading their rows took about half of a search
_SQLITE_EVENTS_OF_MATCHES = (
    "SELECT m.event_id FROM mentions_fts JOIN mentions AS m INDEXED BY ix_mentions_id_event "
    "ON m.id = mentions_fts.rowid WHERE mentions_fts MATCH :fts_q"
)


@compiles(SentenceSearch, "sqlite")
def _sqlite(element: SentenceSearch, compiler: Any, **kw: Any) -> str:
    stmt = text(_SQLITE_EVENTS_OF_MATCHES).bindparams(bindparam("fts_q", fts5_query(element.words)))
    return str(compiler.process(events.c.id.in_(stmt), **kw))


@compiles(SentenceSearch, "postgresql")
def _postgresql(element: SentenceSearch, compiler: Any, **kw: Any) -> str:
    ws = element.words
    tsquery = " & ".join(re.sub(r"[&|!<>:*()\\']", "", w) for w in ws) + ":*"
    # OFFSET 0 keeps the subquery apart: the matching mentions come from the GIN index once. Without
    # it the planner may walk the period's events newest first and compute to_tsvector for each of
    # their mentions (it costs that function far too low): 1.6-5 s for a city name at 1M events
    # against 0.2 s (bench/bench_web.py --db postgresql+psycopg://…)
    cond = text(
        "SELECT mentions.event_id FROM mentions "
        "WHERE to_tsvector('simple', mentions.sentence) @@ to_tsquery('simple', :ts_q) OFFSET 0"
    ).bindparams(bindparam("ts_q", tsquery))
    return str(compiler.process(events.c.id.in_(cond), **kw))


@compiles(SentenceSearch)
def _other(element: SentenceSearch, compiler: Any, **kw: Any) -> str:
    stmt = select(mentions.c.event_id)
    for w in element.words:
        like = "%" + w.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"
        stmt = stmt.where(mentions.c.sentence.like(like, escape="\\"))
    return str(compiler.process(events.c.id.in_(stmt), **kw))
