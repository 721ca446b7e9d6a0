"""Fixtures of the store tests: a fresh PostgreSQL store (EVENTLEDGER_TEST_PG_URL; .ci/run starts one)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from eventledger.demo import sample_outlets, sample_reports
from eventledger.outlets import load_outlets
from eventledger.pipeline import Ingestor
from eventledger.store import writer
from eventledger.store.db import Store
from tests.conftest import pg_url


def ingested(store: Store) -> Store:
    """``store`` with the bundled sample ingested (its outlets first), one process."""
    with store.begin() as conn:
        writer.upsert_outlets(conn, load_outlets(sample_outlets()))
    result = Ingestor(store, workers=1).ingest([sample_reports()])
    assert result.errors == 0
    return store


@pytest.fixture
def pg_store() -> Iterator[Store]:
    url = pg_url()
    if not url:
        pytest.skip("EVENTLEDGER_TEST_PG_URL is not set (.ci/run starts a PostgreSQL server and sets it)")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    store = Store.open(url)
    yield store
    store.close()
