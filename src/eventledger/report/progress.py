"""The progress display of long commands (``ingest``, ``recode``, ``archive export``), on standard error.

When the total is known: a bar, the percentage, done/total, the rate and the time left. When it is
not: the count, the rate and the time spent. Nothing at all when the console is not a terminal (a
pipe, a file, a test's captured output) or when the command was asked to be quiet; standard output
is never touched (standard output and error are not redirected while the bar is shown).
"""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Column
from rich.text import Text

from eventledger.report.formats import safe


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:d}:{minutes:02d}:{secs:02d}"


def _rate(task: Task) -> float | None:
    """Items per second: over the whole task once it is done, else over the last seconds."""
    elapsed = task.finished_time if task.finished else task.elapsed
    if not task.completed:
        return None
    if task.finished or task.speed is None:
        return task.completed / elapsed if elapsed else None
    return task.speed


class _Count(ProgressColumn):
    """``1,200/5,000 records``, or ``1,200 records`` when the total is not known."""

    def __init__(self, unit: str) -> None:
        super().__init__(table_column=Column(no_wrap=True))
        self.unit = unit

    def render(self, task: Task) -> Text:
        done = f"{int(task.completed):,}"
        if task.total is not None:
            done += f"/{int(task.total):,}"
        return Text(f"{done} {self.unit}", style="progress.download")


class _Rate(ProgressColumn):
    """``350/s``."""

    def __init__(self) -> None:
        super().__init__(table_column=Column(no_wrap=True))

    def render(self, task: Task) -> Text:
        rate = _rate(task)
        shown = "?" if rate is None else (f"{rate:,.1f}" if rate < 10 else f"{rate:,.0f}")
        return Text(f"{shown}/s", style="progress.data.speed")


class _TimeLeft(ProgressColumn):
    """``0:01:20 left`` while running; ``done in 0:04:02`` once finished."""

    def __init__(self) -> None:
        super().__init__(table_column=Column(no_wrap=True))

    def render(self, task: Task) -> Text:
        if task.finished:
            return Text(f"done in {_clock(task.finished_time or 0)}", style="progress.elapsed")
        left = task.time_remaining
        return Text(f"{'-:--:--' if left is None else _clock(left)} left", style="progress.remaining")


class _Note(ProgressColumn):
    """The task's ``note`` field, shown literally (it may hold a source's name or URL), cut to the width left."""

    def __init__(self) -> None:
        super().__init__(table_column=Column(no_wrap=True, overflow="ellipsis", ratio=1))

    def render(self, task: Task) -> Text:
        note = task.fields.get("note")
        return safe(f"· {note}") if note else Text("")


class ProgressDisplay:
    """A progress line for one task on ``console`` (default: standard error), shown only on a terminal.

    Use it as a context manager (or call :meth:`start` and :meth:`stop`); :meth:`update` sets or
    advances the count and the note. When it is not shown, nothing is drawn (:attr:`done` still counts).
    """

    def __init__(
        self,
        label: str,
        total: int | None = None,
        *,
        unit: str = "records",
        console: Console | None = None,
        quiet: bool = False,
    ) -> None:
        self.console = console or Console(stderr=True)
        self.shown = not quiet and self.console.is_terminal
        self.label = label
        self.unit = unit
        self.total = total  # may be set until start(), e.g. only when ``shown``
        self.done = 0  # counted whether shown or not
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def start(self) -> None:
        if not self.shown or self._progress is not None:
            return
        fixed = Column(no_wrap=True)
        columns: list[ProgressColumn] = [TextColumn("{task.description}", markup=False, table_column=fixed)]
        if self.total is not None:
            columns += [BarColumn(bar_width=20), TaskProgressColumn(table_column=Column(no_wrap=True))]
            columns += [_Count(self.unit), _Rate(), _TimeLeft()]
        else:
            columns += [_Count(self.unit), _Rate(), TimeElapsedColumn(table_column=Column(no_wrap=True))]
        columns.append(_Note())
        self._progress = Progress(
            *columns, console=self.console, redirect_stdout=False, redirect_stderr=False, expand=True
        )
        self._task = self._progress.add_task(self.label, total=self.total, completed=self.done, note="")
        self._progress.start()

    def stop(self) -> None:
        """Draw the last state and leave the line on the screen (may be called more than once)."""
        if self._progress is not None:
            self._progress.stop()

    def update(self, completed: int | None = None, *, advance: int = 0, note: str | None = None) -> None:
        """Set the count to ``completed`` (or add ``advance`` to it), and the note when given."""
        self.done = (self.done if completed is None else completed) + advance
        if self._progress is None or self._task is None:
            return
        if note is None:
            self._progress.update(self._task, completed=self.done)
        else:
            self._progress.update(self._task, completed=self.done, note=note)

    def finish(self) -> None:
        """Mark the whole total as done (for the items that were skipped without a step of their own)."""
        if self.total is not None:
            self.update(self.total)

    def __enter__(self) -> ProgressDisplay:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
