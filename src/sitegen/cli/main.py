"""The command line: its commands, logging, and the one place a SiteError becomes a message."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from .. import __version__
from ..errors import SiteError, SiteErrors
from .build import add_build_commands
from .commands import add_commands
from .email import add_email_command
from .imports import add_import_command
from .serve import add_serve_command
from .show import show_errors

log = logging.getLogger("sitegen")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitegen",
        description="Build a newsletter website from Markdown posts.",
    )
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_build_commands(commands)
    add_commands(commands)
    add_serve_command(commands)
    add_email_command(commands)
    add_import_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    verbose = getattr(args, "verbose", False)
    # only sitegen's own logger: libraries (markdown-it) log every parser step at DEBUG
    logging.basicConfig(format="%(message)s", level=logging.WARNING)
    log.setLevel(logging.DEBUG if verbose else logging.WARNING)
    try:
        status: int = args.func(args)
        return status
    except (SiteError, SiteErrors) as exc:
        if verbose:
            raise
        show_errors(exc, Path(getattr(args, "path", ".")))
        return 1
    except KeyboardInterrupt:
        return 130


def run() -> NoReturn:
    """The `sitegen` command: run the command line, then end the process at once.

    The interpreter's own teardown frees every object one by one, a tenth of a second after a
    build of 10,000 posts, with nothing left to do (as mypy does, for the same reason). Output is
    flushed first; every file and the cache are closed by then.
    """
    status = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more can be said
            stream.flush()
    os._exit(status)
