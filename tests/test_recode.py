"""``eventledger recode``: stored reports coded again as a new run, decisions kept, changes recorded."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import yaml
from click.testing import CliRunner
from sqlalchemy import func, select

from eventledger.aggregate.periods import parse_period
from eventledger.cli import cli
from eventledger.extract.codebook import codebook_path
from eventledger.review import actions
from eventledger.review.actions import Reviewer
from eventledger.review.queue import queue
from eventledger.store import queries
from eventledger.store.db import Store
from eventledger.store.queries import summary_counts
from eventledger.store.schema import documents, events, mentions

CODER = Reviewer("ana", "coder", None)
P1401 = parse_period("1401")

REPORTS = [
    {"id": "a-1", "outlet": "Iran Monitor", "published": "2023-02-17T12:00:00+03:30", "lang": "en",
     "text": "Protesters set fire to a Basij base in Karaj on Thursday night, witnesses said."},
    {"id": "a-2", "outlet": "Vatan News Agency", "published": "2023-02-17T15:00:00+03:30", "lang": "en",
     "text": "Rioters set fire to a Basij base in Karaj late on Thursday, police said."},
    {"id": "a-3", "outlet": "Iran Monitor", "published": "2023-02-12T12:00:00+03:30", "lang": "en",
     "text": "Unknown people smashed the windows of a bank in Isfahan on 12 February 2023."},
    {"id": "a-4", "outlet": "Iran Monitor", "published": "2023-02-10T12:00:00+03:30", "lang": "en",
     "text": "Anti-government slogans were written on walls in Rasht on 10 February 2023."},
    {"id": "a-5", "outlet": "Iran Monitor", "published": "2023-02-14T12:00:00+03:30", "lang": "en",
     "text": "Students gathered in front of Tehran University on 14 February 2023 and chanted slogans "
             "against the government."},
    {"id": "a-6", "outlet": "Vatan News Agency", "published": "2023-02-09T12:00:00+03:30", "lang": "en",
     "text": "A homemade bomb exploded near a police station in Zahedan on 9 February 2023."},
    {"id": "a-7", "outlet": "Iran Monitor", "published": "2022-06-01T12:00:00+03:30", "lang": "en",
     "text": "Protesters set fire to a police car in Shiraz on 31 May 2022."},
]  # fmt: skip
FIRE = r"(?:set|sets|setting)\s+fire\s+to"


def run(db: Path, *args: str) -> str:
    res = CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.stdout


def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "reports.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in REPORTS), encoding="utf-8")
    return path


def variant(tmp_path: Path, name: str, change: Callable[[dict[str, Any]], None]) -> Path:
    """A copy of the shipped codebook with one change, as a YAML file."""
    data = yaml.safe_load(codebook_path("political-action").read_text(encoding="utf-8"))
    data["version"] = "9.0.0"
    change(data)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def subtype(data: dict[str, Any], sid: str) -> dict[str, Any]:
    return next(s for c in data["categories"] for s in c["subtypes"] if s["id"] == sid)


def fire_is_vandalism(data: dict[str, Any]) -> None:
    """'set fire to' moves from arson to vandalism (an English pattern removed and one added)."""
    arson = subtype(data, "arson")
    arson["patterns"]["en"] = [p for p in arson["patterns"]["en"] if "fire" not in p] or ["zzq-never-zzq"]
    vandalism = subtype(data, "vandalism")
    vandalism["patterns"]["en"] = [FIRE, *vandalism["patterns"]["en"]]
    vandalism.pop("suppressed_by", None)


def no_slogans(data: dict[str, Any]) -> None:
    """The slogan subtype finds nothing in English any more."""
    subtype(data, "slogan")["patterns"]["en"] = ["zzq-never-zzq"]


def event_keys(db: Path) -> list[tuple[Any, ...]]:
    s = Store.open(db)
    with s.connect() as conn:
        rows = conn.execute(
            select(
                events.c.category, events.c.subtype, events.c.place_key, events.c.date, events.c.date_precision,
                events.c.n_sources, events.c.n_mentions, events.c.claim_status, events.c.review_status,
                events.c.quantity, events.c.actor,
            )
        ).all()  # fmt: skip
    s.close()
    return sorted(tuple(r) for r in rows)


def tallies(db: Path) -> list[dict[str, Any]]:
    return [
        json.loads(run(db, "tally", "--period", p, "--by", "subtype", "--by", "province", "--by", "month",
                       "--by", "claim_status", "--by", "outlet", "--format", "json"))
        for p in ("1401", "2022-01-01..2023-12-31")
    ]  # fmt: skip


def daily_agrees(db: Path) -> None:
    """The dashboard's daily tables give what counting the events gives."""
    s = Store.open(db)
    by = ["subtype", "province", "claim_status", "outlet", "month"]
    with s.connect() as conn:
        flts = [queries.EventFilter(period=P1401), queries.EventFilter(period=P1401, outlet="Iran Monitor")]
        fast = [queries.tally(conn, f, by) for f in flts]
        d = summary_counts(conn, P1401)
        with mock.patch.object(queries, "_daily_source", return_value=None):
            slow = [queries.tally(conn, f, by) for f in flts]
    s.close()
    assert fast == slow
    assert d["total"] == slow[0]["total"]


