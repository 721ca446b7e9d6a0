"""The review queue: flagged events first, then the least confident unreviewed ones, newest first;
every page and the count agree with a reading of every event in Python, on SQLite and PostgreSQL,
and a page is read from the queue's index (no sort of every waiting event)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, update

from eventledger.aggregate.periods import parse_period
from eventledger.review import actions
from eventledger.review.actions import Reviewer
from eventledger.review.queue import FLAGGED_IDS, queue, unreviewed, waiting
from eventledger.store.db import Store
from eventledger.store.queries import EventFilter
from eventledger.store.schema import events
from tests.store.conftest import ingested, pg_store  # noqa: F401  (a fixture)

CODER = Reviewer("ana", "coder", None)
FILTERS = [{}, {"period": "1401"}, {"period": "1401-11"}, {"province": "IR-11"}, {"category": "propaganda"}]


def _flag(store: Store) -> dict[str, int]:
    """Reviews of every kind, then a recode's flags on events of every status (written directly, as
    recode does): a merged one must stay out of the queue."""
    with store.begin() as conn:
        ids = list(conn.execute(select(events.c.id).order_by(events.c.id)).scalars())
        chosen = {
            "confirmed": ids[3],
            "rejected": ids[5],
            "merged": ids[7],
            "machine": ids[9],
            "corrected": ids[11],
        }
        actions.confirm(conn, CODER, ids[3])
        actions.reject(conn, CODER, ids[5], "not an act")
        actions.merge(conn, CODER, ids[8], [ids[7]], "one act")
        actions.correct(conn, CODER, ids[11], {"quantity": 2})
        for eid in ids[13:15]:  # reviewed, nobody flagged them: out of the queue
            actions.confirm(conn, CODER, eid)
        conn.execute(
            update(events).where(events.c.id.in_(chosen.values())).values(review_flag="recode moved it")
        )
        # ties of confidence, so that the date and the id order them
        conn.execute(update(events).where(events.c.id.in_(ids[20:30])).values(confidence=0.5))
    return chosen


def _filter(spec: dict[str, str]) -> EventFilter:
    period = parse_period(spec["period"]) if "period" in spec else None
    return EventFilter(period=period, **{k: v for k, v in spec.items() if k != "period"})


def brute_force(conn: Any, flt: EventFilter) -> tuple[int, list[int]]:
    anyhow = EventFilter(**{**flt.__dict__, "review_status": None, "include_retired": True})
    rows = conn.execute(anyhow.apply(select(events))).all()
    waiting_rows = [
        r
        for r in rows
        if r.review_status == "machine" or (r.review_flag is not None and r.review_status != "merged")
    ]
    waiting_rows.sort(key=lambda r: (r.review_flag is None, r.confidence, -r.date.toordinal(), r.id))
    return len(waiting_rows), [r.id for r in waiting_rows]


def _check(store: Store) -> None:
    chosen = _flag(store)
    with store.connect() as conn:
        for spec in FILTERS:
            flt = _filter(spec)
            n, order = brute_force(conn, flt)
            assert n > 0, spec
            got: list[int] = []
            for offset in range(0, n + 7, 7):
                total, items = queue(conn, flt, limit=7, offset=offset)
                assert total == n, spec
                got += [it["event"].id for it in items]
            assert got == order, spec
            assert waiting(conn, flt) == n, spec
        everything = [it["event"].id for it in queue(conn, EventFilter(), limit=1000)[1]]
    flagged = [chosen[s] for s in ("confirmed", "rejected", "machine", "corrected")]
    assert set(everything[:4]) == set(flagged)  # flagged first, whatever their confidence
    assert chosen["merged"] not in everything


def test_the_queue_is_every_waiting_event_in_its_order_page_by_page(db):
    _check(db)


@pytest.mark.postgres
def test_postgresql_queue_is_the_same(pg_store):  # noqa: F811
    _check(ingested(pg_store))


def _plan(conn: Any, stmt: Any) -> str:
    sql = str(stmt.compile(conn, compile_kwargs={"literal_binds": True}))
    return " | ".join(r[3] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))


def test_a_page_walks_the_queue_index_and_flagged_events_come_from_theirs(db):
    """The plans that keep the queue fast at a million events (bench_web.py "review queue")."""
    with db.connect() as conn:
        for spec in ({}, {"period": "1401"}, {"period": "1401-11"}):
            plan = _plan(conn, unreviewed(_filter(spec), 50))
            assert "ix_events_review_queue" in plan and "TEMP B-TREE" not in plan, (spec, plan)
        assert "ix_events_review_flag" in _plan(conn, FLAGGED_IDS)
        # the queue's index must not draw the events list away from its date index
        listing = (
            _filter({"period": "1401"})
            .apply(select(events.c.id))
            .order_by(events.c.date.desc(), events.c.id.desc())
        )
        plan = _plan(conn, listing.limit(50))
        assert "ix_events_date" in plan and "TEMP B-TREE" not in plan, plan
