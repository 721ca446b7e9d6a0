"""One hostile record is that record's error, named with file and line; the rest of the input is stored.

The triggers are the ones that used to abort a whole file with a traceback (numbers and times out of
range, huge integers, deep nesting, lone surrogates, damaged .gz files), in every file format.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from eventledger.cli import cli
from eventledger.errors import InputError
from eventledger.pipeline import Ingestor
from eventledger.records import RawReport, RecordError
from eventledger.sources.files import ReadOptions
from eventledger.sources.kinds import detect_kind, read_path
from eventledger.sources.telegram import read_telegram_export
from eventledger.store.db import Store
from eventledger.store.schema import documents, run_errors

PUBLISHED = "2023-02-18T09:15:00+03:30"
HUGE_INT = "9" * 5000
TOO_DEEP = "[" * 100_000 + "]" * 100_000

# (what it is, the JSONL line, a word of the error message)
JSONL_TRIGGERS = [
    ("Infinity", '{"id": "h", "published": Infinity, "text": "t"}', "'published'"),
    ("NaN", '{"id": "h", "published": NaN, "text": "t"}', "'published'"),
    ("1e20", '{"id": "h", "published": 1e20, "text": "t"}', "'published'"),
    ("-1e300", '{"id": "h", "published": -1e300, "text": "t"}', "'published'"),
    ("1e400 id", '{"id": 1e400, "published": "2023-02-18T09:15:00Z", "text": "t"}', "'id'"),
    ("year 1, +05:00", '{"id": "h", "published": "0001-01-01T00:00:00+05:00", "text": "t"}', "out of range"),
    ("year 9999, -05:00", '{"id": "h", "published": "9999-12-31T23:59:59-05:00", "text": "t"}', "out of range"),
    ("year 1800", '{"id": "h", "published": "1800-01-01T00:00:00Z", "text": "t"}', "out of range"),
    ("5000-digit time", f'{{"id": "h", "published": {HUGE_INT}, "text": "t"}}', "'published'"),
    ("5000-digit outlet", f'{{"outlet": {HUGE_INT}, "published": "{PUBLISHED}", "text": "t"}}', "'outlet'"),
    ("nested 100k deep", TOO_DEEP, "nested too deeply"),
    ("nested object", '{"text": ' + TOO_DEEP + "}", "nested too deeply"),
    ("surrogate outlet", f'{{"outlet": "\\ud800", "published": "{PUBLISHED}", "text": "t"}}', "'outlet'"),
    ("surrogate id", f'{{"id": "a\\udfff", "published": "{PUBLISHED}", "text": "t"}}', "'id'"),
    ("surrogate url", f'{{"url": "https://x/\\ud800", "published": "{PUBLISHED}", "text": "t"}}', "'url'"),
    ("surrogate lang", f'{{"lang": "\\ud800", "published": "{PUBLISHED}", "text": "t"}}', "'lang'"),
    ("surrogate published", '{"published": "2023-02-18\\ud800", "text": "t"}', "'published'"),
    ("lang not a code", f'{{"lang": "../../x", "published": "{PUBLISHED}", "text": "t"}}', "'lang'"),
]  # fmt: skip


def good(i: int, **extra: object) -> dict[str, object]:
    return {
        "id": f"r{i}",
        "outlet": "Iran Monitor",
        "published": PUBLISHED,
        "lang": "en",
        "text": f"Workers of factory {i} went on strike in Ahvaz on Friday, report {i} said.",
        **extra,
    }


def split(items: list[RawReport | RecordError]) -> tuple[list[RawReport], list[RecordError]]:
    return [i for i in items if isinstance(i, RawReport)], [i for i in items if isinstance(i, RecordError)]


@pytest.mark.parametrize(("name", "line", "word"), JSONL_TRIGGERS, ids=[t[0] for t in JSONL_TRIGGERS])
def test_a_hostile_jsonl_record_is_its_own_error(tmp_path, name, line, word):
    p = tmp_path / "in.jsonl"
    p.write_text(json.dumps(good(1)) + "\n" + line + "\n" + json.dumps(good(2)) + "\n", encoding="utf-8")
    reports, errors = split(list(read_path(p)))
    assert [r.external_id for r in reports] == ["r1", "r2"]
    assert [e.origin for e in errors] == [f"{p}:2"]
    assert word in errors[0].message


def test_lone_surrogates_in_title_and_text_become_replacement_characters(tmp_path):
    p = tmp_path / "in.jsonl"
    p.write_text(
        '{"title": "A \\udc00 title", "published": "2023-02-18T09:15:00Z", "text": "Strike \\ud800 in Ahvaz '
        'and a smile \\ud83d\\ude00."}\n',
        encoding="utf-8",
    )
    (report,) = read_path(p)
    assert (
        report.title == "A \ufffd title" and report.text == "Strike \ufffd in Ahvaz and a smile \U0001f600."
    )


def test_an_unread_field_out_of_range_does_not_matter(tmp_path):
    p = tmp_path / "in.jsonl"
    p.write_text(json.dumps(good(1)).replace("}", f', "views": {HUGE_INT}, "score": NaN}}') + "\n")
    (report,) = read_path(p)
    assert isinstance(report, RawReport) and report.external_id == "r1"


def test_csv_rows_out_of_range_or_not_utf8_are_their_own_errors(tmp_path):
    p = tmp_path / "in.csv"
    rows = [
        "id,outlet,published,text",
        f"c1,X,{PUBLISHED},Workers went on strike in Ahvaz.",
        "c2,X,0001-01-01T00:00:00+05:00,year one",
        "c3,X,9999-12-31T23:59:59-05:00,year 9999",
        f"c4,{HUGE_INT},{PUBLISHED},outlet of 5000 digits",
        "c5,X,Infinity,not a time",
        f"{HUGE_INT},X,{PUBLISHED},id of 5000 digits",
    ]
    data = ("\n".join(rows) + "\n").encode() + b"c6,X\xff\xfe," + PUBLISHED.encode() + b",bad bytes\n"
    p.write_bytes(data + f"c7,X,{PUBLISHED},Bakers in Qazvin stopped selling bread.\n".encode())
    reports, errors = split(list(read_path(p)))
    assert [r.external_id for r in reports] == ["c1", "c7"]
    assert [e.origin.rsplit(":", 1)[1] for e in errors] == ["3", "4", "5", "6", "7", "8"]
    assert "not UTF-8" in errors[-1].message and "out of range" in errors[0].message


def test_markdown_front_matter_out_of_range_is_that_file_s_error(tmp_path):
    bad = {
        "offset.md": "published: 0001-01-01T00:00:00+05:00",
        "late.md": "published: 9999-12-31T23:59:59-05:00",
        "digits.md": f"id: {HUGE_INT}",
        "inf.md": "published: .inf",
        "nan-id.md": "id: .nan",
        "no-such-day.md": "published: 2023-02-30",
        "deep.md": "x: " + "[" * 5000 + "]" * 5000,
        "surrogate.md": 'outlet: "\\ud800"',
    }
    for name, front in bad.items():
        (tmp_path / name).write_text(f"---\n{front}\n---\nStrike in Ahvaz.\n", encoding="utf-8")
    (tmp_path / "ok.md").write_text(
        '---\npublished: 2023-02-18T09:00:00+03:30\ntitle: "\\ud83d\\ude00 smile"\n---\nStrike in Ahvaz.\n',
        encoding="utf-8",
    )
    reports, errors = split(list(read_path(tmp_path)))
    assert [r.external_id for r in reports] == ["ok.md"] and reports[0].title == "\U0001f600 smile"
    assert sorted(Path(e.origin.split(":")[0]).name for e in errors) == sorted(bad)


def test_a_file_name_that_is_not_utf8_is_escaped_not_fatal(tmp_path):
    import os

    name = os.fsdecode(b"caf\xe9.txt")  # a lone surrogate in the str of the path
    (tmp_path / name).write_text("Workers went on strike in Ahvaz on Friday.", encoding="utf-8")
    (report,) = read_path(tmp_path, ReadOptions(outlet="X"))
    assert isinstance(report, RawReport) and report.external_id == "caf\\udce9.txt"
    assert "\\udce9" in report.origin


# --- Telegram exports ----------------------------------------------------------------------------------------
def export(messages: list[object], chat_id: object = 1765432109) -> dict[str, object]:
    return {"name": "Sepideh \ud800 Telegram", "type": "public_channel", "id": chat_id, "messages": messages}


def message(msg_id: object, date: str = "2023-02-18T12:45:00", text: str = "Strike in Shush.") -> dict:
    return {"id": msg_id, "type": "message", "date": date, "text": text}


def test_telegram_export_messages_out_of_range_are_their_own_errors(tmp_path):
    p = tmp_path / "result.json"
    doc = export(
        [
            message(1),
            message(2, date="0001-01-01T00:00:00+05:00"),
            message(3, date="9999-12-31T23:59:59-05:00"),
            message(4, text="Bakers in Qazvin stopped selling bread."),
        ]
    )
    raw = json.dumps(doc).replace('"id": 3,', f'"id": 3, "date_unixtime": {HUGE_INT},')
    p.write_text(raw.replace('"id": 4,', f'"id": 4, "views": {HUGE_INT},'), encoding="utf-8")
    reports, errors = split(list(read_telegram_export(p, ReadOptions())))
    assert [r.external_id for r in reports] == ["1765432109/1", "1765432109/4"]
    assert reports[0].outlet == "Sepideh \ufffd Telegram"
    assert [e.origin for e in errors] == [f"{p}:message 2", f"{p}:message 3"]


def test_telegram_export_with_a_5000_digit_chat_id(tmp_path):
    one = tmp_path / "one.json"
    one.write_text(json.dumps(export([message(1)])).replace("1765432109", HUGE_INT), encoding="utf-8")
    with pytest.raises(InputError, match="the chat 'id' must be a non-negative integer") as info:
        list(read_telegram_export(one, ReadOptions()))
    assert str(one) in str(info.value) and len(str(info.value)) < 300
    full = tmp_path / "full.json"
    chats = [
        {"name": "Bad", "type": "public_channel", "id": 7, "messages": [message(1)]},
        {"name": "Good", "type": "public_channel", "id": 8, "messages": [message(1)]},
    ]
    full.write_text(json.dumps({"chats": {"list": chats}}).replace('"id": 7', f'"id": {HUGE_INT}'))
    reports, errors = split(list(read_telegram_export(full, ReadOptions())))
    assert [r.external_id for r in reports] == ["8/1"] and [e.origin for e in errors] == [f"{full}:chats[0]"]


def test_a_compact_one_line_telegram_export_is_read_as_an_export(tmp_path):
    p = tmp_path / "result.json"
    p.write_text(json.dumps(export([message(1), message(2)]), separators=(",", ":")), encoding="utf-8")
    assert detect_kind(p) == "telegram-export"
    assert [r.external_id for r in read_path(p)] == ["1765432109/1", "1765432109/2"]
    big = tmp_path / "big.json"  # one line, longer than the head that is looked at
    many = [message(n, text=f"Strike number {n} in Shush.") for n in range(1, 400)]
    big.write_text(json.dumps(export(many), separators=(",", ":")), encoding="utf-8")
    assert detect_kind(big) == "telegram-export"
    jsonl = tmp_path / "reports.json"  # JSON Lines whose first record is long and says "messages"
    jsonl.write_text(json.dumps(good(1, text='the "messages": ' + "x" * 9000)) + "\n", encoding="utf-8")
    assert detect_kind(jsonl) == "jsonl"


# --- damaged and inflated .gz files ------------------------------------------------------------------------
def gz_lines(path: Path, lines: list[str]) -> bytes:
    data = gzip.compress(("\n".join(lines) + "\n").encode())
    path.write_bytes(data)
    return data


def test_a_truncated_gz_keeps_what_came_before_and_names_the_line(tmp_path):
    p = tmp_path / "in.jsonl.gz"
    data = gz_lines(p, [json.dumps(good(i)) for i in range(2000)])
    p.write_bytes(data[: len(data) // 2])
    reports, errors = split(list(read_path(p)))
    assert len(reports) > 500 and [r.external_id for r in reports] == [f"r{i}" for i in range(len(reports))]
    (err,) = errors
    assert err.origin == f"{p}:{len(reports) + 1}" and "ends early" in err.message
    c = tmp_path / "in.csv.gz"
    data = gz_lines(c, ["id,published,text", *(f"c{i},{PUBLISHED},Strike number {i}" for i in range(5000))])
    c.write_bytes(data[: len(data) // 2])
    reports, errors = split(list(read_path(c)))
    assert len(reports) > 500 and [e.kind for e in errors] == ["damaged"]


def test_a_gz_that_is_no_gzip_is_an_error_naming_the_file(tmp_path):
    p = tmp_path / "in.jsonl.gz"
    p.write_bytes(b"not gzip at all\n")
    assert detect_kind(p) == "jsonl"
    (err,) = read_path(p)
    assert isinstance(err, RecordError) and err.origin == f"{p}:1" and "corrupt" in err.message


def test_a_decompression_bomb_stops_at_the_cap_as_an_error(tmp_path):
    p = tmp_path / "bomb.jsonl.gz"
    with gzip.open(p, "wb") as fh:
        fh.write(json.dumps(good(1)).encode() + b"\n" + b" " * 20_000_000)
    opts = ReadOptions(max_expanded_bytes=1_000_000, max_expansion_ratio=10)
    reports, errors = split(list(read_path(p, opts)))
    assert [r.external_id for r in reports] == ["r1"]
    assert [e.kind for e in errors] == ["damaged"] and "more than 1000000 bytes" in errors[0].message


def test_blank_lines_are_skipped_cheaply_and_counted(tmp_path):
    p = tmp_path / "in.jsonl.gz"
    with gzip.open(p, "wb") as fh:
        fh.write(json.dumps(good(1)).encode() + b"\n")
        for _ in range(50):
            fh.write(b"\n" * 1_000_000)
        fh.write(b"  \t \n" + json.dumps(good(2)).encode())  # no final line break
    started = time.perf_counter()
    reports = list(read_path(p))
    assert [r.origin for r in reports] == [f"{p}:1", f"{p}:50000003"]
    assert time.perf_counter() - started < 20  # line by line, this took minutes


def test_long_lines_are_skipped_across_blocks(tmp_path):
    p = tmp_path / "in.jsonl"
    long_line = json.dumps(good(2, text="x" * 3_000_000))
    p.write_text("\n".join([json.dumps(good(1)), long_line, "", json.dumps(good(3))]), encoding="utf-8")
    items = list(read_path(p, ReadOptions(max_record_bytes=1_000_000)))
    assert [(type(i).__name__, i.origin.rsplit(":", 1)[1]) for i in items] == [
        ("RawReport", "1"),
        ("RecordError", "2"),
        ("RawReport", "4"),
    ]


# --- the figure: 1% hostile records, 99% stored ------------------------------------------------------------------
HOSTILE_JSONL = [
    '{"id": "x", "published": Infinity, "text": "t"}',
    '{"id": "x", "published": 1e20, "text": "t"}',
    '{"id": "x", "published": "0001-01-01T00:00:00+05:00", "text": "t"}',
    '{"id": "x", "published": "9999-12-31T23:59:59-05:00", "text": "t"}',
    f'{{"id": {HUGE_INT}, "published": "{PUBLISHED}", "text": "t"}}',
    TOO_DEEP,
    f'{{"outlet": "\\ud800", "published": "{PUBLISHED}", "text": "t"}}',
    f'{{"id": "\\ud800", "published": "{PUBLISHED}", "text": "t"}}',
    f'{{"url": "https://x/\\udc00", "published": "{PUBLISHED}", "text": "t"}}',
    f'{{"lang": "\\ud800", "published": "{PUBLISHED}", "text": "t"}}',
]
HOSTILE_CSV = [
    "h1,X,0001-01-01T00:00:00+05:00,en,t",
    "h2,X,9999-12-31T23:59:59-05:00,en,t",
    f"h3,{HUGE_INT},{PUBLISHED},en,t",
    f"{HUGE_INT},X,{PUBLISHED},en,t",
    "h5,X,Infinity,en,t",
    "h6,X,1e20,en,t",
    f"h7,X,{PUBLISHED},\u202eat,t",
    "h8,X,1800-01-01T00:00:00Z,en,t",
    "h9,X,2023-02-30T00:00:00Z,en,t",
    "h10,X,,en,t",
]


def hostile_file(tmp_path: Path, fmt: str) -> tuple[Path, list[int]]:
    """1,000 records, every 100th hostile (10 in all); returns the file and the hostile line numbers."""
    lines, bad = [], []
    header = 1 if fmt == "csv" else 0
    for i in range(1000):
        if i % 100 == 50:
            lines.append((HOSTILE_JSONL if fmt == "jsonl" else HOSTILE_CSV)[i // 100])
            bad.append(i + 1 + header)
        elif fmt == "jsonl":
            lines.append(json.dumps(good(i), ensure_ascii=False))
        else:
            g = good(i)
            lines.append(f'{g["id"]},{g["outlet"]},{g["published"]},en,"{g["text"]}"')
    p = tmp_path / f"hostile.{fmt}"
    p.write_text(("id,outlet,published,lang,text\n" if header else "") + "\n".join(lines) + "\n", "utf-8")
    return p, bad


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_one_percent_hostile_records_leave_99_percent_stored(tmp_path, fmt):
    path, bad = hostile_file(tmp_path, fmt)
    store = Store.open(tmp_path / "x.db")
    result = Ingestor(store, batch_size=100).ingest([path])
    with store.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(documents)).scalar_one()
        origins = conn.execute(select(run_errors.c.origin).order_by(run_errors.c.id)).scalars().all()
        status = conn.exec_driver_sql("select status from runs").scalar_one()
    store.close()
    assert (result.read, result.documents, result.errors, stored, status) == (1000, 990, 10, 990, "partial")
    assert origins == [f"{path}:{n}" for n in bad]


def test_cli_ingest_summary_and_exit_status(tmp_path):
    path, bad = hostile_file(tmp_path, "jsonl")
    db = str(tmp_path / "x.db")
    res = CliRunner().invoke(cli, ["--db", db, "ingest", "-q", str(path)])
    assert res.exit_code == 6 and "Traceback" not in res.stderr  # done, 10 records rejected: partial
    assert f"990 stored, 0 duplicates, 10 errors (first: {path}:{bad[0]}: 'published'" in res.stderr
    again = CliRunner().invoke(cli, ["--db", db, "ingest", "-q", str(path)])  # a re-run is no failure
    assert again.exit_code == 6 and "0 stored, 990 duplicates, 10 errors" in again.stderr
    only_bad = tmp_path / "bad.jsonl"
    only_bad.write_text("\n".join(HOSTILE_JSONL) + "\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["--db", db, "ingest", "-q", str(only_bad)])
    assert res.exit_code == 1 and "Traceback" not in res.stderr
    assert "error: nothing ingested: every record failed" in res.stderr
    trunc = tmp_path / "t.jsonl.gz"
    data = gz_lines(trunc, [json.dumps(good(i, text=f"Strike {i} in Ahvaz on Friday.")) for i in range(3000)])
    trunc.write_bytes(data[: len(data) // 2])
    res = CliRunner().invoke(cli, ["--db", db, "ingest", "-q", str(trunc)])
    assert res.exit_code == 6 and "ends early" in res.stderr and "Traceback" not in res.stderr  # partial


def test_published_bounds_are_inclusive_of_real_dates(tmp_path):
    p = tmp_path / "in.jsonl"
    p.write_text(
        json.dumps(good(1, published="1900-01-01T00:00:00Z"))
        + "\n"
        + json.dumps(good(2, published=1676700000))
        + "\n"
        + json.dumps(good(3, published="2099-12-31T22:00:00-03:00"))
        + "\n",
        encoding="utf-8",
    )
    items = list(read_path(p))
    assert [type(i).__name__ for i in items] == ["RawReport", "RawReport", "RecordError"]
    assert items[1].published == dt.datetime(2023, 2, 18, 6, 0, tzinfo=dt.UTC)


def test_a_column_named_twice_is_read_once_and_said(tmp_path):
    """ "text" and "Text" (or "id" and " id "): the first is read, the file is still ingested."""
    path = tmp_path / "dup.csv"
    path.write_text(
        "id,text,published,Text, id \ng1,A bomb exploded in Tehran,2023-02-18,,x\n", encoding="utf-8"
    )
    items = list(read_path(path, ReadOptions()))
    errors = [i for i in items if isinstance(i, RecordError)]
    reports = [i for i in items if isinstance(i, RawReport)]
    assert [r.external_id for r in reports] == ["g1"] and reports[0].text == "A bomb exploded in Tehran"
    assert len(errors) == 1 and errors[0].origin == f"{path}:1" and "'id', 'text'" in errors[0].message