def last_run(db: Path) -> dict[str, Any]:
    return json.loads(run(db, "runs", "--format", "json", "--limit", "1"))[0]


# --- a recode equals a fresh ingest ------------------------------------------------------------------------
@pytest.mark.parametrize("change", [fire_is_vandalism, no_slogans])
def test_recode_with_another_codebook_equals_a_fresh_ingest_with_it(tmp_path, change):
    reports = corpus(tmp_path)
    b = variant(tmp_path, "b", change)
    recoded, fresh = tmp_path / "recoded.db", tmp_path / "fresh.db"
    run(recoded, "ingest", str(reports), "-q")
    ids_before = {k[:4]: k for k in event_keys(recoded)}
    run(recoded, "recode", "--codebook", str(b))
    run(fresh, "ingest", str(reports), "-q", "--codebook", str(b))
    assert event_keys(recoded) == event_keys(fresh)
    assert tallies(recoded) == tallies(fresh)
    assert event_keys(recoded) != sorted(ids_before.values())  # the change did change something
    daily_agrees(recoded)
    r = last_run(recoded)
    assert r["command"] == "recode" and r["status"] == "ok"
    assert r["versions"]["codebook"] == "political-action@9.0.0" and r["versions"]["coder"].startswith(
        "rules/"
    )
    c = r["counts"]
    assert c["documents"] == len(REPORTS)
    assert c["mentions_after"] == json.loads(run(fresh, "runs", "--format", "json"))[0]["counts"]["mentions"]
    assert c["events_added"] + c["events_removed"] > 0


def test_recode_with_the_same_codebook_changes_nothing_and_keeps_ids(tmp_path):
    db = tmp_path / "x.db"
    run(db, "ingest", str(corpus(tmp_path)), "-q")
    s = Store.open(db)
    with s.connect() as conn:
        before = conn.execute(select(events).order_by(events.c.id)).all()
    s.close()
    t = tallies(db)
    out = run(db, "recode")
    assert "events added" in out and "decisions re-applied" in out
    s = Store.open(db)
    with s.connect() as conn:
        after = conn.execute(select(events).order_by(events.c.id)).all()
        n_superseded = conn.execute(
            select(func.count()).select_from(mentions).where(mentions.c.review_status == "superseded")
        ).scalar_one()
        n_active = conn.execute(
            select(func.count()).select_from(mentions).where(mentions.c.review_status == "machine")
        ).scalar_one()
    s.close()
    drop = {"updated_run"}
    assert [{k: v for k, v in r._mapping.items() if k not in drop} for r in after] == [
        {k: v for k, v in r._mapping.items() if k not in drop} for r in before
    ]
    assert n_superseded == n_active  # the earlier mentions are kept, marked superseded
    assert tallies(db) == t
    c = last_run(db)["counts"]
    assert c["events_added"] == c["events_removed"] == c["mentions_moved"] == c["events_rekeyed"] == 0
    assert c["mentions_before"] == c["mentions_after"] == n_active


def test_recode_of_a_period_touches_only_reports_published_in_it(tmp_path):
    db = tmp_path / "x.db"
    run(db, "ingest", str(corpus(tmp_path)), "-q")
    b = variant(tmp_path, "b", fire_is_vandalism)
    run(db, "recode", "--period", "2022-05-01..2022-06-30", "--calendar", "gregorian", "--codebook", str(b))
    c = last_run(db)["counts"]
    assert c["documents"] == 1
    subtypes = {k[1] for k in event_keys(db)}
    assert "vandalism" in subtypes  # Shiraz, May 2022: re-coded
    assert "arson" in subtypes  # Karaj, February 2023: not re-coded
    daily_agrees(db)


