"""Several codebooks in one store: each codebook's events are resolved, counted and re-coded apart."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from eventledger.aggregate.periods import parse_period
from eventledger.extract.codebook import codebook_path, load_codebook
from eventledger.recode import recode
from eventledger.review.actions import Reviewer, ReviewError, merge
from eventledger.store import queries
from eventledger.store.db import Store
from eventledger.store.summary import rebuild_daily
from tests.conftest import GOLDEN
from tests.store.test_summary import _daily_rows


def _second_codebook(tmp_path: Path) -> Path:
    """The shipped codebook under another id: the same subtype ids (``grenade``, …), so that only
    the codebook keeps the two sets of events apart."""
    data = yaml.safe_load(codebook_path("political-action").read_text(encoding="utf-8"))
    data["id"] = "second-look"
    data["version"] = "0.1.0"
    path = tmp_path / "second-look.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_second_codebook_counts_apart_and_leaves_the_first_as_it_was(demo_db, tmp_path):
    db = tmp_path / "two.db"
    shutil.copy(demo_db, db)
    store = Store.open(db)
    p = parse_period("1401")
    first = queries.EventFilter(period=p)
    with store.connect() as conn:
        before = queries.tally(conn, first, ["subtype", "province"])
        n_events = queries.count_events(conn, queries.EventFilter(include_retired=True))
    second = load_codebook(_second_codebook(tmp_path))
    result = recode(store, second)
    assert result.events_added > 0 and result.events_removed == 0
    with store.connect() as conn:
        # the first codebook's figures did not move; the second's are its own (the same rules here)
        assert queries.tally(conn, first, ["subtype", "province"]) == before
        other = queries.EventFilter(period=p, codebook="second-look")
        assert queries.tally(conn, other, ["subtype", "province"]) == before
        assert queries.count_events(conn, queries.EventFilter(include_retired=True)) == n_events
        ids_a = {e["id"] for e in queries.iter_events(conn, first)}
        ids_b = {e["id"] for e in queries.iter_events(conn, other)}
        assert ids_a and ids_b and not ids_a & ids_b
    golden = json.loads((GOLDEN / "tally_1401_jalali.json").read_text(encoding="utf-8"))
    assert golden["total"] == before["total"]
    # re-coding the second codebook again replaces only its own mentions and events
    recode(store, second)
    with store.connect() as conn:
        assert queries.tally(conn, first, ["subtype", "province"]) == before
        assert queries.tally(conn, other, ["subtype", "province"]) == before
    # the daily counts kept in step equal a rebuild from the events
    kept = _daily_rows(store)
    with store.begin() as conn:
        rebuild_daily(conn)
    assert kept == _daily_rows(store)
    # two codebooks' events are never merged into one
    with store.begin() as conn:
        a, b = min(ids_a), min(e["id"] for e in queries.iter_events(conn, other))
        try:
            merge(conn, Reviewer("admin", "admin"), a, [b])
        except ReviewError as exc:
            assert "different codebooks" in str(exc)
        else:
            raise AssertionError("events of two codebooks were merged")
    store.close()


def test_the_migration_keys_the_daily_counts_by_codebook_and_back(demo_db, tmp_path):
    from alembic import command
    from sqlalchemy import inspect

    from eventledger.store.db import _alembic_config

    path = tmp_path / "m.db"
    shutil.copy(demo_db, path)
    store = Store.open(path)
    with store.connect() as conn:
        before = queries.tally(
            conn, queries.EventFilter(period=parse_period("1401")), ["subtype", "province", "outlet"]
        )
    with store.engine.begin() as conn:
        cfg = _alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0009")
    with store.engine.connect() as conn:
        assert "codebook" not in {c["name"] for c in inspect(conn).get_columns("events")}
        assert "codebook" not in {c["name"] for c in inspect(conn).get_columns("event_daily")}
    store.close()
    store = Store.open(path)  # upgrades again: every stored event is political-action's
    with store.connect() as conn:
        assert (
            queries.tally(
                conn, queries.EventFilter(period=parse_period("1401")), ["subtype", "province", "outlet"]
            )
            == before
        )
    kept = _daily_rows(store)
    with store.begin() as conn:
        rebuild_daily(conn)
    assert kept == _daily_rows(store)
    store.close()
