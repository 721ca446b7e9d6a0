"""Recode, flags and dropped candidates on a real PostgreSQL server (EVENTLEDGER_TEST_PG_URL)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text

from eventledger.aggregate.periods import parse_period
from eventledger.demo import sample_outlets, sample_reports
from eventledger.outlets import load_outlets
from eventledger.pipeline import Ingestor
from eventledger.recode import recode
from eventledger.review import actions
from eventledger.review.dropped import list_dropped
from eventledger.review.queue import queue
from eventledger.store import queries, writer
from eventledger.store.schema import events

pytestmark = pytest.mark.postgres


def test_postgres_recode_keeps_ids_tallies_and_decisions(pg_store):
    with pg_store.begin() as conn:
        writer.upsert_outlets(conn, load_outlets(sample_outlets()))
    Ingestor(pg_store, workers=1).ingest([sample_reports()])
    p = parse_period("1401")
    with pg_store.connect() as conn:
        first = (
            conn.execute(select(events.c.id).where(events.c.review_status == "machine").order_by(events.c.id))
            .scalars()
            .first()
        )
    with pg_store.begin() as conn:
        actions.confirm(conn, actions.Reviewer("ana", "coder"), first)
    with pg_store.connect() as conn:
        before = queries.tally(conn, queries.EventFilter(period=p), ["subtype", "province", "outlet"])
        ids = sorted(conn.execute(select(events.c.id)).scalars())
    result = recode(pg_store, workers=1)
    assert result.events_added == result.events_removed == 0
    assert result.decisions == result.decisions_reapplied == 1
    with pg_store.connect() as conn:
        assert queries.tally(conn, queries.EventFilter(period=p), ["subtype", "province", "outlet"]) == before
        assert sorted(conn.execute(select(events.c.id)).scalars()) == ids
        assert (
            conn.execute(select(events.c.review_status).where(events.c.id == first)).scalar_one()
            == "confirmed"
        )
        total, _ = queue(conn, limit=5)
        assert total >= 1
        assert list_dropped(conn, limit=5)[0] >= 0
        counts = conn.execute(text("select counts from runs where command = 'recode'")).scalar_one()
    assert json.loads(json.dumps(counts))["documents"] == 178
