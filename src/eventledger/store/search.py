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
    type = Boolean()

    def __init__(self, query: str) -> None:
        self.words = words(query)


def sentence_search(query: str) -> ColumnElement[bool] | None:
    s = SentenceSearch(query)
    return s if s.words else None


@compiles(SentenceSearch, "sqlite")
def _sqlite(element: SentenceSearch, compiler: Any, **kw: Any) -> str:
    stmt = select(mentions.c.event_id).where(
        mentions.c.id.in_(
            text("SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH :fts_q").bindparams(
                bindparam("fts_q", fts5_query(element.words))
            )
        )
    )
    return str(compiler.process(events.c.id.in_(stmt), **kw))


@compiles(SentenceSearch, "postgresql")
def _postgresql(element: SentenceSearch, compiler: Any, **kw: Any) -> str:
    ws = element.words
    tsquery = " & ".join(re.sub(r"[&|!<>:*()\\']", "", w) for w in ws) + ":*"
    cond = text("to_tsvector('simple', mentions.sentence) @@ to_tsquery('simple', :ts_q)").bindparams(
        bindparam("ts_q", tsquery)
    )
    stmt = select(mentions.c.event_id).where(cond)
    return str(compiler.process(events.c.id.in_(stmt), **kw))


@compiles(SentenceSearch)
def _other(element: SentenceSearch, compiler: Any, **kw: Any) -> str:
    stmt = select(mentions.c.event_id)
    for w in element.words:
        like = "%" + w.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"
        stmt = stmt.where(mentions.c.sentence.like(like, escape="\\"))
    return str(compiler.process(events.c.id.in_(stmt), **kw))
