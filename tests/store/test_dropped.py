"""Dropped candidates: stored per report for reviewers, bounded, never events, never counted."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func, inspect, select

from eventledger.cli import cli
from eventledger.extract.coder import RuleCoder
from eventledger.pipeline import Ingestor, code_document
from eventledger.records import Document, Mention
from eventledger.store import writer
from eventledger.store.db import Store, head_revision
from eventledger.store.schema import dropped_candidates, events, mentions

TEXT = (
    "Protesters set fire to a Basij base in Karaj on 16 February 2023. "
    "The group denied that its members set fire to a bank in Tabriz."
)
REPORT = {"id": "d-1", "outlet": "Iran Monitor", "published": "2023-02-17T12:00:00+03:30", "lang": "en",
          "text": TEXT}  # fmt: skip


def candidate(doc: Document, reason: str, start: int, score: float = 0.31, subtype: str = "arson") -> Mention:
    """A dropped candidate as the coder's ``code_with_dropped`` gives it."""
    end = doc.text.index(".", start) + 1 if "." in doc.text[start:] else len(doc.text)
    s0 = doc.text.rfind(". ", 0, start)
    s0 = 0 if s0 < 0 else s0 + 2
    import datetime as dt

    return Mention(
        category="violence", subtype=subtype, field="text", sent_start=s0, sent_end=end,
        trig_start=start, trig_end=start + 11, sentence=doc.text[s0:end], trigger=doc.text[start : start + 11],
        date=dt.date(2023, 2, 16), date_precision="publication", date_text=None, place=None, place_text=None,
        quantity=None, actor=None, claimant=None, target=None, confidence=score, coder="rules/test",
        codebook="political-action@test", flags=(f"dropped:{reason}", f"gate:{score}"),
    )  # fmt: skip


class FakeCoder(RuleCoder):
    """The real rules, plus dropped candidates: one per 'set fire to' not coded, and ``extra`` more."""

    extra = 0

    def code_with_dropped(self, doc: Document) -> tuple[list[Mention], list[Mention]]:  # type: ignore[override]
        kept = self.code(doc)
        dropped = []
        i = doc.text.find("set fire to")
        while i >= 0:
            if not any(m.trig_start <= i < m.trig_end for m in kept):
                dropped.append(candidate(doc, "negated", i))
            i = doc.text.find("set fire to", i + 1)
        base = candidate(doc, "generic", 0, 0.2) if doc.text else None
        dropped += [replace(base, trig_start=k % 10, trig_end=k % 10 + 1) for k in range(self.extra) if base]
        return kept, dropped


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> type[FakeCoder]:
    import eventledger.pipeline

    FakeCoder.extra = 0
    # ingest and recode both build their coder through pipeline.make_coder
    monkeypatch.setattr(eventledger.pipeline, "RuleCoder", FakeCoder)
    return FakeCoder


def jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def count(store: Store, table: Any, *where: Any) -> int:
    with store.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())


def cli_run(db: Path, *args: str) -> str:
    res = CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.stdout


def test_a_coder_without_code_with_dropped_still_codes(coder):
    class Plain:
        def __init__(self, inner: RuleCoder) -> None:
            self.inner = inner

        def code(self, doc: Document) -> list[Mention]:
            return self.inner.code(doc)

    from tests.conftest import make_doc

    doc = make_doc(TEXT)
    kept, dropped = code_document(Plain(coder), doc)  # type: ignore[arg-type]
    assert kept == coder.code(doc) and dropped == []


def test_dropped_candidates_are_stored_with_run_and_versions_never_as_events(fake, store, tmp_path):
    plain = tmp_path / "plain.db"
    s2 = Store.open(plain)
    with pytest.MonkeyPatch.context() as mp:
        import eventledger.pipeline

        mp.setattr(eventledger.pipeline, "RuleCoder", RuleCoder)
        Ingestor(s2).ingest([jsonl(tmp_path / "a.jsonl", [REPORT])])
    result = Ingestor(store).ingest([jsonl(tmp_path / "b.jsonl", [REPORT])])
    assert result.dropped_candidates == 1 and result.counts()["dropped_candidates"] == 1
    with store.connect() as conn:
        row = conn.execute(select(dropped_candidates)).one()
    assert (row.reason, row.score, row.subtype, row.run_id) == ("negated", 0.31, "arson", result.run_id)
    assert row.sentence.startswith("The group denied") and row.trigger == "set fire to"
    assert TEXT[row.trig_start : row.trig_end] == "set fire to"
    assert (row.coder, row.codebook) == ("rules/test", "political-action@test")
    # never events, never counted: the store has exactly the events of a coder that drops nothing
    assert count(store, events) == count(s2, events) and count(store, mentions) == count(s2, mentions)
    s2.close()


def test_dropped_rows_per_report_are_bounded(fake, store, tmp_path):
    fake.extra = 5000  # hostile input: thousands of candidates in one report
    Ingestor(store).ingest([jsonl(tmp_path / "a.jsonl", [REPORT])])
    assert count(store, dropped_candidates) == writer.MAX_DROPPED_PER_DOCUMENT


