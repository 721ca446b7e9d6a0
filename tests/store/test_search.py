"""Words in the reports: the events filter ``search`` (SQLite FTS5, kept in step by triggers)."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from eventledger.store import queries
from eventledger.store.schema import documents, mentions
from eventledger.store.search import fts5_query, words


def _count(store, q: str) -> int:
    with store.connect() as conn:
        return queries.count_events(conn, queries.EventFilter(search=q))


def _ids(store, q: str) -> set[int]:
    with store.connect() as conn:
        return {e["id"] for e in queries.list_events(conn, queries.EventFilter(search=q))}


def test_words_are_normalised_and_operators_dropped():
    assert words('banner "Shiraz" AND -fire* NEAR(a)') == ["banner", "Shiraz", "AND", "fire", "NEAR", "a"]
    assert words("شعارنويسي كردند") == ["شعارنویسی", "کردند"]  # Arabic ي/ك folded like stored text
    assert fts5_query(["a", "b"]) == '"a" "b"*'
    assert words("  ") == []


def test_search_finds_every_word_in_either_language_and_prefixes(demo_db):
    from eventledger.store.db import Store

    store = Store.open(demo_db)
    assert _count(store, "Izeh") >= 1
    assert _count(store, "izeh") == _count(store, "Izeh")  # case does not matter
    assert _count(store, "شعارنويسي") == _count(store, "شعارنویسی") > 0  # letter variants do not matter
    assert _count(store, "شعار") >= _count(store, "شعارنویسی")  # the last word is a prefix
    both = _ids(store, "Izeh gathered")
    assert both and both <= _ids(store, "Izeh") and both <= _ids(store, "gathered")
    assert _count(store, "Izeh zzzunknownword") == 0
    for hostile in ('"', "NEAR(", "*", "a OR", "-", "'; drop table events; --"):
        _count(store, hostile)  # never an error
    store.close()


def test_index_follows_changed_and_deleted_sentences(store, tmp_path):
    import json

    from eventledger.pipeline import Ingestor

    path = tmp_path / "r.jsonl"
    path.write_text(
        json.dumps(
            {
                "id": "r1",
                "outlet": "Iran Monitor",
                "published": "2023-02-18T09:00:00+03:30",
                "text": "Supporters set fire to a banner in Shiraz on Friday night.",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    Ingestor(store).ingest([path])
    assert _count(store, "banner Shiraz") == 1
    with store.begin() as conn:
        conn.execute(update(mentions).values(sentence="Supporters set fire to a billboard in Shiraz."))
    assert _count(store, "banner") == 0 and _count(store, "billboard") == 1
    with store.begin() as conn:
        conn.execute(delete(mentions))
        conn.execute(delete(documents))
    assert _count(store, "billboard") == 0
    with store.connect() as conn:
        assert (
            conn.exec_driver_sql(
                "SELECT count(*) FROM mentions_fts WHERE mentions_fts MATCH 'Shiraz'"
            ).scalar()
            == 0
        )
        assert conn.execute(select(mentions.c.id)).first() is None
