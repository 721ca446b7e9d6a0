"""The daily count tables answer tallies exactly as counting the events does."""

from __future__ import annotations

import itertools

import pytest

from eventledger.aggregate.periods import parse_period
from eventledger.store import queries
from eventledger.store.db import Store

PERIODS = [("1401", None), ("2022", "gregorian"), ("1401-06", None), ("1401-11-25..1402-01-10", None)]
FILTERS = [
    {},
    {"category": "violence"},
    {"subtype": "slogan"},
    {"province": "IR-23"},
    {"claim_status": "corroborated"},
    {"review_status": "machine"},
    {"category": "propaganda", "claim_status": "claimed"},
    {"province": "IR-12", "category": "violence"},
    {"outlet": "Iran Monitor"},
    {"outlet": "Iran Monitor", "category": "violence"},
    {"outlet": "Iran Monitor", "subtype": "arson"},  # not in the daily tables: counted from the events
]
BY = ["subtype", "province", "month", "claim_status", "outlet"]


@pytest.fixture(scope="module")
def demo_store(demo_db):
    s = Store.open(demo_db)
    yield s
    s.close()


@pytest.mark.parametrize(("period", "flt"), list(itertools.product(PERIODS, FILTERS)))
def test_daily_tables_and_events_give_the_same_tally(demo_store, monkeypatch, period, flt):
    p = parse_period(*period)
    f = queries.EventFilter(period=p, **flt)
    with demo_store.connect() as conn:
        fast = queries.tally(conn, f, BY)
        n_fast = queries.count_events(conn, f)
        monkeypatch.setattr(queries, "_daily_source", lambda *a, **k: None)
        slow = queries.tally(conn, f, BY)
        n_slow = queries.count_events(conn, f)
    assert fast == slow
    assert n_fast == n_slow == fast["total"]


def _daily_rows(store) -> dict[str, list[tuple]]:
    from sqlalchemy import select

    from eventledger.store.schema import event_daily, event_daily_area, event_daily_outlet

    with store.connect() as conn:
        return {
            t.name: sorted(tuple(r) for r in conn.execute(select(t)) if r.n)
            for t in (event_daily, event_daily_area, event_daily_outlet)
        }


def test_incremental_daily_counts_equal_a_full_rebuild(tmp_path):
    """Small batches (events gain reports across batches), a changed report, a changed stance."""
    import json

    from eventledger.demo import sample_outlets, sample_reports
    from eventledger.outlets import Outlet, load_outlets
    from eventledger.pipeline import Ingestor
    from eventledger.store import writer
    from eventledger.store.summary import rebuild_daily

    store = Store.open(tmp_path / "inc.db")
    with store.begin() as conn:
        writer.upsert_outlets(conn, load_outlets(sample_outlets()))
    Ingestor(store, batch_size=7).ingest([sample_reports()])
    # a report that changed since (a new version: its old mentions are superseded)
    first = json.loads(sample_reports().read_text(encoding="utf-8").splitlines()[3])
    first["text"] = first["text"].replace(
        ".", ". Supporters also set fire to a banner in Tabriz on Friday.", 1
    )
    changed = tmp_path / "changed.jsonl"
    changed.write_text(json.dumps(first, ensure_ascii=False) + "\n", encoding="utf-8")
    Ingestor(store).ingest([changed])
    with store.begin() as conn:  # a stance change recomputes claim statuses
        writer.upsert_outlets(conn, [Outlet("Iran Monitor", "actor", "sepideh")])
        writer.refresh_claims(conn, queries.load_stances(conn))
    incremental = _daily_rows(store)
    with store.begin() as conn:
        rebuild_daily(conn)
    assert incremental == _daily_rows(store)
    store.close()
