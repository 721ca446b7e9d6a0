"""Fixtures of the store tests: a fresh PostgreSQL store (EVENTLEDGER_TEST_PG_URL; .ci/run starts one)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from eventledger.store.db import Store
from tests.conftest import pg_url


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
