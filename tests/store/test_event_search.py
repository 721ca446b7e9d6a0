"""The words of each event (migration 0013) find exactly the events a brute-force reading finds.

The reference reads every mention's sentence in Python: an event is found when one of its mentions
holds every word of the search (the last as the start of a word). Compared, on SQLite and on
PostgreSQL (both of PostgreSQL's ways of reading: newest first, and from the GIN index), for counts
(exact and capped), the first page and a later one, under several filters; after ingest, review
corrections, merges, splits, reverts, recode and direct changes to sentences, the words stay in step.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text, update

from eventledger.aggregate.periods import parse_period
from eventledger.review import actions
from eventledger.store import queries, search
from eventledger.store.db import Store
from eventledger.store.schema import events, mentions
from tests.store.conftest import ingested

WORDS = [
    "Izeh",
    "izeh gathered",
    "شعار",
    "شعارنویسی",
    "banner",
    "Tehran",
    "fire",
    "zzznothing",
    "the",
    "set fire",
]
FILTERS = [
    {},
    {"period": "1401"},
    {"period": "1401-06"},
    {"period": "1401", "category": "propaganda"},
    {"period": "1402", "review_status": "machine"},
]
USER = actions.Reviewer("ana", "coder")


def _filter(spec: dict, q: str | None) -> queries.EventFilter:
    period = parse_period(spec["period"]) if "period" in spec else None
    rest = {k: v for k, v in spec.items() if k != "period"}
    return queries.EventFilter(period=period, search=q, **rest)


def _tokens(sentence: str) -> list[str]:
    return re.findall(r"[^\W_]+", sentence.lower())


def brute_force(conn, flt: queries.EventFilter) -> list[int]:
    """The events of ``flt``, newest first, whose mentions were read one by one in Python."""
    ws = [w.lower() for w in search.words(flt.search or "")]
    plain = queries.EventFilter(**{**flt.__dict__, "search": None})
    ids = list(
        conn.execute(
            plain.apply(select(events.c.id)).order_by(events.c.date.desc(), events.c.id.desc())
        ).scalars()
    )
    found: set[int] = set()
    for eid, sentence in conn.execute(select(mentions.c.event_id, mentions.c.sentence)):
        toks = _tokens(sentence)
        if all(w in toks for w in ws[:-1]) and any(t.startswith(ws[-1]) for t in toks):
            found.add(eid)
    return [i for i in ids if i in found]


def _check(conn, *, cap: int = 3) -> dict[tuple[str, str], list[int]]:
    """Every search of WORDS × FILTERS against the brute force: list, pages, exact and capped counts."""
    out = {}
    for q in WORDS:
        for spec in FILTERS:
            flt = _filter(spec, q)
            want = brute_force(conn, flt)
            got = [e["id"] for e in queries.list_events(conn, flt)]
            assert got == want, (q, spec)
            assert [e["id"] for e in queries.list_events(conn, flt, limit=4)] == want[:4], (q, spec)
            assert [e["id"] for e in queries.list_events(conn, flt, limit=4, offset=4)] == want[4:8], (
                q,
                spec,
            )
            assert queries.count_events(conn, flt) == len(want), (q, spec)
            assert queries.count_events(conn, flt, cap=cap) == min(len(want), cap + 1), (q, spec)
            out[(q, repr(spec))] = got
    assert any(out.values()) and not all(out.values())  # words found, and words not found
    return out


def _both_ways(conn, monkeypatch) -> dict[tuple[str, str], list[int]]:
    """PostgreSQL: the same answers whether every event's words are read or the index is asked."""
    with monkeypatch.context() as m:
        m.setattr(queries, "scan_is_cheaper", lambda *a: True)
        by_scan = _check(conn)
    with monkeypatch.context() as m:
        m.setattr(queries, "scan_is_cheaper", lambda *a: False)
        by_index = _check(conn)
    assert by_scan == by_index
    return by_scan


def in_step(conn) -> None:
    """The stored words of every event are those of its mentions (and SQLite's keys its date)."""
    if conn.dialect.name == "postgresql":
        stale = conn.exec_driver_sql(
            "SELECT count(*) FROM events e WHERE e.search_words IS DISTINCT FROM "
            f"(SELECT {search.PG_EVENT_WORDS} FROM mentions m WHERE m.event_id = e.id)"
        ).scalar_one()
        assert stale == 0
        return
    want: dict[int, list[str]] = {}
    for eid, sentence in conn.execute(
        select(mentions.c.event_id, mentions.c.sentence).where(mentions.c.event_id.is_not(None))
    ):
        want.setdefault(eid, []).extend(sentence.split("\n"))
    dates = dict(conn.execute(select(events.c.id, events.c.date)).all())
    got = {
        eid: (key, sorted(ws.split("\n")))
        for key, eid, ws in conn.exec_driver_sql("SELECT key, event_id, words FROM event_search")
    }
    assert got == {eid: (search.sqlite_key(dates[eid], eid), sorted(s)) for eid, s in want.items()}
    conn.exec_driver_sql("INSERT INTO events_fts (events_fts, rank) VALUES ('integrity-check', 1)")


