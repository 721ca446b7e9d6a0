"""The library entry point: what ``import eventledger`` offers, used the way the README shows."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import eventledger as el
from eventledger.demo import sample_dir


def test_the_readme_example_runs(tmp_path: Path):
    store = el.Store.open(tmp_path / "ledger.db")
    try:
        result = el.Ingestor(store).ingest([sample_dir() / "reports.jsonl"])
        assert result.documents > 0 and result.new_events > 0
        with store.connect() as conn:
            counts = el.tally(conn, el.EventFilter(period=el.parse_period("1401")), by=["month"])
        assert counts["total"] > 0 and sum(counts["by_category"].values()) == counts["total"]
    finally:
        store.close()


def test_every_public_name_resolves_and_errors_are_one_hierarchy():
    for name in el.__all__:
        assert getattr(el, name) is not None, name
    assert sorted(el._EXPORTS) == sorted(set(el.__all__) - {"__version__"})
    assert issubclass(el.PeriodError, el.ConfigError) and issubclass(el.FetchError, el.EventLedgerError)
    with pytest.raises(el.PeriodError):
        el.parse_period("1401-13")
    with pytest.raises(AttributeError):
        el.no_such_thing  # noqa: B018
    assert "Store" in dir(el)


def test_importing_the_package_stays_light():
    code = "import sys, eventledger; print('sqlalchemy' in sys.modules, eventledger.__version__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", el.__version__]
