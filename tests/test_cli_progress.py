"""The progress display of ``ingest``, ``recode``, ``archive export`` and URL polls: on standard error,
on a terminal only, and never on standard output."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from rich.console import Console
from warcio.archiveiterator import ArchiveIterator

import eventledger.cli as cli_module
from eventledger.cli import _PollProgress, cli
from eventledger.sources.archive import Archive, make_records
from eventledger.store.db import Store

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# a CI may force colours on every stream; these tests say which one is a terminal
NO_FORCED_TERMINAL = {"FORCE_COLOR": None, "TTY_COMPATIBLE": None}
PROGRESS_TEXT = re.compile(r"%|/s\b|\bleft\b|done in|━|\r|\x1b")

REPORTS = [
    ("a.txt", "Protesters gathered in front of Tehran University on Friday and chanted slogans."),
    ("b.md", "# Fire in Karaj\n\nRioters set fire to a Basij base in Karaj late on Thursday, police said."),
    ("sub/c.txt", "A homemade bomb exploded near a police station in Zahedan on Friday."),
]


def folder(tmp_path: Path) -> Path:
    root = tmp_path / "reports"
    for name, text in REPORTS:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"---\noutlet: Iran Monitor\npublished: 2023-02-17\nlang: en\n---\n{text}\n", encoding="utf-8"
        )
    (root / "notes.pdf").write_bytes(b"%PDF")  # not read: not counted
    return root


def jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text(
        "".join(
            json.dumps(
                {"id": str(i), "outlet": "X", "published": "2023-02-17T12:00:00Z", "lang": "en", "text": t}
            )
            + "\n"
            for i, (_, t) in enumerate(REPORTS)
        ),
        encoding="utf-8",
    )
    return path


def invoke(db: Path, *args: str):
    res = CliRunner().invoke(cli, ["--db", str(db), *args], env=NO_FORCED_TERMINAL, catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """Standard error of the command is a (forced) terminal: what it draws there, colours removed."""
    buf = io.StringIO()
    monkeypatch.setattr(cli_module, "err", Console(file=buf, force_terminal=True, width=120))
    return buf


def frames(buf: io.StringIO) -> list[str]:
    return [f for f in _ANSI.sub("", buf.getvalue()).replace("\n", "\r").split("\r") if f.strip()]


def test_ingest_off_a_terminal_prints_no_progress_and_clean_stdout(tmp_path):
    res = invoke(tmp_path / "x.db", "ingest", str(folder(tmp_path)))
    assert "documents stored" in res.stdout and "3" in res.stdout
    assert not PROGRESS_TEXT.search(res.stdout), res.stdout
    assert not PROGRESS_TEXT.search(res.stderr), res.stderr  # only the summary line
    assert "3 stored, 0 duplicates, 0 errors" in res.stderr


def test_ingest_of_text_files_on_a_terminal_shows_percentage_and_time(tmp_path, terminal):
    res = invoke(tmp_path / "x.db", "ingest", str(folder(tmp_path)), "--batch-size", "1")
    drawn = frames(terminal)
    bars = [f for f in drawn if f.startswith("ingest ")]
    assert bars and re.search(r"(\d+|-):[\d-]{2}:[\d-]{2} left", bars[0]), drawn  # redrawn 10 times a second
    last = bars[-1]
    assert "100%" in last and "3/3 records" in last and "/s" in last and "done in" in last
    assert "3 stored" in last
    assert not PROGRESS_TEXT.search(res.stdout), res.stdout  # the bar never reaches standard output


def test_ingest_of_jsonl_on_a_terminal_shows_records_out_of_its_lines(tmp_path, terminal):
    invoke(tmp_path / "x.db", "ingest", str(jsonl(tmp_path)))
    last = [f for f in frames(terminal) if f.startswith("ingest ")][-1]
    assert "100%" in last and "3/3 records" in last and "/s" in last


def test_ingest_of_csv_on_a_terminal_counts_records_without_a_total(tmp_path, terminal):
    path = tmp_path / "in.csv"
    rows = ["id,outlet,published,lang,text"] + [
        f'{i},X,2023-02-17T12:00:00Z,en,"{t}"' for i, (_, t) in enumerate(REPORTS)
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    invoke(tmp_path / "x.db", "ingest", str(path))
    last = [f for f in frames(terminal) if f.startswith("ingest ")][-1]
    assert "3 records" in last and "/s" in last and "%" not in last and "/3" not in last


def test_ingest_quiet_draws_nothing_on_a_terminal(tmp_path, terminal):
    invoke(tmp_path / "x.db", "ingest", "-q", str(folder(tmp_path)))
    assert not any(f.startswith("ingest ") for f in frames(terminal))
    assert "3 stored, 0 duplicates, 0 errors" in terminal.getvalue()


def test_recode_shows_reports_done_out_of_the_stored_ones_and_keeps_json_clean(tmp_path, terminal):
    db = tmp_path / "x.db"
    invoke(db, "ingest", "-q", str(jsonl(tmp_path)))
    res = invoke(db, "recode", "--format", "json", "--batch-size", "2")
    assert json.loads(res.stdout)["documents"] == 3
    last = [f for f in frames(terminal) if f.startswith("recode ")][-1]
    assert "100%" in last and "3/3 reports" in last and "done in" in last
    terminal.seek(0)
    terminal.truncate()
    invoke(db, "recode", "-q")
    assert not any(f.startswith("recode ") for f in frames(terminal))


def _archived(db: Path, n: int) -> None:
    store = Store.open(str(db), create=True)
    archive = Archive()
    for i in range(n):
        archive.add(
            make_records(
                f"https://example.org/news/{i}", "GET", {"User-Agent": "test"}, 200, "OK",
                [("Content-Type", "text/html; charset=utf-8")], f"<p>Report {i}</p>".encode(),
                dt.datetime(2023, 2, 18, tzinfo=dt.UTC),
            )
        )  # fmt: skip
    with store.begin() as conn:
        archive.flush(conn)
    store.close()


def _responses(path: Path) -> int:
    with gzip.open(path, "rb") as fh:
        return sum(1 for rec in ArchiveIterator(io.BytesIO(fh.read())) if rec.rec_type == "response")


def test_archive_export_shows_records_done_and_writes_the_same_records(tmp_path, terminal):
    db = tmp_path / "x.db"
    _archived(db, 3)
    res = invoke(db, "archive", "export", str(tmp_path / "shown.warc.gz"))
    assert res.stdout.startswith("3 archived responses written") and not PROGRESS_TEXT.search(res.stdout)
    last = [f for f in frames(terminal) if f.startswith("export ")][-1]
    assert "100%" in last and "3/3 records" in last and "done in" in last
    terminal.seek(0)
    terminal.truncate()
    invoke(db, "archive", "export", "-q", str(tmp_path / "quiet.warc.gz"))
    assert not any(f.startswith("export ") for f in frames(terminal))
    assert _responses(tmp_path / "shown.warc.gz") == _responses(tmp_path / "quiet.warc.gz") == 3


def _got(name: str, *, error: str | None = None, reports: int = 1) -> SimpleNamespace:
    return SimpleNamespace(
        spec=SimpleNamespace(name=name), not_modified=False, error=error, reports=[None] * reports
    )


def _pass(sources: int) -> SimpleNamespace:
    return SimpleNamespace(sources=sources, ingest=SimpleNamespace(documents=0), failed={})


def test_a_poll_shows_sources_done_out_of_the_pass_and_each_source_line(terminal):
    progress = _PollProgress()
    res = _pass(2)
    progress(_got("feed-a"), res)
    res.ingest.documents = 1
    res.failed["feed-b"] = "HTTP 500"
    progress(_got("feed-b", error="HTTP 500"), res)
    drawn = frames(terminal)
    assert "  feed-a: 1 new reports" in drawn and "  feed-b: error: HTTP 500" in drawn
    last = [f for f in drawn if f.startswith("poll ")][-1]
    assert "100%" in last and "2/2 sources" in last and "1 stored · 1 failed" in last
    # the pass is done: the next one (a later pass of watch) has a bar of its own
    progress(_got("feed-a"), _pass(3))
    progress.close()
    assert "1/3 sources" in [f for f in frames(terminal) if f.startswith("poll ")][-1]


def test_a_poll_off_a_terminal_prints_the_source_lines_only(monkeypatch):
    buf = io.StringIO()
    monkeypatch.setattr(cli_module, "err", Console(file=buf, force_terminal=False, width=120))
    _PollProgress()(_got("feed-a"), _pass(1))
    assert buf.getvalue() == "  feed-a: 1 new reports\n"
