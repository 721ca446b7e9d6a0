"""Bulk inserts (eventledger.store.bulk) store exactly what SQLAlchemy's executemany stores."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import insert, select

from eventledger.store import bulk
from eventledger.store.db import Store
from eventledger.store.schema import documents, dropped_candidates, events, mentions, runs
from tests.store.conftest import ingested

TABLES = (runs, documents, events, mentions, dropped_candidates)


def _rows(store: Store) -> dict[str, list[tuple]]:
    with store.connect() as conn:
        return {
            t.name: [tuple(r) for r in conn.exec_driver_sql(f"SELECT * FROM {t.name} ORDER BY id")]
            for t in TABLES
        }


def test_bulk_rows_are_sqlalchemy_s_rows(tmp_path: Path):
    src = ingested(Store.open(tmp_path / "src.db"))
    with src.connect() as conn:
        data = {t.name: [dict(r._mapping) for r in conn.execute(select(t).order_by(t.c.id))] for t in TABLES}
    src.close()
    assert data["mentions"] and data["dropped_candidates"] and data["documents"]
    stored = []
    for name, put in (
        ("sqlalchemy", lambda conn, t, rows: conn.execute(insert(t), rows)),
        ("bulk", bulk.insert_rows),
    ):
        store = Store.open(tmp_path / f"{name}.db")
        with store.begin() as conn:
            for t in TABLES:
                put(conn, t, data[t.name])
        stored.append(_rows(store))
        store.close()
    assert stored[0] == stored[1]
    assert stored[1]["mentions"] and _rows(Store.open(tmp_path / "src.db")) == stored[1]


def test_bulk_fills_python_defaults_and_refuses_ragged_rows(tmp_path: Path):
    store = ingested(Store.open(tmp_path / "s.db"))
    with store.begin() as conn:
        row = dict(conn.execute(select(mentions).limit(1)).one()._mapping)
        del row["id"], row["flags"], row["review_status"]  # Python-side defaults: "" and "machine"
        bulk.insert_rows(conn, mentions, [row])
        got = conn.execute(
            select(mentions.c.flags, mentions.c.review_status).order_by(mentions.c.id.desc())
        ).first()
        assert tuple(got) == ("", "machine")
        with pytest.raises(ValueError, match="same columns"):
            bulk.insert_rows(conn, mentions, [row, {k: v for k, v in row.items() if k != "actor"}])
    store.close()
