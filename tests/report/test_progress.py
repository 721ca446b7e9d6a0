"""The progress display: a bar, percentage, done/total, rate and time left on a terminal; nothing elsewhere."""

from __future__ import annotations

import io
import re
import time

from rich.console import Console

from eventledger.report.progress import ProgressDisplay

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def terminal() -> tuple[Console, io.StringIO]:
    buf = io.StringIO()
    return Console(file=buf, force_terminal=True, width=100), buf


def last_frame(buf: io.StringIO) -> str:
    """The line as last drawn (frames are separated by carriage returns), without colours."""
    return _ANSI.sub("", buf.getvalue()).replace("\n", "\r").rstrip("\r").split("\r")[-1]


def test_a_known_total_shows_bar_percentage_count_rate_and_time_left():
    console, buf = terminal()
    with ProgressDisplay("ingest", 10, console=console) as progress:
        progress.update(2)
        time.sleep(0.01)
        progress.update(advance=3, note="5 stored · 1 new events")
    line = last_frame(buf)
    assert "ingest" in line and "━" in line
    assert " 50%" in line and "5/10 records" in line
    assert re.search(r"[\d,.]+/s", line), line
    assert re.search(r"\d+:\d\d:\d\d left", line), line
    assert "5 stored · 1 new events" in line
    assert progress.done == 5


def test_a_finished_task_says_how_long_it_took():
    console, buf = terminal()
    with ProgressDisplay("recode", 4, unit="reports", console=console) as progress:
        progress.update(4)
    line = last_frame(buf)
    assert "100%" in line and "4/4 reports" in line and re.search(r"done in \d+:\d\d:\d\d", line)


def test_finish_completes_the_total():
    console, buf = terminal()
    with ProgressDisplay("export", 3, console=console) as progress:
        progress.update(1)
        progress.finish()
    assert "100%" in last_frame(buf) and progress.done == 3


def test_an_unknown_total_shows_the_count_and_rate_only():
    console, buf = terminal()
    with ProgressDisplay("ingest", console=console) as progress:
        progress.update(1_200)
        time.sleep(0.01)
        progress.update(advance=300)
    line = last_frame(buf)
    assert "1,500 records" in line and re.search(r"[\d,.]+/s", line), line
    assert "%" not in line and "left" not in line and "/1,500" not in line


def test_the_total_may_be_set_until_the_display_starts():
    console, buf = terminal()
    progress = ProgressDisplay("ingest", console=console)
    assert progress.shown
    progress.total = 8
    with progress:
        progress.update(2)
    assert " 25%" in last_frame(buf) and "2/8 records" in last_frame(buf)


def test_nothing_at_all_off_a_terminal():
    buf = io.StringIO()
    progress = ProgressDisplay("ingest", 10, console=Console(file=buf, force_terminal=False, width=100))
    assert not progress.shown
    with progress:
        progress.update(5, note="stored")
        progress.finish()
    assert buf.getvalue() == ""
    assert progress.done == 10  # still counted


def test_nothing_at_all_when_quiet():
    console, buf = terminal()
    with ProgressDisplay("ingest", 10, console=console, quiet=True) as progress:
        progress.update(5)
    assert not progress.shown and buf.getvalue() == ""


def test_the_note_is_shown_literally():
    console, buf = terminal()
    with ProgressDisplay("poll", 1, unit="sources", console=console) as progress:
        progress.update(1, note="[bold]feed\x07[/bold]")
    assert "[bold]feed[/bold]" in last_frame(buf)
    assert "\x07" not in buf.getvalue()


def test_a_narrow_terminal_cuts_the_note_not_the_bar():
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=60)
    with ProgressDisplay("ingest", 10, console=console) as progress:
        progress.update(5, note="12,345 stored · 678 new events · and more")
    line = last_frame(buf)
    assert "━" in line and " 50%" in line and "5/10 records" in line and "left" in line
    assert len(line.rstrip()) <= 60
