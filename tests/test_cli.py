"""The command line, as a user runs it: JSON shapes, errors, the demo."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventledger.cli import cli
from tests.conftest import check_golden, unplaced_report


def run(*args: str, db: Path | None = None, env: dict | None = None) -> tuple[int, str, str]:
    runner = CliRunner()
    full = ["--db", str(db), *args] if db else list(args)
    res = runner.invoke(cli, full, env=env, catch_exceptions=False)
    return res.exit_code, res.stdout, res.stderr


def test_demo_command_builds_a_database_and_prints_tally_and_statement(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "eventledger", "--db", str(tmp_path / "d.db"), "demo"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "Iranian year 1401 (21 March 2022 – 20 March 2023)" in proc.stdout
    assert "by subtype" in proc.stdout and "claim_status" in proc.stdout
    # running it again replaces the earlier demo database
    again = subprocess.run(
        [sys.executable, "-m", "eventledger", "--db", str(tmp_path / "d.db"), "demo"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert again.returncode == 0, again.stderr


def test_demo_refuses_to_overwrite_a_real_database(tmp_path):
    db = tmp_path / "real.db"
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "1", "outlet": "X", "published": "2023-01-01T00:00:00Z", "text": "Hello."}) + "\n"
    )
    assert run("ingest", str(src), db=db)[0] == 0
    code, _, err = run("demo", db=db)
    assert code == 2 and "not a demo database" in err  # ConfigError


def test_tally_json_shape(demo_db):
    code, out, _ = run(
        "tally", "--period", "1401", "--by", "subtype", "--by", "month", "--format", "json", db=demo_db
    )
    assert code == 0
    t = json.loads(out)
    assert t["period"] == {"calendar": "jalali", "label": "1401", "start": "2022-03-21", "end": "2023-03-20"}
    assert set(t["by_category"]) >= {
        "propaganda",
        "violence",
        "explosion",
        "armed",
        "cyber",
        "political",
        "protest",
    }
    assert (
        sum(t["by_category"].values())
        == t["total"]
        == sum(t["by_subtype"].values())
        == sum(t["by_month"].values())
    )
    assert list(t["by_month"]) == [f"1401-{m:02d}" for m in range(1, 13)]


def test_tally_csv_and_table(demo_db):
    code, out, _ = run("tally", "--period", "1401", "--by", "province", "--format", "csv", db=demo_db)
    assert code == 0 and out.splitlines()[0] == "breakdown,key,events" and "province,IR-23," in out
    code, out, _ = run("tally", "--period", "2022", "--calendar", "gregorian", db=demo_db)
    assert code == 0 and "gregorian 2022 (2022-01-01 .. 2022-12-31)" in out


def test_every_tally_figure_matches_the_events_behind_it(demo_db):
    _, out, _ = run("tally", "--period", "1401", "--by", "province", "--format", "json", db=demo_db)
    t = json.loads(out)
    _, ev_out, _ = run("events", "--period", "1401", "--province", "IR-23", "--format", "jsonl", db=demo_db)
    events = [json.loads(line) for line in ev_out.splitlines()]
    assert len(events) == t["by_province"]["IR-23"]
    _, ev_out, _ = run(
        "events", "--period", "1401", "--category", "violence", "--format", "jsonl", db=demo_db
    )
    assert len(ev_out.splitlines()) == t["by_category"]["violence"]


def test_events_jsonl_shape(demo_db):
    code, out, _ = run("events", "--period", "1401", "--limit", "5", "--format", "jsonl", db=demo_db)
    assert code == 0
    for line in out.splitlines():
        e = json.loads(line)
        assert {
            "id",
            "category",
            "subtype",
            "date",
            "date_jalali",
            "place",
            "quantity",
            "claim_status",
            "sources",
        } <= set(e)
        assert {"name", "country", "admin1", "lat", "lon", "precision"} <= set(e["place"])
        assert e["sources"] and {"external_id", "url", "outlet", "published"} <= set(e["sources"][0])
        assert e["date_jalali"].startswith("1401-")


def test_events_csv_has_a_header_and_one_row_per_event(demo_db):
    code, out, _ = run("events", "--period", "1401-12", "--format", "csv", db=demo_db)
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("id,category,subtype,date,date_jalali")
    _, js, _ = run("tally", "--period", "1401-12", "--format", "json", db=demo_db)
    assert len(lines) - 1 == json.loads(js)["total"]


def test_show_prints_every_source_sentence(demo_db):
    _, out, _ = run(
        "events",
        "--period",
        "1401",
        "--claim-status",
        "corroborated",
        "--limit",
        "1",
        "--format",
        "jsonl",
        db=demo_db,
    )
    ev = json.loads(out.splitlines()[0])
    code, text, _ = run("show", str(ev["id"]), db=demo_db)
    assert code == 0 and f"Event {ev['id']}" in text
    code, js, _ = run("show", str(ev["id"]), "--format", "json", db=demo_db)
    detail = json.loads(js)
    assert len({m["document_id"] for m in detail["mentions"]}) >= 2
    for m in detail["mentions"]:
        assert m["sentence"] and m["sentence"].replace("\n", " ")[:20] in text.replace("\n", " ")


def test_show_unknown_event_is_a_clear_error(demo_db):
    code, _, err = run("show", "999999", db=demo_db)
    assert code == 3 and "no event with id 999999" in err  # NotFoundError


def test_statement_in_english_and_persian(demo_db):
    code, en, _ = run("statement", "--period", "1401", db=demo_db)
    assert code == 0 and en.startswith("In the Iranian year 1401 (21 March 2022 – 20 March 2023)")
    assert "Reproduce: eventledger tally --period 1401 --calendar jalali" in en
    code, fa, _ = run("statement", "--period", "1401", "--lang", "fa", db=demo_db)
    assert code == 0 and fa.startswith("در سال ۱۴۰۱ خورشیدی (۱ فروردین ۱۴۰۱ تا ۲۹ اسفند ۱۴۰۱")


def test_statement_figures_are_the_tally_figures(demo_db):
    _, js, _ = run(
        "tally", "--period", "1401", "--by", "subtype", "--by", "claim_status", "--format", "json", db=demo_db
    )
    t = json.loads(js)
    _, en, _ = run("statement", "--period", "1401", db=demo_db)
    assert f"describe {t['total']:,} events" in en
    assert f"{t['by_category']['propaganda']:,} propaganda acts" in en
    assert f"{t['by_claim_status']['claimed']:,} were claimed only" in en


def test_db_option_after_the_command_and_from_the_environment(demo_db):
    code, out, _ = run("tally", "--period", "1401", "--format", "json", "--db", str(demo_db))
    assert code == 0 and json.loads(out)["total"] > 0
    code, out2, _ = run("tally", "--period", "1401", "--format", "json", env={"EVENTLEDGER_DB": str(demo_db)})
    assert code == 0 and out2 == out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["tally", "--period", "1401-13"], "month 13 does not exist"),
        (["tally", "--period", "yesterday"], "cannot read period"),
        (["codebook", "check", "/nonexistent.yaml"], "codebook file not found"),
    ],
)
def test_bad_input_is_one_clear_line(demo_db, args, message):
    code, _, err = run(*args, db=demo_db)
    assert code == 2 and message in err and "Traceback" not in err  # PeriodError, CodebookError


def test_querying_a_missing_database_says_so(tmp_path):
    code, _, err = run("tally", "--period", "1401", db=tmp_path / "missing.db")
    assert code == 1 and "database not found" in err


def test_ingest_reports_bad_lines_and_strict_fails(tmp_path):
    src = tmp_path / "in.jsonl"
    good = {
        "id": "1",
        "outlet": "Iran Monitor",
        "published": "2023-02-18T09:00:00+03:30",
        "text": "Gunmen opened fire on a police post in Saravan on Friday.",
    }
    src.write_text(json.dumps(good) + "\nnot json\n", encoding="utf-8")
    code, out, err = run("ingest", str(src), db=tmp_path / "x.db")
    # done, but a record was rejected: exit 6 and run status "partial", and the summary says why
    assert code == 6 and f"{src}:2: invalid JSON" in err and "partial: 1 record(s) rejected" in err
    code, _, _ = run("ingest", "--strict", str(src), db=tmp_path / "y.db")
    assert code == 1
    code, out, _ = run("runs", "--format", "json", db=tmp_path / "x.db")
    assert code == 0 and [(r["command"], r["status"]) for r in json.loads(out)] == [("ingest", "partial")]
    good_only = tmp_path / "good.jsonl"
    good_only.write_text(json.dumps(good) + "\n", encoding="utf-8")
    assert run("ingest", str(good_only), db=tmp_path / "z.db")[0] == 0  # all good: 0


def _one_report_db(tmp_path, outlet: str, text: str):
    """A database with one English report of ``outlet`` ingested."""
    src = tmp_path / "in.jsonl"
    report = {
        "id": "1",
        "outlet": outlet,
        "published": "2023-02-18T09:00:00+03:30",
        "lang": "en",
        "text": text,
    }
    src.write_text(json.dumps(report) + "\n")
    db = tmp_path / "x.db"
    run("ingest", str(src), db=db)
    return db


def test_outlets_set_changes_claim_status(tmp_path):
    db = _one_report_db(tmp_path, "Chan", "Sepideh units wrote slogans in Qom on Friday.")
    code, out, _ = run("outlets", "set", "Chan", "--stance", "actor", "--actor", "sepideh-network", db=db)
    assert code == 0 and "1 event claim status" in out
    _, js, _ = run("tally", "--period", "1401", "--by", "claim_status", "--format", "json", db=db)
    assert json.loads(js)["by_claim_status"] == {"claimed": 1, "reported": 0, "corroborated": 0}


def test_personal_data_in_a_file_reports_url_and_outlet_is_never_shown_and_stances_still_apply(tmp_path):
    src = tmp_path / "in.jsonl"
    record = {
        "id": "https://x.org/r?mobile=09123456789",
        "url": "https://x.org/r?mobile=09123456789&email=pii.person%40example.org&page=2",
        "outlet": "Chan ۰۹۱۲ ۳۴۵ ۶۷۸۹",
        "published": "2023-02-18T09:00:00+03:30",
        "lang": "en",
        "text": "Sepideh units wrote slogans in Qom on Friday, call (+98) 912-345-6789.",
    }
    src.write_text(json.dumps(record) + "\n")
    db = tmp_path / "x.db"
    run("ingest", str(src), db=db)
    # the stance is set under the name as written; it reaches the stored (redacted) outlet
    code, out, _ = run("outlets", "set", record["outlet"], "--stance", "actor", "--actor", "sepideh", db=db)
    assert code == 0 and "Chan [phone]: actor; 1 event claim status" in out
    shown = [run("events", "--format", fmt, db=db)[1] for fmt in ("jsonl", "csv", "table")]
    shown += [run("show", "1", *args, db=db)[1] for args in ((), ("--format", "json"))]
    shown.append(run("outlets", "list", db=db)[1])
    for text in shown:
        text = json.dumps(text, ensure_ascii=False)
        assert "912" not in text and "۹۱۲" not in text and "pii.person" not in text, text
    ev = json.loads(shown[0].splitlines()[0])
    assert ev["claim_status"] == "claimed" and "mobile=[redacted]" in ev["sources"][0]["url"]


def test_report_text_is_printed_literally_not_as_markup(tmp_path):
    src = tmp_path / "in.jsonl"
    text = "[bold red]Sepideh units[/] wrote slogans in Qom on Friday. <script>alert(1)</script>"
    src.write_text(
        json.dumps(
            {
                "id": "1",
                "outlet": "[link=x]O[/link]",
                "published": "2023-02-18T09:00:00+03:30",
                "lang": "en",
                "text": text,
            }
        )
        + "\n"
    )
    db = tmp_path / "x.db"
    run("ingest", str(src), db=db)
    code, out, _ = run("show", "1", db=db)
    assert code == 0 and "[bold red]Sepideh units[/]" in out and "[link=x]O[/link]" in out


def test_golden_demo_tallies(demo_db, update_golden):
    """Golden tallies of the bundled corpus, both calendars, both sides of the 1401/1402 boundary."""
    cases = {
        "tally_1401_jalali": [
            "--period",
            "1401",
            "--by",
            "subtype",
            "--by",
            "month",
            "--by",
            "province",
            "--by",
            "claim_status",
        ],
        "tally_1402_jalali": ["--period", "1402", "--by", "subtype", "--by", "claim_status"],
        "tally_1403_jalali": ["--period", "1403", "--by", "subtype", "--by", "month"],
        "tally_2023_gregorian": ["--period", "2023", "--by", "month", "--by", "outlet"],
        "tally_boundary_week": ["--period", "1401-12-25..1402-01-05", "--by", "subtype", "--by", "place"],
    }
    for name, args in cases.items():
        code, out, _ = run("tally", *args, "--format", "json", db=demo_db)
        assert code == 0
        check_golden(name, json.loads(out), update_golden)


def test_an_act_whose_place_the_text_does_not_give_counts_as_place_not_given(tmp_path):
    """A place the text does not give is unknown in the tally — never the home country by default."""
    src = unplaced_report(tmp_path)
    db = tmp_path / "u.db"
    assert run("ingest", str(src), "-q", db=db)[0] == 0
    code, text, _ = run("tally", "--period", "1401", "--by", "province", "--format", "json", db=db)
    assert code == 0 and json.loads(text)["by_province"] == {"unknown": 1}
    code, text, _ = run("tally", "--period", "1401", "--by", "province", db=db)
    assert code == 0 and "place not given" in text


def test_the_demo_builds_the_database_the_next_commands_read(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EVENTLEDGER_DB", raising=False)
    demo = CliRunner().invoke(cli, ["demo"])
    assert demo.exit_code == 0 and (tmp_path / "eventledger.db").exists()
    nxt = CliRunner().invoke(cli, ["tally", "--period", "1401", "--format", "json"])
    assert nxt.exit_code == 0 and json.loads(nxt.stdout)["total"] > 0  # no --db needed
    (tmp_path / "real.db").write_bytes(b"")  # a database that is not a demo one is never replaced
    again = CliRunner().invoke(cli, ["--db", str(tmp_path / "real.db"), "demo"])
    assert again.exit_code == 2 and "not a demo database" in again.stderr


def test_outlets_set_refuses_a_typo_and_keeps_the_language(tmp_path):
    db = _one_report_db(tmp_path, "Iran Monitor", "Protesters gathered in Tabriz on Friday.")
    run("outlets", "set", "Iran Monitor", "--stance", "independent", "--lang", "en", db=db)
    code, _, err = run("outlets", "set", "Iran Monitr", "--stance", "state", db=db)
    assert code == 2 and "did you mean Iran Monitor?" in err
    code, _, _ = run("outlets", "set", "iran monitor", "--stance", "state", db=db)  # any letter case
    _, listing, _ = run("outlets", "list", db=db)
    assert code == 0 and "state" in listing and " en" in listing  # the language is kept
    code, _, _ = run("outlets", "set", "New Wire", "--stance", "unknown", "--new", db=db)
    assert code == 0 and "New Wire" in run("outlets", "list", db=db)[1]


def test_runs_errors_says_when_there_are_none_or_no_such_run(tmp_path):
    db = tmp_path / "x.db"
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "a", "outlet": "W", "published": "2023-02-18T09:00:00+03:30", "text": "x"}) + "\n"
    )
    run("ingest", str(src), db=db)
    code, out, err = run("runs", "errors", "1", db=db)
    assert code == 0 and out == "" and "run 1 had no record errors" in err
    code, _, err = run("runs", "errors", "99", db=db)
    assert code == 3 and "no run with id 99" in err


def test_tally_table_fills_every_label_cell(demo_db):
    code, out, _ = run(
        "tally", "--period", "1401", "--by", "subtype", "--by", "month", "--by", "province", db=demo_db
    )
    assert code == 0
    rows = {
        line.split("│")[0].strip(): line.split("│")[1].strip() for line in out.splitlines() if "│" in line
    }
    assert rows["arson"] == "arson" and rows["vandalism"] == "vandalism"  # label = id, still shown
    assert rows["1401-01"].startswith("Farvardin") and rows["1401-12"].startswith("Esfand")
    assert rows["IR-23"] == "Tehran" and rows["IR"] == "Iran (province not known)"
    assert all(label for label in rows.values())


def test_show_says_when_an_event_was_rejected_or_merged(demo_db, tmp_path):
    import shutil

    from sqlalchemy import update

    from eventledger.store.db import Store
    from eventledger.store.schema import events

    db = tmp_path / "d.db"
    shutil.copy(demo_db, db)
    store = Store.open(db)
    with store.begin() as conn:
        conn.execute(update(events).where(events.c.id == 1).values(review_status="rejected"))
        conn.execute(update(events).where(events.c.id == 2).values(review_status="merged", merged_into=3))
    store.close()
    assert "review: rejected — not counted in any tally" in run("show", "1", db=db)[1]
    assert "review: merged into event 3 — not counted in any tally" in run("show", "2", db=db)[1]
    assert json.loads(run("show", "2", "--format", "json", db=db)[1])["merged_into"] == 3
    assert "review:" not in run("show", "4", db=db)[1]


def test_an_empty_input_is_named_in_a_warning(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    folder = tmp_path / "nothing"
    folder.mkdir()
    (folder / "image.png").write_bytes(b"\x89PNG")
    code, _, err = run("ingest", str(empty), str(folder), db=tmp_path / "x.db")
    assert code == 0
    assert f"warning: {empty}: no record in it" in err and f"warning: {folder}: no record in it" in err


def test_reports_dated_by_the_file_time_are_said_to_be(tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a.txt").write_text("Protesters gathered in Tabriz on Friday.", encoding="utf-8")
    (folder / "b.md").write_text(
        "---\npublished: 2023-02-18T09:00:00+03:30\n---\nA march in Rasht.", encoding="utf-8"
    )
    code, _, err = run("ingest", str(folder), db=tmp_path / "x.db")
    assert code == 0 and "warning: 1 report(s) gave no date" in err and "a.txt" in err and "b.md" not in err


def test_the_cli_speaks_persian_with_lang_fa(demo_db, tmp_path):
    """`--lang fa` (or $EVENTLEDGER_LANG): tables, summaries, statements and the error prefix in
    Persian, from the same catalogs as the web app; the default stays English."""
    code, out, _ = run("--lang", "fa", "tally", "--period", "1401", "--by", "province", db=demo_db)
    assert code == 0 and "به تفکیک استان" in out and "تهران" in out and "شعار" not in out.split("\n")[0]
    assert "۱۴۰۱" in out and "by province" not in out and "Tehran" not in out
    code, out, _ = run("tally", "--period", "1401", db=demo_db, env={"EVENTLEDGER_LANG": "fa"})
    assert code == 0 and "مجموع" in out
    code, out, _ = run("--lang", "fa", "events", "--period", "1401-01", "--limit", "2", db=demo_db)
    assert code == 0 and "وضعیت ادعا" in out and "۲ رویداد" in out
    code, out, _ = run("--lang", "fa", "statement", "--period", "1401", db=demo_db)
    assert (
        code == 0 and "۱۴۰۱" in out
    )  # the statement follows the CLI's language unless --lang says otherwise
    code, _, err = run("--lang", "fa", "tally", "--period", "1401", "--category", "violance", db=demo_db)
    assert code == 2 and err.startswith("خطا:") and "did you mean violence" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run("--lang", "fa", "ingest", str(empty), db=tmp_path / "x.db")
    assert "هشدار" in err and "رکوردی ندارد" in err
