"""Stored redaction of URLs and external ids: what fast readers rely on, and what old stores get."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from eventledger.normalize.redact import REDACTION_RULES
from eventledger.pipeline import Ingestor
from eventledger.store import queries, scan
from eventledger.store.db import Store

PHONE = "09121234567"
URL = f"https://news.example/item?tel={PHONE}&id=7"


def _store_with_a_phone_in_a_url(tmp_path: Path) -> Path:
    db = tmp_path / "s.db"
    src = tmp_path / "in.jsonl"
    record = {"id": f"tel:{PHONE}", "outlet": "Wire", "lang": "en", "url": URL,
              "published": "2023-02-18T09:00:00+03:30",
              "text": "Supporters set fire to a large banner in Shiraz on Friday night, witnesses said."}  # fmt: skip
    src.write_text(json.dumps(record) + "\n", encoding="utf-8")
    store = Store.open(db)
    Ingestor(store).ingest([src])
    store.close()
    return db


def _sources(db: Path) -> list[dict[str, object]]:
    store = Store.open(db)
    try:
        with store.connect() as conn:
            return [s for e in scan.iter_events(conn, queries.EventFilter()) for s in e["sources"]]
    finally:
        store.close()


def test_new_documents_are_stored_with_their_shown_id_and_rules_version(tmp_path):
    db = _store_with_a_phone_in_a_url(tmp_path)
    with sqlite3.connect(db) as raw:
        external_id, shown_id, url, redaction = raw.execute(
            "select external_id, shown_id, url, redaction from documents"
        ).fetchone()
    assert external_id == f"tel:{PHONE}"  # the key that tells reports apart stays as received
    assert PHONE not in shown_id and PHONE not in url and redaction == REDACTION_RULES
    (src,) = _sources(db)
    assert src["external_id"] == shown_id and src["url"] == url


def test_an_older_store_is_brought_up_to_the_current_rules_when_opened(tmp_path):
    db = _store_with_a_phone_in_a_url(tmp_path)
    with sqlite3.connect(db) as raw:  # as a store of before the stored redaction (or of older rules) looks
        raw.execute("update documents set url = ?, shown_id = null, redaction = null", (URL,))
    (src,) = _sources(db)
    assert PHONE not in json.dumps(src)
    with sqlite3.connect(db) as raw:
        url, shown_id, redaction = raw.execute("select url, shown_id, redaction from documents").fetchone()
    assert PHONE not in url and PHONE not in shown_id and redaction == REDACTION_RULES


def test_a_row_of_older_rules_is_redacted_when_read(tmp_path):
    db = _store_with_a_phone_in_a_url(tmp_path)
    store = Store.open(db)
    try:
        with store.begin() as conn:  # after the store was opened: the reader must not trust the row
            conn.exec_driver_sql("update documents set url = ?, shown_id = ?, redaction = ?", (URL, URL, 0))
        with store.connect() as conn:
            (event,) = scan.iter_events(conn, queries.EventFilter())
            listed = queries.sources_of(conn, [event["id"]])[event["id"]]
            detail = queries.event_detail(conn, event["id"])
    finally:
        store.close()
    for shown in (event["sources"], listed, detail["sources"], detail["mentions"]):
        assert PHONE not in json.dumps(shown)


def test_opening_a_current_store_takes_no_write_lock(tmp_path):
    db = _store_with_a_phone_in_a_url(tmp_path)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("begin immediate")  # a long write elsewhere (a release being made)
    try:
        t0 = time.monotonic()
        store = Store.open(db)
        with store.connect() as conn:
            assert queries.tally(conn, queries.EventFilter())["total"] == 1
        store.close()
        assert time.monotonic() - t0 < 5
    finally:
        holder.execute("rollback")
        holder.close()
