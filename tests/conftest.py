"""Shared fixtures: real SQLite files in temporary folders, the shipped codebook and gazetteer."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from eventledger.demo import build_demo, sample_outlets
from eventledger.extract.codebook import Codebook, load_codebook
from eventledger.extract.coder import RuleCoder
from eventledger.geocode.gazetteer import Gazetteer, default_gazetteer
from eventledger.normalize.document import content_hash
from eventledger.outlets import Outlet, load_outlets
from eventledger.records import Document
from eventledger.store.db import Store

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
GOLDEN = Path(__file__).resolve().parent / "golden"
TEHRAN = dt.timezone(dt.timedelta(hours=3, minutes=30))


def unplaced_report(folder: Path) -> Path:
    """A JSONL file of one independent report of an act whose place the text does not give."""
    path = folder / "unplaced.jsonl"
    record = {"id": "w-1", "outlet": "Wire", "lang": "en", "published": "2023-02-18T09:00:00+03:30",
              "text": "Gunmen opened fire on a bus on Friday, police said."}  # fmt: skip
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite the golden files from the current output"
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def check_golden(name: str, actual: object, update: bool) -> None:
    """Compare ``actual`` with tests/golden/<name>.json (rewritten with --update-golden)."""
    path = GOLDEN / f"{name}.json"
    text = json.dumps(actual, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if update or not path.exists():
        path.write_text(text, encoding="utf-8")
        if not update:
            pytest.fail(f"golden file {path.name} did not exist and was written; review it and run again")
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(text), (
        f"differs from golden {path.name}"
    )


@pytest.fixture(scope="session")
def codebook() -> Codebook:
    return load_codebook()


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return default_gazetteer()


@pytest.fixture(scope="session")
def sample_stances() -> dict[str, Outlet]:
    return {o.name: o for o in load_outlets(sample_outlets())}


@pytest.fixture
def coder(codebook: Codebook, gazetteer: Gazetteer, sample_stances: dict[str, Outlet]) -> RuleCoder:
    return RuleCoder(codebook, gazetteer, sample_stances)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "test.db")
    yield s
    s.close()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database, built once per test session."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    store, _ = build_demo(path)
    store.close()
    return path


def make_doc(
    text: str,
    *,
    lang: str = "en",
    title: str = "",
    outlet: str = "Iran Monitor",
    published: dt.datetime = dt.datetime(2023, 2, 18, 9, 15, tzinfo=TEHRAN),  # Saturday 29 Bahman 1401
    external_id: str = "t-1",
) -> Document:
    return Document(
        outlet=outlet,
        external_id=external_id,
        url=None,
        published=published.astimezone(dt.UTC),
        lang=lang,
        title=title,
        text=text,
        content_hash=content_hash(text, published.date().isoformat()),
        origin="test",
    )


@pytest.fixture(autouse=True)
def _no_env_db(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EVENTLEDGER_DB", raising=False)


def pg_url() -> str | None:
    return os.environ.get("EVENTLEDGER_TEST_PG_URL")
