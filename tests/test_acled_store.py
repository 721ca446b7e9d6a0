"""The `acled` codebook next to `political-action` in one store, from the command line."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from tests.test_cli import run

REPORTS = [
    {"id": "a-1", "outlet": "Wire", "lang": "en", "published": "2022-09-25T12:00:00+03:30",
     "text": "Drone strikes hit positions of an armed group near Erbil on Saturday, killing at least 4 fighters, "
             "officials said."},
    {"id": "a-2", "outlet": "Wire", "lang": "en", "published": "2022-09-26T12:00:00+03:30",
     "text": "Police arrested 20 people after a protest in Tehran on Sunday, witnesses said."},
]  # fmt: skip


def test_acled_events_are_counted_and_exported_apart(demo_db, tmp_path):
    db = tmp_path / "two.db"
    shutil.copy(demo_db, db)
    code, before, _ = run("tally", "--period", "1401", "--format", "json", db=db)
    assert code == 0
    src = tmp_path / "wire.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in REPORTS), encoding="utf-8")
    code, _, err = run("ingest", str(src), "--codebook", "acled", db=db)
    assert code == 0, err
    # political-action's figures did not move; acled's are its own
    assert run("tally", "--period", "1401", "--format", "json", db=db)[1] == before
    code, out, _ = run(
        "tally", "--period", "1401", "--codebook", "acled", "--by", "subtype", "--format", "json", db=db
    )
    t = json.loads(out)
    assert code == 0 and t["by_subtype"].get("air-drone-strike") == 1, t
    code, out, err = run(
        "export", "--format", "acled-csv", "--codebook", "acled", "--period", "1401", "--out", "-", db=db
    )
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    strike = next(r for r in rows if r["subtype"] == "air-drone-strike")
    assert (strike["disorder_type"], strike["event_type"], strike["sub_event_type"]) == (
        "Political violence", "Explosions/Remote violence", "Air/drone strike"
    )  # fmt: skip
    assert strike["fatalities"] == "4" and strike["codebook"].startswith("acled@")
    assert all(r["fatalities"] != "" for r in rows)  # 0 when none is reported, never empty
    # a release of acled's events, and its report
    code, out, err = run("release", "create", "acled-1401", "--period", "1401", "--codebook", "acled", db=db)
    assert code == 0 and "acled@1.2.75" in out, err
    report = Path(tmp_path / "r.html")
    code, _, err = run(
        "report", "--period", "1401", "--codebook", "acled", "--release", "acled-1401", "--format", "html",
        "--out", str(report), db=db,
    )  # fmt: skip
    assert code == 0, err
    assert "Air/drone strike" in report.read_text("utf-8") or "air" in report.read_text("utf-8").lower()
