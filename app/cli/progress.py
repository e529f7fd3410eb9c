"""Progress for long jobs: a rich bar with counts and rate on a terminal, plain log lines otherwise.

with track(description="import calls", total=len(records)) as progress:
    progress.advance(200, created=180, updated=20)
"""

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text


class _RateColumn(ProgressColumn):
    """Items per second over the whole run (rich's own speed column is for bytes)."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        rate = task.completed / elapsed if elapsed > 0 else 0.0
        return Text(f"{rate:,.0f} {self.unit}/s", style="progress.data.speed")


class ProgressTracker:
    """Counts done, named counters (created, updated, ...) and rate; renders them as it goes."""

    def __init__(
        self, *, description: str, total: int | None, unit: str, stream: TextIO, interval: float
    ) -> None:
        self.description = description
        self.total = total
        self.unit = unit
        self.done = 0
        self.counts: dict[str, int] = {}
        self._stream = stream
        self._interval = interval
        self._started = time.monotonic()
        self._last_line = self._started
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    @property
    def rate(self) -> float:
        """Items per second since the start."""
        elapsed = time.monotonic() - self._started
        return self.done / elapsed if elapsed > 0 else 0.0

    def counts_text(self) -> str:
        return ", ".join(f"{name} {value:,}" for name, value in self.counts.items())

    def set_total(self, total: int | None) -> None:
        self.total = total
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, total=total)

    def advance(self, count: int = 1, **counts: int) -> None:
        """Add `count` items done and add each keyword to its named counter."""
        self.done += count
        for name, value in counts.items():
            self.counts[name] = self.counts.get(name, 0) + value
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, advance=count, counts=self.counts_text())
        elif time.monotonic() - self._last_line >= self._interval:
            self.log_line()

    def log_line(self) -> None:
        """Write one plain progress line (non-terminal output)."""
        self._last_line = time.monotonic()
        of_total = f"/{self.total:,}" if self.total is not None else ""
        counts = f" ({self.counts_text()})" if self.counts else ""
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        self._stream.write(
            f"{stamp} {self.description}: {self.done:,}{of_total} {self.unit}{counts}, "
            f"{self.rate:,.0f} {self.unit}/s\n"
        )
        self._stream.flush()


@contextmanager
def track(
    *,
    description: str,
    total: int | None = None,
    unit: str = "records",
    stream: TextIO | None = None,
    interval: float = 5.0,
) -> Iterator[ProgressTracker]:
    """Yield a tracker; draw a live bar when `stream` (default stderr) is a terminal, otherwise
    write a log line every `interval` seconds and a final one at the end."""
    out = stream if stream is not None else sys.stderr
    tracker = ProgressTracker(
        description=description, total=total, unit=unit, stream=out, interval=interval
    )
    if not out.isatty():
        yield tracker
        tracker.log_line()
        return
    bar = Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(unit),
        TimeElapsedColumn(),
        TextColumn("{task.fields[counts]}"),
        console=Console(file=out),
    )
    with bar:
        tracker._bar = bar
        tracker._task = bar.add_task(description, total=total, counts="")
        yield tracker
