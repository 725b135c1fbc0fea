"""What the open pages are told of each build: a change to reload or swap in, or the error to show."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import SiteError
from .livereload import LiveError
from .loop import Outcome
from .server import LiveState

EXCERPT_LINES = 3


def excerpt(error: SiteError, root: Path) -> tuple[tuple[int, str], ...]:
    """The lines around an error's line, from its file."""
    if error.path is None or error.line is None:
        return ()
    try:
        lines = (root / error.path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ()
    first = max(1, error.line - EXCERPT_LINES)
    return tuple((n, lines[n - 1]) for n in range(first, min(len(lines), error.line + EXCERPT_LINES) + 1))


def live_error(errors: tuple[SiteError, ...], root: Path) -> LiveError:
    """What the overlay shows of a failed build: every error, lines of the first one's file."""
    shown = [e.for_display(root, root) for e in errors]  # paths as the writer sees the site
    message = "\n".join(str(e) if e.path else f"error: {e}" for e in shown)
    return LiveError(message, excerpt(errors[0], root), errors[0].line)


def publish_outcome(state: LiveState, outcome: Outcome, root: Path) -> None:
    """Tell the open pages how a build went."""
    if outcome.report is None:
        state.error = live_error(outcome.errors, root)
        state.publish(state.error.event())
        return
    state.error = None
    state.publish(json.dumps({"type": "change", **state.classify(list(outcome.report.changed_paths))}))


def publish_quick(state: LiveState, written: list[str]) -> None:
    """The edited post's page is rewritten: show it now, the rest of the site follows. With
    `serve --follow`, open pages are told which page it is, to go there."""
    if state.error is None:
        edited = [path for path in written if path.endswith("/index.html")] if state.follow else []
        state.publish(json.dumps({"type": "change", **state.classify(written), "edited": edited}))