def test_recode_replaces_the_dropped_candidates_of_its_reports(fake, tmp_path):
    db = tmp_path / "x.db"
    cli_run(db, "ingest", str(jsonl(tmp_path / "a.jsonl", [REPORT])), "-q")
    s = Store.open(db)
    assert count(s, dropped_candidates) == 1
    fake.extra = 3
    cli_run(db, "recode")
    assert count(s, dropped_candidates) == 4
    with s.connect() as conn:
        assert set(conn.execute(select(dropped_candidates.c.run_id)).scalars()) == {2}
    s.close()
    runs = json.loads(cli_run(db, "runs", "--format", "json"))
    assert runs[0]["counts"]["dropped_candidates"] == 4


def test_cli_lists_dropped_candidates_and_show_gives_those_of_an_event(fake, tmp_path):
    db = tmp_path / "x.db"
    other = dict(REPORT, id="d-2", text="Protesters set fire to a police car in Shiraz on 31 May 2022.",
                 published="2022-06-01T12:00:00+03:30")  # fmt: skip
    cli_run(db, "ingest", str(jsonl(tmp_path / "a.jsonl", [REPORT, other])), "-q")
    js = json.loads(cli_run(db, "dropped", "--format", "json"))
    assert js["total"] == 1 and js["by_reason"] == {"negated": 1}
    item = js["items"][0]
    assert item["reason"] == "negated" and item["external_id"] == "d-1" and item["score"] == 0.31
    assert item["span"][0] <= item["trigger_span"][0] and item["date"] == "2023-02-16"
    assert json.loads(cli_run(db, "dropped", "--format", "json", "--reason", "intent"))["total"] == 0
    assert json.loads(cli_run(db, "dropped", "--format", "json", "--period", "1400"))["total"] == 0
    assert json.loads(cli_run(db, "dropped", "--format", "json", "--period", "2023-02"))["total"] == 1
    table = cli_run(db, "dropped", "--reason", "negated")
    assert "negated" in table and "The group denied" in table and "1 dropped candidates" in table
    s = Store.open(db)
    with s.connect() as conn:
        karaj = conn.execute(select(events.c.id).where(events.c.place_name == "Karaj")).scalars().first()
        shiraz = conn.execute(select(events.c.id).where(events.c.place_name == "Shiraz")).scalars().first()
    s.close()
    shown = json.loads(cli_run(db, "show", str(karaj), "--dropped", "--format", "json"))
    assert [d["reason"] for d in shown["dropped"]] == ["negated"]
    assert json.loads(cli_run(db, "show", str(shiraz), "--dropped", "--format", "json"))["dropped"] == []
    assert "dropped" not in json.loads(cli_run(db, "show", str(karaj), "--format", "json"))
    text = cli_run(db, "show", str(karaj), "--dropped")
    assert "dropped candidates in its reports: 1" in text and "negated" in text


def test_the_migration_adds_and_removes_the_table_and_the_flag(demo_db, tmp_path):
    from alembic import command

    from eventledger.store.db import _alembic_config

    path = tmp_path / "m.db"
    shutil.copy(demo_db, path)
    s = Store.open(path)
    with s.connect() as conn:
        n_events = conn.execute(select(func.count()).select_from(events)).scalar_one()
    with s.engine.begin() as conn:
        cfg = _alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004")
    with s.engine.connect() as conn:
        assert "dropped_candidates" not in inspect(conn).get_table_names()
        assert "review_flag" not in {c["name"] for c in inspect(conn).get_columns("events")}
    s.close()
    s = Store.open(path)  # upgrades again
    with s.connect() as conn:
        assert conn.exec_driver_sql("select version_num from alembic_version").scalar_one() == head_revision()
        assert "dropped_candidates" in inspect(conn).get_table_names()
        assert conn.execute(select(func.count()).select_from(events)).scalar_one() == n_events
        assert conn.execute(select(func.count()).where(events.c.review_flag.is_not(None))).scalar_one() == 0
    s.close()


def test_a_candidate_dropped_off_the_topic_keeps_the_document_score() -> None:
    # rules/1.44: a report read as off the codebook's topic (sport, business, …) drops the candidates whose
    # sentence names no actor; the reviewer sees the score that decided it, the document's, not the sentence's
    doc = Document(
        outlet="BBC", external_id="s-1", url=None, published=None, lang="en", title="", text=TEXT,
        content_hash="h", origin="test",
    )  # fmt: skip
    m = candidate(doc, "off_topic", 0)
    m = replace(m, flags=("dropped:off_topic", "gate:0.80", "topic:0.31"))
    assert writer.dropped_reason(m) == ("off_topic", 0.31)
    assert writer.dropped_reason(replace(m, flags=("dropped:model", "gate:0.12", "topic:0.31"))) == (
        "model",
        0.12,
    )
    assert writer.dropped_reason(replace(m, flags=("dropped:negated",))) == ("negated", m.confidence)
