"""A progress bar for long builds, on a terminal only."""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 28


class Progress:
    """Counts done items of a stage and redraws one line of stderr at most ten times a second."""

    def __init__(self, label: str, total: int, enabled: bool, stream: TextIO | None = None) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self.stream = stream or sys.stderr
        self.enabled = enabled and total > 0
        self._drawn_at = 0.0

    def advance(self, count: int = 1) -> None:
        """Mark `count` more items done."""
        self.done += count
        now = time.monotonic()
        if self.enabled and (now - self._drawn_at > 0.1 or self.done >= self.total):
            self._drawn_at = now
            filled = WIDTH * self.done // self.total
            bar = "█" * filled + " " * (WIDTH - filled)
            self.stream.write(f"\r{self.label:<10} {bar} {self.done}/{self.total}")
            self.stream.flush()

    def close(self) -> None:
        """Erase the bar, leaving the terminal line clean for the summary."""
        if self.enabled and self._drawn_at:
            self.stream.write("\r\033[K")
            self.stream.flush()


def terminal_progress(label: str, total: int) -> Progress:
    """The bar of one stage of a build, drawn on stderr (see engine.options.ProgressFactory)."""
    return Progress(label, total, enabled=True)
