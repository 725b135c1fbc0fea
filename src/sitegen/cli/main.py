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
from .completion import add_completion_command
from .email import add_email_command
from .imports import add_import_command
from .serve import add_serve_command
from .show import set_quiet, show_errors
from .site import find_site

log = logging.getLogger("sitegen")


class _Version(argparse.Action):
    """--version: sitegen's, and those of Python and the libraries a build's output depends on."""

    def __call__(self, parser: argparse.ArgumentParser, *_args: object, **_kwargs: object) -> NoReturn:
        import platform  # here: a build never needs it
        from importlib import metadata

        from ..create.origin import DISTRIBUTION

        libraries = []
        for name in ("markdown-it-py", "Jinja2", "feedgen"):
            try:
                libraries.append(f"{name} {metadata.version(name)}")
            except metadata.PackageNotFoundError:
                libraries.append(f"{name} (missing)")
        where = Path(__file__).resolve().parent.parent
        python = platform.python_version()
        print(f"sitegen {__version__} ({DISTRIBUTION}) from {where} (Python {python}; {', '.join(libraries)})")
        parser.exit()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitegen",
        description="Build a newsletter website from Markdown posts.",
        epilog=(
            "examples:\n"
            '  sitegen init my-letters --author "Ana Example"\n'
            '  sitegen new "The title of a letter"\n'
            "  sitegen serve\n"
            "  sitegen build --check\n\n"
            "sitegen COMMAND --help describes a command. The site is the folder given, or the nearest\n"
            "folder holding site.yaml, here or above."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show the versions of sitegen, Python, libraries")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_build_commands(commands)
    add_commands(commands)
    add_serve_command(commands)
    add_email_command(commands)
    add_import_command(commands)
    add_completion_command(commands, parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:  # bare `sitegen`: what it can do
        parser.print_help()
        return 0
    verbose = getattr(args, "verbose", False)
    set_quiet(getattr(args, "quiet", False))
    # only sitegen's own logger: libraries (markdown-it) log every parser step at DEBUG
    logging.basicConfig(format="%(message)s", level=logging.WARNING)
    log.setLevel(logging.DEBUG if verbose else logging.WARNING)
    try:
        if hasattr(args, "config"):  # a command that works on a site: find it
            args.path = _site(args)
        status: int = args.func(args)
        return status
    except (SiteError, SiteErrors) as exc:
        if verbose:
            raise
        show_errors(exc, Path(getattr(args, "path", None) or "."))
        return 1
    except KeyboardInterrupt:
        return 130


def _site(args: argparse.Namespace) -> Path:
    """The site the command works on; for `check`, the current folder when no site is found."""
    try:
        return find_site(args.path, args.config)
    except SiteError:
        if args.path is None and args.config is None and getattr(args, "site_optional", False):
            return Path(".")
        raise


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