def test_only_current_versions_are_recoded(tmp_path):
    db = tmp_path / "x.db"
    run(db, "ingest", str(corpus(tmp_path)), "-q")
    changed = dict(REPORTS[2], text=REPORTS[2]["text"] + " Nobody was hurt.")
    (tmp_path / "v2.jsonl").write_text(json.dumps(changed) + "\n", encoding="utf-8")
    run(db, "ingest", str(tmp_path / "v2.jsonl"), "-q")
    run(db, "recode")
    assert last_run(db)["counts"]["documents"] == len(REPORTS)
    s = Store.open(db)
    with s.connect() as conn:
        old = conn.execute(select(documents.c.id).where(documents.c.current.is_(False))).scalar_one()
        statuses = set(conn.execute(select(mentions.c.run_id).where(mentions.c.document_id == old)).scalars())
    s.close()
    assert statuses == {1}  # the earlier version's mentions were not re-coded


# --- decisions survive -----------------------------------------------------------------------------------
def _event_id(db: Path, subtype_id: str) -> int:
    s = Store.open(db)
    with s.connect() as conn:
        eid = conn.execute(select(events.c.id).where(events.c.subtype == subtype_id)).scalar_one()
    s.close()
    return int(eid)


def _review(db: Path, fn: Callable[[Any], Any]) -> None:
    s = Store.open(db)
    with s.begin() as conn:
        fn(conn)
    s.close()


def _event(db: Path, eid: int) -> Any:
    s = Store.open(db)
    with s.connect() as conn:
        row = conn.execute(select(events).where(events.c.id == eid)).first()
        ms = conn.execute(
            select(mentions.c.review_status, mentions.c.run_id, mentions.c.place_key).where(
                mentions.c.event_id == eid
            )
        ).all()
    s.close()
    return row, ms


def test_confirmed_corrected_and_merged_events_survive_a_recode(tmp_path):
    db = tmp_path / "x.db"
    run(db, "ingest", str(corpus(tmp_path)), "-q")
    bombing, demo, slogan, vandalism = (
        _event_id(db, s) for s in ("bombing", "demonstration", "slogan", "vandalism")
    )
    _review(db, lambda c: actions.confirm(c, CODER, bombing, "seen the video"))
    _review(db, lambda c: actions.correct(c, CODER, demo, {"place": "gn:115019"}, "it was Shiraz"))
    _review(db, lambda c: actions.merge(c, CODER, slogan, [vandalism], "one night, one group"))
    t = tallies(db)
    # a codebook change that does not touch these sentences: every decision is re-applied
    run(db, "recode", "--codebook", str(variant(tmp_path, "b", fire_is_vandalism)))
    c = last_run(db)["counts"]
    assert c["decisions"] == 3 and c["decisions_reapplied"] == 3 and c["decisions_to_review"] == 0
    row, ms = _event(db, bombing)
    assert row.review_status == "confirmed" and row.review_flag is None
    assert sorted(m.review_status for m in ms if m.run_id != 1) == ["confirmed"]
    row, ms = _event(db, demo)
    assert row.review_status == "corrected" and row.place_name == "Shiraz" and row.subtype == "demonstration"
    assert {m.review_status for m in ms if m.run_id != 1} == {"corrected"}
    assert {m.place_key for m in ms if m.run_id != 1} == {row.place_key}
    row, ms = _event(db, slogan)
    assert row.review_status == "corrected" and row.n_mentions == 2  # the merge holds
    row, _ = _event(db, vandalism)
    assert row.review_status == "merged"
    after = tallies(db)
    assert after[0]["by_province"] == t[0]["by_province"]
    daily_agrees(db)
    # a coder's decisions hold on a second recode too
    run(db, "recode", "--codebook", str(variant(tmp_path, "b", fire_is_vandalism)))
    assert last_run(db)["counts"]["decisions_reapplied"] == 3
    assert tallies(db) == after


def _queue(db: Path) -> dict[int, Any]:
    s = Store.open(db)
    with s.connect() as conn:
        total, items = queue(conn, limit=100)
    s.close()
    assert total == len(items)
    return {it["event"].id: it for it in items}


