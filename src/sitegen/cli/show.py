"""The one place that prints what a writer is told: errors, warnings and notes, on stderr."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from ..errors import Located, SiteError, SiteErrors


def _line(problem: Located, root: Path) -> str:
    """`problem` with its path as the writer can open it from here (see Located.for_display)."""
    return str(problem.for_display(root, Path.cwd()))


def show_errors(error: SiteError | SiteErrors, root: Path) -> None:
    """Print one error, or several: one located line each."""
    errors = error.errors if isinstance(error, SiteErrors) else (error,)
    for one in errors:
        print(_line(one, root) if one.path else f"error: {one}", file=sys.stderr, flush=True)
    if isinstance(error, SiteErrors) and error.total > len(error.errors):
        print(f"error: … and {error.total - len(error.errors)} more", file=sys.stderr, flush=True)


def show_warnings(warnings: Iterable[Located], root: Path) -> None:
    """Print each warning on a line of its own, located like an error."""
    for warning in warnings:
        print(f"warning: {_line(warning, root) if warning.path else warning}", file=sys.stderr)


def show_notices(notices: Iterable[str]) -> None:
    """Print things worth saying that are not problems."""
    for notice in notices:
        print(f"note: {notice}", file=sys.stderr)


_quiet = False


def set_quiet(quiet: bool) -> None:
    """With -q: say() prints nothing; results, errors and warnings are still printed."""
    global _quiet
    _quiet = quiet


def say(text: str = "") -> None:
    """Print a line of what a command tells as it works (stdout), at once; nothing with -q."""
    if not _quiet:
        print(text, flush=True)


def say_result(text: str) -> None:
    """Print a line of what the command was asked for (a path, a broken link), even with -q."""
    print(text, flush=True)


def say_error(text: str) -> None:
    """Print a line about a failure that is not a SiteError (stderr)."""
    print(text, file=sys.stderr, flush=True)