def _changes(store: Store, check) -> None:  # type: ignore[no-untyped-def]
    """Review corrections, merges, splits, reverts, recode and direct writes, each followed by ``check``."""
    from eventledger.recode import recode

    with store.connect() as conn:
        ids = list(
            conn.execute(
                select(events.c.id).where(events.c.n_mentions >= 2).order_by(events.c.id).limit(3)
            ).scalars()
        )
        singles = list(
            conn.execute(
                select(events.c.id).where(events.c.n_mentions == 1).order_by(events.c.id).limit(3)
            ).scalars()
        )
    with store.begin() as conn:  # a new date (SQLite: a new key) and place for an event and its mentions
        actions.correct(conn, USER, singles[0], {"date": "1401-06-10"})
    check()
    with store.begin() as conn:  # every report of two events onto a third
        merged = actions.merge(conn, USER, singles[1], [singles[2], ids[2]])
    check()
    with store.begin() as conn:  # one report of an event into an event of its own
        m_id = conn.execute(select(mentions.c.id).where(mentions.c.event_id == ids[0])).scalars().first()
        actions.split(conn, USER, ids[0], [m_id])
    check()
    with store.begin() as conn:
        actions.revert(conn, USER, merged.audit_id)
    check()
    with store.begin() as conn:
        actions.reject(conn, USER, ids[1])
    check()
    recode(store, workers=1)
    check()
    with store.begin() as conn:  # a sentence rewritten, a report moved, reports deleted
        conn.execute(
            update(mentions)
            .where(mentions.c.event_id == singles[1])
            .values(sentence="Supporters set fire to a banner in Izeh; Tehran zzznothing.")
        )
        one = conn.execute(select(mentions.c.id).where(mentions.c.event_id == ids[1])).scalars().first()
        conn.execute(update(mentions).where(mentions.c.id == one).values(event_id=singles[1]))
    check()
    with store.connect() as conn:
        assert singles[1] in [e["id"] for e in queries.list_events(conn, _filter({}, "zzznothing"))]
    with store.begin() as conn:
        doc = conn.execute(select(mentions.c.document_id).where(mentions.c.id == one)).scalar_one()
        conn.execute(delete(mentions).where(mentions.c.document_id == doc))
    check()


def test_sqlite_search_is_the_brute_force_and_follows_every_write(tmp_path: Path):
    store = ingested(Store.open(tmp_path / "s.db"))

    def check() -> None:
        with store.connect() as conn:
            in_step(conn)
            _check(conn)

    check()
    _changes(store, check)
    store.close()


def test_sqlite_search_reads_the_period_s_keys_only(store):
    flt = queries.EventFilter(period=parse_period("1401"), search="banner")
    with store.connect() as conn:
        sql = str(flt.apply(select(events.c.id)).compile(conn, compile_kwargs={"literal_binds": True}))
        plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
    assert "events_fts" in plan and "mentions_fts" not in plan  # one word: the events' words decide
    assert "rowid BETWEEN" in sql
    p = parse_period("1401")
    assert search.sqlite_key(p.start) < search.sqlite_key(p.start, 5) < search.sqlite_key(p.end, 2**32 - 1)
    assert search.sentence_search("  ") is None


def test_one_token_words():
    assert search.one_token(["banner"]) and search.one_token(["شعارنویسی"]) and search.one_token(["1401"])
    assert not search.one_token(["set", "fire"])
    assert not search.one_token(["foo.bar"]) and not search.one_token(["a_b"])
    assert not search.one_token(["می\u200cخواهند"])  # a zero-width non-joiner: tokenizers may split


@pytest.mark.postgres
def test_postgresql_search_is_the_brute_force_both_ways_and_follows_every_write(
    pg_store, tmp_path: Path, monkeypatch
):
    store = ingested(pg_store)

    def check() -> None:
        with store.connect() as conn:
            in_step(conn)
            _both_ways(conn, monkeypatch)

    check()
    with store.connect() as conn:
        on_pg = _both_ways(conn, monkeypatch)
    lite = ingested(Store.open(tmp_path / "lite.db"))
    with lite.connect() as conn:
        on_sqlite = _check(conn)
    lite.close()
    assert on_pg == on_sqlite  # the same reports give the same events, ids and order
    _changes(store, check)


@pytest.mark.postgres
def test_postgresql_one_token_words_are_one_lexeme(pg_store):
    with pg_store.connect() as conn:
        for w in ["banner", "Izeh", "شعارنویسی", "1401", "abc123", "ايذه", "x"]:
            assert search.one_token([w])
            n = conn.execute(
                text("SELECT numnode(to_tsquery('simple', :q))"), {"q": search.tsquery([w])}
            ).scalar_one()
            assert n == 1, w


