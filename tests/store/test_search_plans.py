"""The search of the events' words (migration 0013) finds exactly what the first queries found.

The first queries read the mentions' full-text index (SQLite FTS5, PostgreSQL to_tsvector of each
sentence). Each is compared with today's search, on the same store, for counts and listed pages
under several filters; and SQLite with PostgreSQL on the same reports (tests/store/test_event_search.py
compares both with a brute-force reading of the sentences).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text

from eventledger.aggregate.periods import parse_period
from eventledger.store import queries
from eventledger.store.db import Store
from eventledger.store.schema import events
from eventledger.store.search import fts5_query, words
from tests.store.conftest import ingested

WORDS = ["Izeh", "izeh gathered", "شعار", "شعارنویسی", "banner", "Tehran", "fire", "zzznothing", "the"]
FILTERS = [
    {},
    {"period": "1401"},
    {"period": "1401-06"},
    {"period": "1401", "category": "propaganda"},
    {"period": "1402", "review_status": "machine"},
]


def _filter(spec: dict, q: str) -> queries.EventFilter:
    period = parse_period(spec["period"]) if "period" in spec else None
    rest = {k: v for k, v in spec.items() if k != "period"}
    return queries.EventFilter(period=period, search=q, **rest)


def _old_ids(conn, flt: queries.EventFilter) -> list[int]:
    """The events the first search query found (before migration 0012), newest first."""
    ws = words(flt.search or "")
    if conn.dialect.name == "sqlite":
        sub = text(
            "SELECT mentions.event_id FROM mentions WHERE mentions.id IN "
            "(SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH :q)"
        ).bindparams(q=fts5_query(ws))
    else:
        import re

        tsq = " & ".join(re.sub(r"[&|!<>:*()\\']", "", w) for w in ws) + ":*"
        sub = text(
            "SELECT mentions.event_id FROM mentions "
            "WHERE to_tsvector('simple', mentions.sentence) @@ to_tsquery('simple', :q)"
        ).bindparams(q=tsq)
    plain = queries.EventFilter(**{**flt.__dict__, "search": None})
    stmt = plain.apply(select(events.c.id)).where(events.c.id.in_(sub))
    return list(conn.execute(stmt.order_by(events.c.date.desc(), events.c.id.desc())).scalars())


def _new_ids(conn, flt: queries.EventFilter) -> tuple[int, list[int], list[int]]:
    count = queries.count_events(conn, flt)
    every = [e["id"] for e in queries.list_events(conn, flt)]
    page2 = [e["id"] for e in queries.list_events(conn, flt, limit=5, offset=5)]
    return count, every, page2


def _same_as_before(store: Store) -> dict[tuple[str, str], list[int]]:
    found = {}
    with store.connect() as conn:
        for q in WORDS:
            for spec in FILTERS:
                flt = _filter(spec, q)
                old = _old_ids(conn, flt)
                count, every, page2 = _new_ids(conn, flt)
                assert (count, every, page2) == (len(old), old, old[5:10]), (q, spec)
                found[(q, repr(spec))] = every
    assert any(found.values()) and not all(found.values())  # words found, and words not found
    return found


def test_sqlite_search_finds_what_the_first_query_found(demo_db):
    store = Store.open(demo_db)
    _same_as_before(store)
    store.close()


@pytest.mark.postgres
def test_postgresql_search_finds_what_the_first_query_found_and_what_sqlite_finds(pg_store, tmp_path: Path):
    on_pg = _same_as_before(ingested(pg_store))
    lite = ingested(Store.open(tmp_path / "lite.db"))
    on_sqlite = _same_as_before(lite)
    lite.close()
    # the same reports give the same events and ids; plain words are found alike by FTS5 and tsvector
    for q in ("Izeh", "شعارنویسی", "zzznothing"):
        for spec in FILTERS:
            assert on_pg[(q, repr(spec))] == on_sqlite[(q, repr(spec))], (q, spec)
