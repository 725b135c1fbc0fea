"""The progress bar: on a terminal only, and gone before the summary."""

from __future__ import annotations

import io

from sitegen.cli.progress import Progress


def test_a_terminal_sees_the_bar_fill_and_vanish() -> None:
    stream = io.StringIO()
    progress = Progress("rendering", 4, enabled=True, stream=stream)
    for _ in range(4):
        progress.advance()
    progress.close()
    shown = stream.getvalue()
    assert shown.startswith("\rrendering  ")
    assert shown.endswith("████████████████████████████ 4/4\r\033[K")


def test_quiet_or_piped_output_gets_no_bar() -> None:
    stream = io.StringIO()
    progress = Progress("rendering", 4, enabled=False, stream=stream)
    progress.advance(4)
    progress.close()
    assert stream.getvalue() == ""