@pytest.mark.postgres
def test_postgresql_store_of_0012_is_upgraded_with_the_words(pg_store):
    from alembic import command

    from eventledger.store.db import _alembic_config, head_revision

    store = ingested(pg_store)
    with store.connect() as conn:
        before = {q: queries.count_events(conn, queries.EventFilter(search=q)) for q in WORDS}
    with store.engine.begin() as conn:
        cfg = _alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0012")
    with store.connect() as conn:
        cols = conn.exec_driver_sql(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'events' "
            "AND column_name = 'search_words'"
        ).scalar_one()
        assert cols == 0
    store.close()
    store = Store.open(pg_store.url)  # upgrades to head: the words of every event written
    with store.connect() as conn:
        assert conn.exec_driver_sql("select version_num from alembic_version").scalar_one() == head_revision()
        in_step(conn)
        assert {q: queries.count_events(conn, queries.EventFilter(search=q)) for q in WORDS} == before
        _check(conn)
    store.close()


def test_sqlite_store_of_0012_is_upgraded_with_the_words(tmp_path: Path):
    from alembic import command

    from eventledger.store.db import _alembic_config

    store = ingested(Store.open(tmp_path / "old.db"))
    with store.connect() as conn:
        before = _check(conn)
    with store.engine.begin() as conn:
        cfg = _alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0012")
        assert (
            conn.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE name = 'event_search'").scalar()
            == 0
        )
    store.close()
    store = Store.open(tmp_path / "old.db")
    with store.connect() as conn:
        in_step(conn)
        assert _check(conn) == before
    store.close()


def test_sqlite_bulk_insert_writes_each_event_s_words_once_and_leaves_the_trigger_on(tmp_path: Path):
    """The writer's batches append their sentences per event (0014) and index them (0016) in one
    statement each; every other write still goes through the row triggers, also after a batch that
    failed half-way."""
    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    store = ingested(Store.open(tmp_path / "s.db"))
    with store.begin() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM event_search_deferred").scalar() == 0
        in_step(conn)
        two = [dict(r._mapping) for r in conn.execute(select(mentions).order_by(mentions.c.id).limit(2))]
        for r in two:
            del r["id"]
        # two more sentences for each of two stored events, in one batch: appended, nothing lost
        search.insert_mentions(conn, [{**r, "sentence": f"zzqx extra {i}"} for i, r in enumerate(two * 2)])
        in_step(conn)
        with pytest.raises(IntegrityError):  # a batch that fails half-way …
            search.insert_mentions(conn, [{**two[0], "sentence": "zzqy ok"}, {**two[0], "document_id": None}])
        # … leaves no flag behind: a direct insert in the same transaction keeps the words in step
        assert conn.exec_driver_sql("SELECT count(*) FROM event_search_deferred").scalar() == 0
        conn.execute(insert(mentions), [{**two[1], "sentence": "zzqz direct"}])
        in_step(conn)
    with store.connect() as conn:
        assert len(brute_force(conn, queries.EventFilter(search="zzqx"))) == len({r["event_id"] for r in two})
        _check(conn)
        # the sentence index (0016) holds every sentence once: the batch's, the half-failed
        # batch's first row and the direct insert's
        conn.exec_driver_sql("INSERT INTO mentions_fts (mentions_fts, rank) VALUES ('integrity-check', 1)")
        indexed = conn.exec_driver_sql("SELECT count(*) FROM mentions_fts").scalar()
        assert indexed == conn.exec_driver_sql("SELECT count(*) FROM mentions").scalar()
        for word, n in (("zzqx", 4), ("zzqy", 1), ("zzqz", 1)):
            sql = f"SELECT count(*) FROM mentions_fts WHERE mentions_fts MATCH '{word}'"
            assert conn.exec_driver_sql(sql).scalar() == n
    store.close()


def test_sqlite_page_of_a_word_reads_its_index_newest_first(store):
    """A page (and a capped count) of a word with no narrowing filter walks the words' index in key
    order and stops: no list of every match first, no sort; a rare category keeps the other plan."""
    flt = queries.EventFilter(period=parse_period("1401"), search="banner")
    with store.connect() as conn:
        assert flt.reads_words_first(conn)
        stmt = flt.words_first(select(events.c.id)).limit(4)
        sql = str(stmt.compile(conn, compile_kwargs={"literal_binds": True}))
        plan = [str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]
        assert plan[0].startswith("SCAN events_fts") and not any("TEMP B-TREE" in p for p in plan), plan
        assert not any("LIST SUBQUERY" in p for p in plan), plan
        assert not replace_filter(flt, category="propaganda").reads_words_first(conn)
        assert not queries.EventFilter(period=parse_period("1401")).reads_words_first(conn)


def replace_filter(flt: queries.EventFilter, **kw) -> queries.EventFilter:
    return queries.EventFilter(**{**flt.__dict__, **kw})
