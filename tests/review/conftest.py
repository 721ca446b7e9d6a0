"""Fixtures of the review tests: a copy of the demo store that a test may change."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from eventledger.store.db import Store


@pytest.fixture
def db(demo_db: Path, tmp_path: Path) -> Iterator[Store]:
    path = tmp_path / "review.db"
    shutil.copy(demo_db, path)
    s = Store.open(path)
    yield s
    s.close()