def test_a_rejected_event_whose_key_disappears_goes_to_the_review_queue(tmp_path):
    db = tmp_path / "x.db"
    run(db, "ingest", str(corpus(tmp_path)), "-q")
    s = Store.open(db)
    with s.connect() as conn:
        arson = conn.execute(
            select(events.c.id).where(events.c.subtype == "arson", events.c.place_name == "Karaj")
        ).scalar_one()
    s.close()
    _review(db, lambda c: actions.reject(c, CODER, arson, "an old video"))
    assert arson not in _queue(db)
    run(db, "recode", "--codebook", str(variant(tmp_path, "b", fire_is_vandalism)))
    c = last_run(db)["counts"]
    assert c["decisions"] == 1 and c["decisions_to_review"] == 1 and c["decisions_reapplied"] == 0
    row, _ = _event(db, arson)
    assert row.review_status == "rejected"  # kept, still not counted
    assert "rejected decision no longer fits" in row.review_flag and "vandalism" in row.review_flag
    q = _queue(db)
    assert arson in q and q[arson]["review_flag"] == row.review_flag
    s = Store.open(db)
    with s.connect() as conn:
        now = conn.execute(
            select(events).where(events.c.subtype == "vandalism", events.c.place_name == "Karaj")
        ).one()
    s.close()
    assert now.review_status == "machine" and f"rejected event #{arson}" in now.review_flag
    assert now.id in q and set(c["flagged_ids"]) == {arson, now.id}
    assert set(list(q)[:2]) == {arson, now.id}  # flagged events come first
    # the coder looks: the new event is rejected too, the old one's flag dismissed — the queue empties of them
    _review(db, lambda conn: actions.reject(conn, CODER, now.id))
    _review(db, lambda conn: actions.apply(conn, CODER, arson, "dismiss", {"note": "seen"}))
    q = _queue(db)
    assert arson not in q and now.id not in q
    daily_agrees(db)


def test_a_confirmed_event_the_new_coder_no_longer_finds_keeps_counting_and_is_flagged(tmp_path):
    db = tmp_path / "x.db"
    run(db, "ingest", str(corpus(tmp_path)), "-q")
    slogan = _event_id(db, "slogan")
    _review(db, lambda c: actions.confirm(c, CODER, slogan))
    total = tallies(db)[0]["total"]
    run(db, "recode", "--codebook", str(variant(tmp_path, "b", no_slogans)))
    row, ms = _event(db, slogan)
    assert row is not None and row.review_status == "confirmed" and row.n_mentions == 1
    assert "its sentence is no longer coded" in row.review_flag
    assert [m.review_status for m in ms if m.review_status != "superseded"] == ["confirmed"]
    assert tallies(db)[0]["total"] == total  # a coder's confirmation is not dropped silently
    assert slogan in _queue(db)
    assert last_run(db)["counts"]["decisions_to_review"] == 1
    daily_agrees(db)
    # confirming it again answers the flag
    _review(db, lambda c: actions.confirm(c, CODER, slogan))
    assert _event(db, slogan)[0].review_flag is None and slogan not in _queue(db)


def test_a_correction_that_no_longer_fits_is_flagged_not_forced(tmp_path):
    db = tmp_path / "x.db"
    run(db, "ingest", str(corpus(tmp_path)), "-q")
    s = Store.open(db)
    with s.connect() as conn:
        shiraz = conn.execute(
            select(events.c.id).where(events.c.subtype == "arson", events.c.place_name == "Shiraz")
        ).scalar_one()
    s.close()
    _review(db, lambda c: actions.correct(c, CODER, shiraz, {"quantity": 2}))
    run(db, "recode", "--codebook", str(variant(tmp_path, "b", fire_is_vandalism)))
    row, _ = _event(db, shiraz)
    # the sentence is now coded as vandalism: the quantity correction was made on an arson
    assert row.review_status == "corrected" and row.quantity == 2 and row.subtype == "arson"
    assert "now coded as vandalism" in row.review_flag
    assert shiraz in _queue(db)


def test_runs_table_shows_what_a_recode_changed(tmp_path):
    db = tmp_path / "x.db"
    run(db, "ingest", str(corpus(tmp_path)), "-q")
    run(db, "recode", "--codebook", str(variant(tmp_path, "b", fire_is_vandalism)))
    out = run(db, "runs")
    assert "recode" in out and "events_added=" in out and "decisions_to_review=0" in out
    assert "political-action@9.0.0" in out
    js = json.loads(run(db, "recode", "--format", "json"))
    assert js["run"] == 3 and js["documents"] == len(REPORTS)


def test_recode_with_workers_gives_the_same_result(tmp_path):
    b = variant(tmp_path, "b", fire_is_vandalism)
    one, many = tmp_path / "one.db", tmp_path / "many.db"
    for db in (one, many):
        run(db, "ingest", str(corpus(tmp_path)), "-q")
    run(one, "recode", "--codebook", str(b))
    run(many, "recode", "--codebook", str(b), "--workers", "2", "--batch-size", "2")
    assert event_keys(one) == event_keys(many)


def test_recode_on_the_demo_corpus_is_stable(demo_db, tmp_path):
    db = tmp_path / "demo.db"
    shutil.copy(demo_db, db)
    t = tallies(db)
    keys = event_keys(db)
    run(db, "recode")
    assert event_keys(db) == keys and tallies(db) == t
    daily_agrees(db)
