"""The same store on a real PostgreSQL server (EVENTLEDGER_TEST_PG_URL; .ci/run starts one)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from eventledger.demo import sample_outlets, sample_reports
from eventledger.outlets import load_outlets
from eventledger.pipeline import Ingestor
from eventledger.store import queries, writer
from tests.conftest import GOLDEN

pytestmark = pytest.mark.postgres


def test_postgres_gives_the_golden_tallies_of_sqlite(pg_store):
    with pg_store.begin() as conn:
        writer.upsert_outlets(conn, load_outlets(sample_outlets()))
    result = Ingestor(pg_store, workers=1).ingest([sample_reports()])
    assert result.errors == 0 and result.documents == 178
    golden = json.loads((GOLDEN / "tally_1401_jalali.json").read_text(encoding="utf-8"))
    from eventledger.aggregate.periods import parse_period
    from eventledger.extract.codebook import load_codebook

    cb = load_codebook()
    with pg_store.connect() as conn:
        t = queries.tally(
            conn,
            queries.EventFilter(period=parse_period("1401")),
            ["subtype", "month", "province", "claim_status"],
            cb.category_ids(),
            list(cb.subtypes),
        )
    assert json.loads(json.dumps(t)) == golden


def test_postgres_reingest_adds_nothing_and_ids_come_from_sequences(pg_store, tmp_path: Path):
    first = Ingestor(pg_store, workers=1).ingest([sample_reports()])
    second = Ingestor(pg_store, workers=1).ingest([sample_reports()])
    assert first.documents == 178 and second.documents == 0 and second.duplicates == 178
    with pg_store.connect() as conn:
        n = conn.execute(text("select count(*) from events")).scalar_one()
        top = conn.execute(text("select max(id) from events")).scalar_one()
        nxt = conn.execute(text("select nextval('events_id_seq')")).scalar_one()
    assert nxt > top >= n


def test_postgres_reviews_search_and_dashboard_counts(pg_store):
    from sqlalchemy import select

    from eventledger.aggregate.periods import parse_period
    from eventledger.review import actions
    from eventledger.store.queries import summary_counts
    from eventledger.store.schema import events, mentions

    with pg_store.begin() as conn:
        writer.upsert_outlets(conn, load_outlets(sample_outlets()))
    Ingestor(pg_store, workers=1).ingest([sample_reports()])
    p = parse_period("1401")
    coder = actions.Reviewer("ana", "coder")

    def both() -> tuple[dict, dict]:
        with pg_store.connect() as conn:
            return queries.tally(conn, queries.EventFilter(period=p), ["subtype"]), summary_counts(conn, p)

    t0, d0 = both()
    assert d0["total"] == t0["total"]
    with pg_store.connect() as conn:
        multi = (
            conn.execute(
                select(events.c.id)
                .where(events.c.n_mentions >= 2, events.c.date.between(p.start, p.end))
                .order_by(events.c.id)
            )
            .scalars()
            .first()
        )
        mids = (
            conn.execute(select(mentions.c.id).where(mentions.c.event_id == multi).order_by(mentions.c.id))
            .scalars()
            .all()
        )
        found = queries.count_events(conn, queries.EventFilter(search="شعار"))
    assert found > 0  # the GIN full-text index answers Persian words (prefix match)
    with pg_store.begin() as conn:
        split = actions.split(conn, coder, multi, [mids[-1]])
        fix = actions.correct(conn, coder, split.event_ids[1], {"subtype": "grenade", "place": "IR-23"})
    t1, d1 = both()
    assert t1["total"] == t0["total"] + 1 and d1["total"] == t1["total"]
    assert d1["by_subtype"]["grenade"] == t1["by_subtype"]["grenade"]
    with pg_store.begin() as conn:
        actions.revert(conn, coder, fix.audit_id)
        actions.revert(conn, coder, split.audit_id)
    t2, d2 = both()
    assert t2 == t0 and d2["total"] == t0["total"]


def test_a_release_on_postgresql_is_made_once_and_never_changes(pg_store):
    from eventledger import releases
    from eventledger.errors import StoreError

    with pg_store.begin() as conn:
        writer.upsert_outlets(conn, load_outlets(sample_outlets()))
    Ingestor(pg_store, workers=1).ingest([sample_reports()])
    with pg_store.begin() as conn:
        r = releases.create(conn, "pg-1")
    with pg_store.connect() as conn:
        assert releases.verify(conn, r) == r.n_events > 0
    for sql in ("UPDATE releases SET note = 'x'", "DELETE FROM release_chunks"):
        with pytest.raises(StoreError, match="never changes"), pg_store.begin() as conn:
            conn.execute(text(sql))


def test_exports_on_postgresql_read_the_events_of_list_events(pg_store):
    """The fast id-order reader and the column-by-column Parquet take PostgreSQL's value types
    (dates and times as objects, not text) to the same events and the same file."""
    import io

    import pyarrow.parquet as pq

    from eventledger.report import exports
    from eventledger.store import scan

    with pg_store.begin() as conn:
        writer.upsert_outlets(conn, load_outlets(sample_outlets()))
    Ingestor(pg_store, workers=1).ingest([sample_reports()])
    with pg_store.connect() as conn:
        for flt in (queries.EventFilter(), queries.EventFilter(category="propaganda")):
            expected = sorted(queries.iter_events(conn, flt), key=lambda e: e["id"])
            assert list(scan.iter_events(conn, flt, size=7)) == expected
            meta = exports.export_meta(conn, flt)
            a, b = io.BytesIO(), io.BytesIO()
            exports.write_export("parquet", iter(expected), meta, a)
            exports.write_live(conn, "parquet", flt, meta, b)
            assert pq.read_table(io.BytesIO(a.getvalue())).equals(pq.read_table(io.BytesIO(b.getvalue())))
